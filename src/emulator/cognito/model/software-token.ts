import { CognitoError } from '../errors.js';
import type { User, UserPool } from '../state.js';
import { softwareTokenNotEnabled } from './mfa.js';
import { newSoftwareTokenSecret, totpMatches } from './totp.js';

/**
 * AssociateSoftwareToken: a fresh secret on every call, pending until VerifySoftwareToken confirms a code from it.
 * A pool without software-token MFA refuses (developer guide, "TOTP software token MFA").
 */
export function associateSoftwareToken(pool: UserPool, user: User, now: number): string {
  if (!pool.Mfa.SoftwareTokenMfaConfiguration.Enabled) throw softwareTokenNotEnabled();
  user.pendingSoftwareTokenSecret = newSoftwareTokenSecret();
  user.modifiedAt = now;
  return user.pendingSoftwareTokenSecret;
}

/**
 * VerifySoftwareToken: a code from the pending secret makes it the user's software token (not yet on for sign-in).
 * A wrong code is EnableSoftwareTokenMFAException "Code mismatch and fail enable Software Token MFA", the answer users
 * quote (aws-samples/aws-amplify-auth-starters#15); the pending secret stays, so the user can try again.
 */
export function verifySoftwareToken(pool: UserPool, user: User, code: string, now: number): void {
  if (!pool.Mfa.SoftwareTokenMfaConfiguration.Enabled) throw softwareTokenNotEnabled();
  const secret = user.pendingSoftwareTokenSecret;
  if (secret === undefined || !totpMatches(secret, code, now)) {
    throw new CognitoError('EnableSoftwareTokenMFAException', 'Code mismatch and fail enable Software Token MFA');
  }
  user.softwareTokenSecret = secret;
  delete user.pendingSoftwareTokenSecret;
  user.modifiedAt = now;
}
