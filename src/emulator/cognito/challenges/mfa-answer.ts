import { CognitoError, missingParameter } from '../errors.js';
import type { ChallengeSession } from '../state.js';

/**
 * Wrong codes one MFA challenge session takes; the last one ends it, and the next answer meets an invalid session.
 * Cognito does not publish its number; three is what the emulator allows.
 */
export const MAX_MFA_ATTEMPTS = 3;

/** The text Cognito answers a wrong MFA code with (aws-amplify/amplify-js#3066, #11069). */
export const mfaCodeMismatch = () =>
  new CognitoError('CodeMismatchException', 'Invalid code or auth state for the user.');

/**
 * Checks the code an MFA challenge answer carries under `key`; a wrong one counts against the session, which
 * `end()` kills at MAX_MFA_ATTEMPTS. Returns normally when `matches` says the code is right.
 */
export function checkMfaCode(
  session: ChallengeSession,
  responses: Record<string, string>,
  key: string,
  matches: (code: string) => boolean,
  end: () => void,
): void {
  const code = responses[key];
  if (!code) throw missingParameter(key);
  if (matches(code)) return;
  session.failedAttempts = (session.failedAttempts ?? 0) + 1;
  if (session.failedAttempts >= MAX_MFA_ATTEMPTS) end();
  throw mfaCodeMismatch();
}
