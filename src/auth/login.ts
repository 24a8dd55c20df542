import type { RequestHandler } from 'express';
import type { CognitoAccount } from '../cognito/account-client.js';
import type { SignInResult } from '../cognito/auth-client.js';
import { AuthFailure } from '../cognito/errors.js';
import { formField as field, PASSWORD_MAX, USERNAME_MAX } from './form.js';
import { LOGIN_REASONS } from './pages.js';
import { safeReturnTo } from './return-to.js';
import { currentAuth } from './session-lifecycle.js';
import { renderLogin, renderSignInFailure } from './sign-in-failure.js';
import { resetAfterSignIn } from './journeys/password-reset.js';
import { confirmAfterSignIn } from './journeys/sign-up.js';
import { takeNotice } from './journeys/state.js';
import type { JourneyState } from './journeys/state.js';
import { completeSignIn } from './steps/flow.js';
import { backToLogin, pendingOf } from './steps/pending.js';
import type { FlowDeps } from './steps/flow.js';
import { SAY } from '../http/sentences.js';
import { userContextOf } from './user-context.js';

export function getLogin(state: JourneyState): RequestHandler {
  return async function getLogin(req, res) {
    const returnTo = safeReturnTo(req.query['returnTo']);
    const auth = currentAuth(req);
    // `reauth=1`: a signed-in user proving it is still them (before turning a second factor off). Signing in makes
    // a new session as any sign-in does; until then the current one stands.
    if (auth && req.query['reauth'] === '1') {
      res.setHeader('cache-control', 'no-store');
      renderLogin(res, 200, {
        returnTo,
        username: auth.user.username,
        notice: SAY.signInAgainToContinue,
        reauth: true,
      });
      return;
    }
    if (auth) {
      res.setHeader('cache-control', 'no-store');
      res.redirect(303, returnTo);
      return;
    }
    const reason = typeof req.query['reason'] === 'string' ? LOGIN_REASONS[req.query['reason']] : undefined;
    // Coming from an account journey (confirmed, password reset): its username, and what it had to say.
    const username = await state.username(req);
    const notice = (await takeNotice(req)) ?? reason;
    renderLogin(res, 200, { returnTo, ...(username ? { username } : {}), ...(notice ? { notice } : {}) });
  };
}

export function postLogin(deps: FlowDeps & { account: CognitoAccount; state: JourneyState }): RequestHandler {
  return async function postLogin(req, res) {
    const username = field(req.body, 'username').trim();
    const password = field(req.body, 'password');
    const returnTo = safeReturnTo(field(req.body, 'returnTo'));
    if (!username || !password) {
      const invalid = username ? 'password' : 'username';
      renderLogin(res, 400, { username, returnTo, invalid, error: SAY.enterUsernameAndPassword });
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
      result = await deps.cognito.signIn(username, password, userContextOf(req));
    } catch (err) {
      if (!(err instanceof AuthFailure)) throw err;
      // Cognito says these only after the right password: the user is sent on to the step that unblocks them.
      if (err.kind === 'not-confirmed') return confirmAfterSignIn(req, res, deps, username);
      if (err.kind === 'reset-required') return resetAfterSignIn(req, res, deps, username);
      renderSignInFailure(res, err, deps, { username, returnTo });
      return;
    }
    await completeSignIn(req, res, result, deps, { typed: username, returnTo });
  };
}

/**
 * Choice-based sign-in (USER_AUTH), username first: Cognito answers with the ways this user can sign in (for an
 * unknown user, with PreventUserExistenceErrors, a list of the same kind), and the choice page shows them.
 */
export function postStart(deps: FlowDeps): RequestHandler {
  return async function postStart(req, res) {
    const username = field(req.body, 'username').trim();
    const returnTo = safeReturnTo(field(req.body, 'returnTo'));
    if (!username || username.length > USERNAME_MAX) {
      renderLogin(res, 400, {
        username: username.slice(0, USERNAME_MAX),
        returnTo,
        invalid: 'username',
        error: SAY.enterUsernameToContinue,
      });
      return;
    }
    let result: SignInResult;
    try {
      result = await deps.cognito.startUserAuth(username, userContextOf(req));
    } catch (err) {
      if (!(err instanceof AuthFailure)) throw err;
      renderSignInFailure(res, err, deps, { username, returnTo });
      return;
    }
    await completeSignIn(req, res, result, deps, { typed: username, returnTo, viaChoice: true });
  };
}

/** A new emailed or texted code for a choice-based sign-in: a new USER_AUTH call with the same preference. */
export function postResend(deps: FlowDeps): RequestHandler {
  return async function postResend(req, res) {
    const pending = await pendingOf(req, deps);
    const name = pending?.challenge.name;
    if (!pending?.viaChoice || (name !== 'EMAIL_OTP' && name !== 'SMS_OTP')) return backToLogin(req, res);
    const returnTo = safeReturnTo(req.session.returnTo);
    let result: SignInResult;
    try {
      result = await deps.cognito.startUserAuth(pending.typedUsername, userContextOf(req), name);
    } catch (err) {
      if (!(err instanceof AuthFailure)) throw err;
      renderSignInFailure(res, err, deps, { username: pending.typedUsername, returnTo });
      return;
    }
    await completeSignIn(req, res, result, deps, { typed: pending.typedUsername, returnTo, viaChoice: true });
  };
}
