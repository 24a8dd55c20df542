import type { Request, RequestHandler } from 'express';
import { wantsJson } from '../http/error-handler.js';
import { refuse } from '../http/refusals.js';
import type { SignedIn } from '../session/types.js';
import { safeReturnTo } from './return-to.js';
import { currentAuth } from './session-lifecycle.js';

/**
 * A guard for routes that only make sense signed in (express-openid-connect's `requiresAuth()`), so handlers hold
 * no such check: a page sends the browser to sign in and back here afterwards (GET only: a form post cannot be
 * replayed), a JSON caller gets 401 `{"error":"unauthenticated"}`. Never cached: the answer depends on the cookie.
 */
export function requireSignIn(): RequestHandler {
  return function requireSignIn(req, res, next) {
    if (currentAuth(req)) {
      next();
      return;
    }
    res.setHeader('cache-control', 'no-store');
    if (wantsJson(req)) {
      res.status(401).json({ error: 'unauthenticated' });
      return;
    }
    const returnTo = req.method === 'GET' ? safeReturnTo(req.originalUrl) : '/';
    res.redirect(303, `/login?${new URLSearchParams({ returnTo }).toString()}`);
  };
}

/** The signed-in user of a request that passed `requireSignIn`. */
export function signedIn(req: Request): SignedIn {
  const auth = currentAuth(req);
  if (!auth) throw refuse.signedOut();
  return auth;
}
