import QRCode from 'qrcode';
import { Secret, TOTP } from 'otpauth';

/** What a page shows to add an authenticator app: the QR code (inline SVG) and the secret to type by hand. */
export interface TotpEnrolment {
  issuer: string;
  qrSvg: string;
  secretText: string;
}

/**
 * The otpauth:// URI (Google Authenticator's Key Uri Format: issuer, account name, base32 secret; SHA1, 6 digits,
 * 30 s as Cognito's software tokens are) drawn as a QR code in inline SVG on the server: no script and no data:
 * image, so the CSP stays strict. The secret is grouped by four, as authenticator apps show secrets typed by hand.
 */
export async function totpEnrolment(issuer: string, label: string, secret: string): Promise<TotpEnrolment> {
  const uri = new TOTP({
    issuer,
    label,
    secret: Secret.fromBase32(secret),
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
  }).toString();
  const qrSvg = await QRCode.toString(uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  return { issuer, qrSvg, secretText: secret.replace(/(.{4})/g, '$1 ').trim() };
}
