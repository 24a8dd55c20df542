import type { Response } from 'express';
import type { Logger } from 'pino';
import { USER_MESSAGES } from '../cognito/errors.js';
import type { AuthFailure, AuthFailureKind } from '../cognito/errors.js';
import type { Metrics } from '../ops/metrics.js';
import { renderPage } from './pages.js';

/** HTTP status for a sign-in failure the user caused or can wait out. */
export const FAILURE_STATUS: Record<AuthFailureKind, number> = {
  'bad-credentials': 401,
  'refresh-rejected': 401,
  'challenge-expired': 401,
  'password-policy': 400,
  'invalid-input': 400,
  'not-confirmed': 403,
  'reset-required': 403,
  'unsupported-step': 403,
  throttled: 429,
  unavailable: 503,
  misconfigured: 503,
  'username-taken': 400,
  'email-taken': 400,
  'sign-up-disabled': 403,
  'already-confirmed': 400,
  'unknown-user': 400,
  'no-recovery-contact': 400,
  'code-mismatch': 400,
  'code-expired': 400,
  'too-many-failures': 429,
  'too-many-codes': 429,
  'wrong-password': 400,
  'delivery-failed': 503,
  'reauth-required': 403,
  'passkey-refused': 401,
  'passkeys-off': 403,
  'passkey-setup-expired': 400,
  'passkey-wrong-site': 400,
  'passkey-not-supported': 400,
  'too-many-passkeys': 400,
  'passkey-not-found': 400,
};

export type LoginValues = {
  username?: string;
  /** Where to go after signing in; the form sends it back, so a failed attempt does not lose it. */
  returnTo: string;
  error?: string;
  notice?: string;
  /** The field the error is about. */
  invalid?: 'username' | 'password';
  /** A signed-in user signing in again (`/login?reauth=1`) before a sensitive change. */
  reauth?: boolean;
};

export function renderLogin(res: Response, status: number, values: LoginValues): void {
  renderPage(res, 'auth/login.njk', status, values);
}

/** Sign-in failures: the same words for a wrong password and an unknown user; 503 page when Cognito is down. */
export function renderSignInFailure(
  res: Response,
  err: AuthFailure,
  deps: { logger: Logger; metrics: Metrics },
  values: { username: string; returnTo: string },
): void {
  const status = FAILURE_STATUS[err.kind];
  deps.metrics.signIns.inc({ outcome: err.kind });
  // Cognito being unreachable is logged once per outage where Cognito is called, not once per attempt.
  if (err.kind !== 'unavailable') deps.logger.warn({ kind: err.kind, detail: err.detail }, 'sign-in failed');
  if (status === 503) {
    res.setHeader('retry-after', '30');
    renderPage(res, 'errors/unavailable.njk', 503, { message: USER_MESSAGES[err.kind], returnTo: values.returnTo });
    return;
  }
  if (status === 429) res.setHeader('retry-after', '60');
  renderLogin(res, status, { ...values, error: USER_MESSAGES[err.kind] });
}
