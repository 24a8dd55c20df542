import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import type { Express } from 'express';
import nunjucks from 'nunjucks';
import type { Logger } from 'pino';
import { authRoutes } from './auth/routes.js';
import type { CognitoAccount } from './cognito/account-client.js';
import type { CognitoAuth } from './cognito/auth-client.js';
import type { Config } from './config/config.js';
import { errorHandler } from './http/error-handler.js';
import { refuse } from './http/refusals.js';
import { OUTBOX_PATH, outboxPage, outboxUrlFor } from './local/outbox-page.js';
import { requestLog } from './http/request-log.js';
import type { Lifecycle } from './ops/lifecycle.js';
import type { Metrics } from './ops/metrics.js';
import { opsRoutes } from './ops/routes.js';
import type { OpsDeps } from './ops/routes.js';
import type { ApiProxy } from './proxy/api-proxy.js';
import { createFormCsrf } from './security/csrf.js';
import type { Clock } from './shared/clock.js';
import { securityHeaders } from './security/headers.js';
import { sameOriginOnly } from './security/origin.js';
import { authContext } from './session/auth-context.js';
import type { Backend } from './session/backend.js';
import { sessionMiddleware } from './session/middleware.js';
import type { TokenService } from './tokens/token-service.js';

export interface AppDeps {
  config: Config;
  logger: Logger;
  /** The time every decision of the BFF's own is made by. */
  clock: Clock;
  metrics: Metrics;
  cognito: CognitoAuth;
  /** Sign-up, password recovery and the account page's calls. */
  account: CognitoAccount;
  backend: Backend;
  tokens: TokenService;
  proxy: ApiProxy;
  lifecycle: Lifecycle;
  /** Readiness checks besides the store (e.g. the JWKS has been fetched). */
  readiness: Record<string, () => Promise<boolean>>;
}

const VIEWS = fileURLToPath(new URL('../views', import.meta.url));
const STATIC = fileURLToPath(new URL('../views/static', import.meta.url));
/**
 * @simplewebauthn/browser's UMD bundle (global `SimpleWebAuthnBrowser`), served from our origin so the CSP's
 * `script-src 'self'` covers it: one fixed file, found through the package's own entry point, never a directory.
 */
const WEBAUTHN_BROWSER = join(
  dirname(createRequire(import.meta.url).resolve('@simplewebauthn/browser')),
  '../dist/bundle/index.umd.min.js',
);
const WEBAUTHN_BROWSER_PATH = '/static/vendor/simplewebauthn-browser.js';

/** What the ops endpoints need, on the public listener or the ops listener alike. */
export function opsDeps(deps: AppDeps, serveMetrics: boolean): OpsDeps {
  return {
    metrics: deps.metrics,
    lifecycle: deps.lifecycle,
    checks: { store: () => deps.backend.ready(), ...deps.readiness },
    serveMetrics,
    ...(deps.config.metricsToken ? { metricsToken: deps.config.metricsToken } : {}),
  };
}

/**
 * The pages, sign-in and ops endpoints, built from their parts. API calls never come here: `createBffServer`
 * hands them to the proxy first. Never listens: `main.ts` (or a test) does.
 */
export function createApp(deps: AppDeps): Express {
  const { config, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.set('view engine', 'njk');
  nunjucks.configure(VIEWS, { autoescape: true, express: app, throwOnUndefined: false });

  app.use(opsRoutes(opsDeps(deps, config.ops.publicMetrics)));
  app.use(requestLog(logger));
  const { advancedSecurityScript } = config.cognito;
  app.use(
    securityHeaders({
      https: config.baseUrl.startsWith('https:'),
      ...(advancedSecurityScript ? { scripts: [advancedSecurityScript] } : {}),
    }),
  );
  app.use(sameOriginOnly(config.baseUrl, config.trustProxy));
  app.get(WEBAUTHN_BROWSER_PATH, function webAuthnBrowser(_req, res, next) {
    res.sendFile(WEBAUTHN_BROWSER, { maxAge: '1h' }, (err) => err && next(err));
  });
  app.use('/static', express.static(STATIC, { index: false, maxAge: '1h', fallthrough: false }));
  app.use(sessionMiddleware(config, deps.backend));
  app.use(authContext(deps.backend.sealer, deps.clock, deps.backend.index));
  const csrf = createFormCsrf({
    secret: config.session.secret,
    cookieName: config.session.csrfCookieName,
    secureCookies: config.session.secureCookies,
  });
  // Every page, error pages included, can carry a form.
  app.use(csrf.locals);
  app.use(
    authRoutes({
      csrf,
      cognito: deps.cognito,
      account: deps.account,
      logger,
      config,
      clock: deps.clock,
      metrics: deps.metrics,
      sealer: deps.backend.sealer,
      tokens: deps.tokens,
      backend: deps.backend,
      limiterStore: deps.backend.rateLimitStore,
    }),
  );
  if (advancedSecurityScript) {
    // Pages that send a form to Cognito load Amazon's script (views/layouts/base.njk); the ids are public.
    app.locals['advancedSecurity'] = {
      script: advancedSecurityScript,
      userPoolId: config.cognito.userPoolId,
      clientId: config.cognito.clientId,
    };
  }
  const outboxUrl = config.mode === 'local' ? outboxUrlFor(config) : undefined;
  if (outboxUrl) {
    // Every page's footer links to it (views/layouts/base.njk); AWS mode has neither the link nor the route.
    app.locals['localOutbox'] = OUTBOX_PATH;
    app.use(outboxPage({ outboxUrl, poolId: config.cognito.userPoolId, logger }));
  }
  app.use(function notFound() {
    throw refuse.notFound();
  });
  app.use(errorHandler(logger));
  return app;
}
