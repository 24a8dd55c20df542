import type { Request, RequestHandler, Response } from 'express';
import type { Config } from '../config/config.js';
import { renderPage } from './pages.js';
import { destroy } from './session-lifecycle.js';
import type { SessionRegistry } from './sessions.js';

/** Clears the session cookie, with the attributes it was set with (a browser only clears a cookie that matches). */
function clearSessionCookie(res: Response, config: Config): void {
  res.clearCookie(config.session.cookieName, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: config.session.secureCookies,
  });
}

/** This browser signed out: its session record destroyed (when it has one) and its cookie cleared. */
export async function signOutHere(req: Request, res: Response, config: Config): Promise<void> {
  if (req.session) await destroy(req);
  clearSessionCookie(res, config);
}

/**
 * Sign-out ends this session only: RevokeToken at Cognito (best effort: a Cognito outage must not keep anyone
 * signed in here), the tokens and the server-side session deleted, the cookie cleared. The user's other sessions
 * (other browsers, devices) go on; "sign out everywhere" on /account/sessions ends them all.
 */
export function postLogout(deps: { config: Config; sessions: SessionRegistry }): RequestHandler {
  return async function postLogout(req, res) {
    if (req.session?.auth) await deps.sessions.end(req.sessionID, req.session.auth.owner);
    await signOutHere(req, res, deps.config);
    renderPage(res, 'auth/signed-out.njk', 200);
  };
}
