import { randomInt } from 'node:crypto';
import { CognitoError } from '../errors.js';
import type { PendingCode, User } from '../state.js';

const HOUR_MS = 3_600_000;

/** Sign-up confirmation codes live 24 hours (Cognito developer guide, "Confirming user accounts"). */
export const SIGN_UP_CODE_LIFETIME_MS = 24 * HOUR_MS;
/** A ForgotPassword code is valid for one hour (developer guide, "Recovering user accounts"). */
export const FORGOT_PASSWORD_CODE_LIFETIME_MS = HOUR_MS;
/** Attribute verification codes live 24 hours, like sign-up codes ("Verifying contact information at sign-up"). */
export const ATTRIBUTE_CODE_LIFETIME_MS = 24 * HOUR_MS;

/**
 * Wrong answers a code takes before it dies. Cognito does not publish its count; five is what users report for
 * ConfirmForgotPassword (aws-amplify/amplify-ui-android#180: five CodeMismatchException, then a limit error).
 */
export const MAX_FAILED_CODE_ATTEMPTS = 5;

/**
 * Self-service code requests (ResendConfirmationCode, ForgotPassword, GetUserAttributeVerificationCode) one user may
 * make in one window, all kinds together. Cognito keeps its numbers private ("we do not share externally the exact
 * limits", amazon-cognito-identity-js#548) and users report the limit after about five requests; the emulator allows
 * five an hour, so a test can reach it and a clock move of an hour clears it.
 */
export const CODE_REQUEST_LIMIT = 5;
export const CODE_REQUEST_WINDOW_MS = HOUR_MS;

/** Six random digits, as Cognito's verification codes. */
export const newCode = () => String(randomInt(0, 1_000_000)).padStart(6, '0');

export function pendingCode(now: number, lifetimeMs: number): PendingCode {
  return { code: newCode(), expiresAt: now + lifetimeMs, failedAttempts: 0 };
}

// The LimitExceededException text users quote for too many code requests and password changes
// (reapit/foundations#2294, aws-amplify/aws-sdk-android#627).
export const attemptLimitExceeded = () =>
  new CognitoError('LimitExceededException', 'Attempt limit exceeded, please try after some time.');
export const codeMismatch = () =>
  new CognitoError('CodeMismatchException', 'Invalid verification code provided, please try again.');
export const expiredCode = () =>
  new CognitoError('ExpiredCodeException', 'Invalid code provided, please request a code again.');

/**
 * Counts one self-service code request for the user, refusing it with LimitExceededException once the user made
 * CODE_REQUEST_LIMIT of them in the last CODE_REQUEST_WINDOW_MS. Refused requests do not count.
 */
export function recordCodeRequest(user: User, now: number): void {
  const recent = (user.codeRequests ?? []).filter((at) => now - at < CODE_REQUEST_WINDOW_MS);
  if (recent.length >= CODE_REQUEST_LIMIT) {
    user.codeRequests = recent;
    throw attemptLimitExceeded();
  }
  user.codeRequests = [...recent, now];
}

/**
 * Checks a code the user typed against the one pending, in Cognito's order: no code or a used one, too many wrong
 * answers (`tooMany`, which may also kill the code), the code itself (a wrong one counts), then its expiry.
 * Returns normally when the code is right and still valid; the caller then consumes it.
 */
export function checkCode(
  pending: PendingCode | undefined,
  given: string,
  now: number,
  rules: { missing: () => CognitoError; tooMany: () => CognitoError },
): asserts pending is PendingCode {
  if (!pending) throw rules.missing();
  if (pending.failedAttempts >= MAX_FAILED_CODE_ATTEMPTS) throw rules.tooMany();
  if (pending.code !== given) {
    pending.failedAttempts += 1;
    throw codeMismatch();
  }
  if (now > pending.expiresAt) throw expiredCode();
}
