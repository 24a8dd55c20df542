import { Secret, TOTP } from 'otpauth';

/** The code an authenticator app shows for `secret` at `timestamp` (ms), computed apart from the emulator's code. */
export const totpCode = (secret: string, timestamp: number) =>
  new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp });
