import { fileURLToPath } from 'node:url';
import express from 'express';
import type { Express } from 'express';
import nunjucks from 'nunjucks';
import type { Logger } from 'pino';
import { authRoutes } from './auth/routes.js';
import type { CognitoAuth } from './cognito/auth-client.js';
import type { Config } from './config/config.js';
import { errorHandler } from './http/error-handler.js';
import { HttpError } from './http/errors.js';
import { requestLog } from './http/request-log.js';
import type { ApiProxy } from './proxy/api-proxy.js';
import { securityHeaders } from './security/headers.js';
import { sessionMiddleware } from './session/middleware.js';
import type { SessionStore } from './session/store-factory.js';

export interface AppDeps {
  config: Config;
  logger: Logger;
  cognito: CognitoAuth;
  sessions: SessionStore;
  proxy: ApiProxy;
}

const VIEWS = fileURLToPath(new URL('../views', import.meta.url));
const STATIC = fileURLToPath(new URL('../views/static', import.meta.url));

/** Builds the BFF from its parts. Never listens: `main.ts` (or a test) does. */
export function createApp(deps: AppDeps): Express {
  const { config, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.set('view engine', 'njk');
  nunjucks.configure(VIEWS, { autoescape: true, express: app, throwOnUndefined: false });

  app.use(requestLog(logger));
  app.use(securityHeaders({ https: config.baseUrl.startsWith('https:') }));
  app.use('/static', express.static(STATIC, { index: false, maxAge: '1h', fallthrough: false }));
  app.use(sessionMiddleware(config, deps.sessions));
  app.use('/api', deps.proxy.handler);
  app.use(authRoutes({ cognito: deps.cognito, logger, config }));
  app.use(() => {
    throw new HttpError(404, 'not_found', 'There is nothing here.');
  });
  app.use(errorHandler(logger));
  return app;
}
