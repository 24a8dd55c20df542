import { formField } from './form.js';

/**
 * The longest `credential` field a passkey form accepts. A WebAuthn response with attestation "none" (what Cognito
 * asks for) is well under 2 KB; the form parser's own limit (10 KB) is the hard stop, this refuses junk sooner.
 */
export const CREDENTIAL_MAX = 8 * 1024;

/** A browser's PublicKeyCredential.toJSON(), as far as this BFF looks at it before Cognito checks the rest. */
export interface PostedCredential {
  id: string;
  type: 'public-key';
  response: Record<string, unknown>;
  [member: string]: unknown;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The `credential` field the passkey script posts: bounded, valid JSON, shaped like a PublicKeyCredential's JSON
 * (WebAuthn L3 §5.1.8, `toJSON()`). Cognito verifies the signature, challenge, origin and RP ID; this only keeps
 * what could never be a credential from reaching it. Undefined when the field is missing or not one.
 */
export function readPostedCredential(body: unknown): PostedCredential | undefined {
  const raw = formField(body, 'credential');
  if (!raw || raw.length > CREDENTIAL_MAX) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed) || typeof parsed['id'] !== 'string' || !parsed['id']) return undefined;
  if (parsed['type'] !== 'public-key' || !isRecord(parsed['response'])) return undefined;
  return parsed as PostedCredential;
}
