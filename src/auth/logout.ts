import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { CognitoAuth } from '../cognito/auth-client.js';
import type { Config } from '../config/config.js';
import type { TokenService } from '../tokens/token-service.js';
import { renderPage } from './pages.js';
import { destroy } from './session-lifecycle.js';

/**
 * Sign-out: GlobalSignOut and RevokeToken at Cognito (best effort: a Cognito outage must not keep anyone signed
 * in here), then the tokens and the server-side session are deleted and the cookie cleared.
 */
export function postLogout(deps: {
  cognito: CognitoAuth;
  logger: Logger;
  config: Config;
  tokens: TokenService;
}): RequestHandler {
  return async function postLogout(req, res) {
    if (req.session?.auth) {
      const stored = await deps.tokens.peek(req.sessionID).catch(() => undefined);
      if (stored) {
        const failed = await deps.cognito.signOut(stored.tokens);
        if (failed.length > 0) deps.logger.warn({ failed }, 'Cognito sign-out incomplete; local session ended anyway');
      }
      await deps.tokens.end(req.sessionID);
    }
    if (req.session) await destroy(req);
    res.clearCookie(deps.config.session.cookieName, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: deps.config.session.secureCookies,
    });
    renderPage(res, 'auth/signed-out.njk', 200);
  };
}
