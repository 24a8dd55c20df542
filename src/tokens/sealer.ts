import { createHash } from 'node:crypto';
import { CompactEncrypt, compactDecrypt, decodeProtectedHeader } from 'jose';

/**
 * Encrypts what we keep at rest (tokens, claims) as a compact JWE: `dir` + A256GCM (AES-256-GCM), with the key's
 * id in the header. The first key encrypts; older keys still decrypt, so keys can be rotated without signing
 * everyone out. https://www.rfc-editor.org/rfc/rfc7516
 */
export interface Sealer {
  seal(value: unknown): Promise<string>;
  open<T>(sealed: string): Promise<T>;
}

export class SealError extends Error {
  override name = 'SealError';
}

/** A short, stable id for a key that reveals nothing about it. */
const keyId = (key: Buffer) =>
  createHash('sha256').update('cognito-bff key id').update(key).digest('base64url').slice(0, 12);

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * `cacheSize` opened values are remembered by their sealed text: every request reads the store anyway (so a
 * deleted or replaced value is seen at once), but the same ciphertext is decrypted only once. The cache is indexed
 * by the JWE's authentication tag (its last part) and a hit must match the whole sealed text, so looking up a
 * value read fresh from Redis costs a short hash and one comparison rather than hashing kilobytes. Opened values
 * are frozen, so a cached one cannot be changed by a caller.
 */
export function createSealer(current: Buffer, old: Buffer[] = [], cacheSize = 10_000): Sealer {
  const opened = new Map<string, { sealed: string; value: unknown }>();
  const tagOf = (sealed: string) => sealed.slice(sealed.lastIndexOf('.') + 1);
  const keys = new Map([current, ...old].map((k) => [keyId(k), new Uint8Array(k)]));
  const currentId = keyId(current);
  const currentKey = new Uint8Array(current);
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  return {
    seal(value) {
      return new CompactEncrypt(encoder.encode(JSON.stringify(value)))
        .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: currentId })
        .encrypt(currentKey);
    },
    async open<T>(sealed: string) {
      const tag = tagOf(sealed);
      const hit = opened.get(tag);
      if (hit?.sealed === sealed) return hit.value as T;
      let kid: unknown;
      try {
        kid = decodeProtectedHeader(sealed).kid;
      } catch {
        throw new SealError('not a sealed value');
      }
      const key = typeof kid === 'string' ? keys.get(kid) : undefined;
      if (!key) throw new SealError('sealed with an unknown key');
      let value: T;
      try {
        const { plaintext } = await compactDecrypt(sealed, key, {
          contentEncryptionAlgorithms: ['A256GCM'],
          keyManagementAlgorithms: ['dir'],
        });
        value = deepFreeze(JSON.parse(decoder.decode(plaintext)) as T);
      } catch {
        throw new SealError('sealed value failed to decrypt');
      }
      if (cacheSize > 0) {
        if (opened.size >= cacheSize) opened.delete(opened.keys().next().value as string);
        opened.set(tag, { sealed, value });
      }
      return value;
    },
  };
}
