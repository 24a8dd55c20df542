import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { encodeCBOR } from '@levischuck/tiny-cbor';

/**
 * A software authenticator, so tests can register and use passkeys without a browser: one EC P-256 (ES256) key
 * pair, attestation "none", and authenticator data laid out as WebAuthn L3 §6.1 says (RP ID hash, flags, signature
 * counter, then for registration the attested credential data with the COSE key, RFC 9052 §7). Each call takes the
 * options the pool sent and returns the JSON a browser's `PublicKeyCredential.toJSON()` gives, so a test can also
 * forge what a browser never would (another origin, another RP ID, an old counter).
 */
export class SoftwarePasskey {
  readonly id = randomBytes(16).toString('base64url');
  /** The signature counter; each assertion adds one unless the call pins it. */
  counter = 0;
  private readonly privateKey: KeyObject;
  private readonly cose: Uint8Array;

  constructor(readonly options: { userVerified?: boolean; attachment?: 'platform' | 'cross-platform' } = {}) {
    const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    this.privateKey = pair.privateKey;
    const jwk = pair.publicKey.export({ format: 'jwk' });
    const coseKey = new Map<number, number | Uint8Array>([
      [1, 2], // kty: EC2
      [3, -7], // alg: ES256
      [-1, 1], // crv: P-256
      [-2, Buffer.from(jwk.x ?? '', 'base64url')],
      [-3, Buffer.from(jwk.y ?? '', 'base64url')],
    ]);
    this.cose = encodeCBOR(coseKey as Map<number, Uint8Array>);
  }

  /** The answer to `navigator.credentials.create({publicKey: options})` at `origin`; `rpId` overrides the options'. */
  register(
    options: { challenge: string; rp: { id?: string } },
    at: { origin: string; rpId?: string; challenge?: string },
  ) {
    const rpId = at.rpId ?? options.rp.id ?? new URL(at.origin).hostname;
    const clientDataJSON = clientData('webauthn.create', at.challenge ?? options.challenge, at.origin);
    const idBytes = Buffer.from(this.id, 'base64url');
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(idBytes.length);
    const attested = Buffer.concat([Buffer.alloc(16), idLength, idBytes, this.cose]);
    const authData = Buffer.concat([this.header(rpId, 0x40, this.counter), attested]);
    const attestationObject = encodeCBOR(
      new Map<string, string | Uint8Array | Map<string, string>>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]),
    );
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: {
        clientDataJSON: clientDataJSON.toString('base64url'),
        attestationObject: Buffer.from(attestationObject).toString('base64url'),
        transports: ['internal'],
      },
      authenticatorAttachment: this.options.attachment ?? 'platform',
      clientExtensionResults: {},
    };
  }

  /**
   * The answer to `navigator.credentials.get({publicKey: options})` at `origin`, as the JSON string the WEB_AUTHN
   * challenge's CREDENTIAL takes. `counter` pins the signature counter (a cloned authenticator replays an old one).
   */
  assert(
    options: { challenge: string; rpId?: string },
    at: { origin: string; rpId?: string; challenge?: string; counter?: number },
  ): string {
    const rpId = at.rpId ?? options.rpId ?? new URL(at.origin).hostname;
    if (at.counter === undefined) this.counter += 1;
    const counter = at.counter ?? this.counter;
    const clientDataJSON = clientData('webauthn.get', at.challenge ?? options.challenge, at.origin);
    const authData = this.header(rpId, 0, counter);
    const signed = Buffer.concat([authData, createHash('sha256').update(clientDataJSON).digest()]);
    const signature = sign('sha256', signed, this.privateKey);
    return JSON.stringify({
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: {
        clientDataJSON: clientDataJSON.toString('base64url'),
        authenticatorData: authData.toString('base64url'),
        signature: signature.toString('base64url'),
      },
      authenticatorAttachment: this.options.attachment ?? 'platform',
      clientExtensionResults: {},
    });
  }

  /** RP ID hash, flags (UP, UV when the authenticator verifies users, plus `extra`), big-endian counter. */
  private header(rpId: string, extra: number, counter: number): Buffer {
    const flags = 0x01 | (this.options.userVerified === false ? 0 : 0x04) | extra;
    const count = Buffer.alloc(4);
    count.writeUInt32BE(counter);
    return Buffer.concat([createHash('sha256').update(rpId).digest(), Buffer.from([flags]), count]);
  }
}

const clientData = (type: string, challenge: string, origin: string) =>
  Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
