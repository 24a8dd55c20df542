import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { CognitoAuth } from '../cognito/auth-client.js';
import type { Config } from '../config/config.js';
import { renderPage } from './pages.js';
import { destroy } from './session-lifecycle.js';

/**
 * Sign-out: GlobalSignOut and RevokeToken at Cognito (best effort: a Cognito outage must not keep anyone signed
 * in here), then the server-side session is destroyed and the cookie cleared.
 */
export function postLogout(deps: { cognito: CognitoAuth; logger: Logger; config: Config }): RequestHandler {
  return async (req, res) => {
    const auth = req.session?.auth;
    if (auth) {
      const failed = await deps.cognito.signOut(auth.tokens);
      if (failed.length > 0) deps.logger.warn({ failed }, 'Cognito sign-out incomplete; local session ended anyway');
    }
    if (req.session) await destroy(req);
    res.clearCookie(deps.config.session.cookieName, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: deps.config.session.secureCookies,
    });
    renderPage(res, 'signed-out.njk', 200);
  };
}
