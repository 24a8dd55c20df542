import { Secret, TOTP } from 'otpauth';

/**
 * Software tokens are RFC 6238 TOTP: HMAC-SHA1, six digits, 30-second steps (developer guide, "TOTP software token
 * MFA"). One step of drift either way is accepted, as authenticator apps and servers usually allow.
 */
const totpFor = (secret: string) =>
  new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });

/** A fresh secret as AssociateSoftwareToken hands out: 20 random bytes, 32 base32 characters. */
export const newSoftwareTokenSecret = () => new Secret({ size: 20 }).base32;

/** Whether `code` is the secret's code at `now` (epoch ms), or one step before or after it. */
export function totpMatches(secret: string, code: string, now: number): boolean {
  if (!/^\d{6}$/.test(code)) return false;
  return totpFor(secret).validate({ token: code, timestamp: now, window: 1 }) !== null;
}

/** The `otpauth://` URI an authenticator app scans. */
export const otpauthUri = (secret: string, issuer: string, label: string) =>
  new TOTP({ secret: Secret.fromBase32(secret), issuer, label, algorithm: 'SHA1', digits: 6, period: 30 }).toString();
