import express from 'express';
import type { Router } from 'express';
import type { Logger } from 'pino';
import type { CognitoAuth } from '../cognito/auth-client.js';
import type { Config } from '../config/config.js';
import type { Metrics } from '../ops/metrics.js';
import type { Sealer } from '../tokens/sealer.js';
import type { TokenService } from '../tokens/token-service.js';
import { getLogin, postLogin } from './login.js';
import { postLogout } from './logout.js';
import { getMe } from './me.js';
import { getNewPassword, postNewPassword } from './new-password.js';
import { renderPage } from './pages.js';
import { currentAuth } from './session-lifecycle.js';

export interface AuthRouteDeps {
  cognito: CognitoAuth;
  logger: Logger;
  config: Config;
  metrics: Metrics;
  sealer: Sealer;
  tokens: TokenService;
}

/** Form bodies are small; anything larger is refused before it is parsed. */
const forms = express.urlencoded({ extended: false, limit: '10kb', parameterLimit: 50 });

/** The pages: home, sign-in with the first-login challenge, sign-out, and the session endpoint. */
export function authRoutes(deps: AuthRouteDeps): Router {
  const router = express.Router();
  const loginDeps = { ...deps, sessionMaxAgeMs: deps.config.session.maxAgeSeconds * 1000 };

  router.get('/', async (req, res) => {
    const auth = currentAuth(req);
    if (auth) await deps.tokens.tokensFor(req.sessionID, auth);
    renderPage(
      res,
      'home.njk',
      200,
      auth ? { user: auth.user, expiresAt: new Date(auth.expiresAt).toISOString() } : {},
    );
  });
  router.get('/login', getLogin());
  router.post('/login', forms, postLogin(loginDeps));
  router.get('/login/new-password', getNewPassword(loginDeps));
  router.post('/login/new-password', forms, postNewPassword(loginDeps));
  router.post('/logout', forms, postLogout(deps));
  router.get('/auth/me', getMe(deps.tokens));
  return router;
}
