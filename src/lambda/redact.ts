import { createHash } from 'node:crypto';

/**
 * Header names whose values are credentials. The echo route answers the browser (through the BFF), and the
 * browser must never receive a token (SECURITY.md #1), so these are never reflected as they arrived.
 */
const CREDENTIAL = /authorization|cookie|token|secret|password|api-?key|session|credential|signature/i;
const AUTH_SCHEME = /^([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*) +(\S.*)$/;

/** A stand-in that tells which credential arrived without revealing it: the first 64 bits of its SHA-256. */
export function fingerprint(secret: string): string {
  return `[redacted sha256:${createHash('sha256').update(secret).digest('hex').slice(0, 16)}]`;
}

/** One credential header value, its auth scheme kept: `Bearer <token>` becomes `Bearer [redacted sha256:…]`. */
export function redactCredential(value: string): string {
  const scheme = AUTH_SCHEME.exec(value);
  return scheme ? `${scheme[1]} ${fingerprint(scheme[2] ?? '')}` : fingerprint(value);
}

export const isCredentialHeader = (name: string): boolean => CREDENTIAL.test(name);

/** The headers with every credential value replaced by its fingerprint. */
export function redactHeaders(headers: Record<string, string[]>): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, values]) => [
      name,
      isCredentialHeader(name) ? values.map(redactCredential) : values,
    ]),
  );
}
