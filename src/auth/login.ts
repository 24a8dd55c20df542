import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { CognitoAuth, SignInResult } from '../cognito/auth-client.js';
import { AuthFailure, USER_MESSAGES } from '../cognito/errors.js';
import type { AuthFailureKind } from '../cognito/errors.js';
import { LOGIN_REASONS, renderPage } from './pages.js';
import { safeReturnTo } from './return-to.js';
import { currentAuth, establishSession, regenerate, save, storePending } from './session-lifecycle.js';
import type { SessionDeps } from './session-lifecycle.js';
import type { Metrics } from '../ops/metrics.js';

export const USERNAME_MAX = 128;
export const PASSWORD_MAX = 256;

const field = (body: unknown, name: string): string => {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
};

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
};

export interface LoginDeps extends SessionDeps {
  cognito: CognitoAuth;
  logger: Logger;
  metrics: Metrics;
}

export function renderLogin(
  res: Response,
  status: number,
  values: { username?: string; returnTo: string; error?: string; notice?: string },
) {
  renderPage(res, 'auth/login.njk', status, values);
}

/** Sign-in failures: the same words for a wrong password and an unknown user; 503 page when Cognito is down. */
export function renderSignInFailure(
  res: Response,
  err: AuthFailure,
  deps: Pick<LoginDeps, 'logger' | 'metrics'>,
  values: { username: string; returnTo: string },
) {
  const status = FAILURE_STATUS[err.kind];
  deps.metrics.signIns.inc({ outcome: err.kind });
  // Cognito being unreachable is logged once per outage where Cognito is called, not once per attempt.
  if (err.kind !== 'unavailable') deps.logger.warn({ kind: err.kind, detail: err.detail }, 'sign-in failed');
  if (status === 503) {
    res.setHeader('retry-after', '30');
    renderPage(res, 'errors/unavailable.njk', 503, { message: USER_MESSAGES[err.kind] });
    return;
  }
  if (status === 429) res.setHeader('retry-after', '60');
  renderLogin(res, status, { ...values, error: USER_MESSAGES[err.kind] });
}

/** After Cognito answered: either a session, or a pending challenge held server-side. */
export async function completeSignIn(
  req: Request,
  res: Response,
  result: SignInResult,
  deps: LoginDeps,
  from: { typed: string; returnTo: string },
) {
  const { typed, returnTo } = from;
  switch (result.kind) {
    case 'signed-in':
      await establishSession(req, result, deps);
      deps.metrics.signIns.inc({ outcome: 'signed_in' });
      res.redirect(303, returnTo);
      return;
    case 'challenge':
      await regenerate(req);
      await storePending(req, deps.sealer, {
        challenge: result.challenge,
        typedUsername: typed,
        startedAt: Date.now(),
      });
      req.session.returnTo = returnTo;
      deps.metrics.signIns.inc({ outcome: 'challenge' });
      await save(req);
      res.redirect(303, '/login/new-password');
      return;
  }
}

export function getLogin(): RequestHandler {
  return (req, res) => {
    const returnTo = safeReturnTo(req.query['returnTo']);
    if (currentAuth(req)) {
      res.setHeader('cache-control', 'no-store');
      res.redirect(303, returnTo);
      return;
    }
    const reason = typeof req.query['reason'] === 'string' ? LOGIN_REASONS[req.query['reason']] : undefined;
    renderLogin(res, 200, { returnTo, ...(reason ? { notice: reason } : {}) });
  };
}

export function postLogin(deps: LoginDeps): RequestHandler {
  return async (req, res) => {
    const username = field(req.body, 'username').trim();
    const password = field(req.body, 'password');
    const returnTo = safeReturnTo(field(req.body, 'returnTo'));
    if (!username || !password) {
      renderLogin(res, 400, { username, returnTo, error: 'Enter your username and password.' });
      return;
    }
    if (username.length > USERNAME_MAX || password.length > PASSWORD_MAX) {
      renderLogin(res, 400, {
        username: username.slice(0, USERNAME_MAX),
        returnTo,
        error: `Usernames are at most ${USERNAME_MAX} characters and passwords at most ${PASSWORD_MAX}.`,
      });
      return;
    }
    let result: SignInResult;
    try {
      result = await deps.cognito.signIn(username, password);
    } catch (err) {
      if (!(err instanceof AuthFailure)) throw err;
      renderSignInFailure(res, err, deps, { username, returnTo });
      return;
    }
    await completeSignIn(req, res, result, deps, { typed: username, returnTo });
  };
}
