import express from 'express';
import type { Router } from 'express';
import type { Logger } from 'pino';
import type { CognitoAccount } from '../cognito/account-client.js';
import type { CognitoAuth } from '../cognito/auth-client.js';
import type { Config } from '../config/config.js';
import type { Metrics } from '../ops/metrics.js';
import type { Backend } from '../session/backend.js';
import type { Clock } from '../shared/clock.js';
import type { Sealer } from '../tokens/sealer.js';
import type { TokenService } from '../tokens/token-service.js';
import type { Request, Response } from 'express';
import type { FormCsrf } from '../security/csrf.js';
import { signInLimiters } from '../security/rate-limits.js';
import { refuse } from '../http/refusals.js';
import type { LimiterDeps } from '../security/rate-limits.js';
import { requestField } from './form.js';
import { getLogin, postLogin, postResend, postStart } from './login.js';
import { postLogout } from './logout.js';
import { getMe } from './me.js';
import { sessionRegistry } from './sessions.js';
import { deleteSession, getSessions } from './sessions-api.js';
import { accountSessionsJourney } from './journeys/account-sessions.js';
import { renderPage } from './pages.js';
import { requireSignIn } from './require-sign-in.js';
import { safeReturnTo } from './return-to.js';
import { currentAuth, readPending } from './session-lifecycle.js';
import { renderLogin } from './sign-in-failure.js';
import { accountJourney } from './journeys/account.js';
import { accountSecurityJourney } from './journeys/account-security.js';
import { mountJourney, tooManyOnPage } from './journeys/mount.js';
import { passwordResetJourney } from './journeys/password-reset.js';
import { confirmedSignIn, signUpJourney } from './journeys/sign-up.js';
import { journeyState } from './journeys/state.js';
import { mountSteps } from './steps/mount.js';

export interface AuthRouteDeps {
  /** Anti-forgery tokens; `csrf.locals` is mounted app-wide, before these routes. */
  csrf: FormCsrf;
  cognito: CognitoAuth;
  account: CognitoAccount;
  logger: Logger;
  config: Config;
  clock: Clock;
  metrics: Metrics;
  sealer: Sealer;
  tokens: TokenService;
  /** The session store and its per-user index (the sessions page, ending sessions). */
  backend: Pick<Backend, 'store' | 'index'>;
  /** Where rate-limit counters live (Redis when several instances share limits). */
  limiterStore: LimiterDeps['store'];
}

/** Past a limit: the sign-in form, still going where the visitor was going (the form's own, or the challenge's). */
function tooManyAttempts(req: Request, res: Response, retryAfterSeconds: number): void {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  renderLogin(res, 429, {
    username: requestField(req, 'username') ?? '',
    returnTo: safeReturnTo(requestField(req, 'returnTo') ?? req.session?.returnTo),
    error: `Too many sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
  });
}

/** Form bodies are small; anything larger is refused before it is parsed. */
const forms = express.urlencoded({ extended: false, limit: '10kb', parameterLimit: 50 });

/** The pages: home, sign-in with its challenge steps, sign-out, and the session endpoint. */
export function authRoutes(deps: AuthRouteDeps): Router {
  const router = express.Router();
  const state = journeyState(deps.sealer);
  const sessions = sessionRegistry({ ...deps, ...deps.backend });
  const loginDeps = {
    ...deps,
    index: deps.backend.index,
    state,
    site: {
      mfaIssuer: deps.config.mfaIssuer,
      signInMethods: deps.config.signInMethods,
      passkeys: deps.config.signInMethods.includes('passkey'),
    },
    sessionMaxAgeMs: deps.config.session.maxAgeSeconds * 1000,
  };
  const { csrf } = deps;
  const limiterDeps: LimiterDeps = {
    limits: deps.config.signInLimits,
    ...(deps.limiterStore ? { store: deps.limiterStore } : {}),
    keySecret: deps.config.session.secret,
    tooMany: tooManyAttempts,
    logger: deps.logger,
    onStoreError: () => deps.metrics.storeErrors.inc({ operation: 'rate_limit' }),
    unavailable: refuse.storeUnavailable,
  };
  // One set of counters for passwords and for the codes after them: a wrong code counts as a wrong password does,
  // so the counts never tell whether a password was right for a user whose next step is a code.
  const signInLimits = signInLimiters(
    limiterDeps,
    async (req) => requestField(req, 'username') ?? (await readPending(req, deps.sealer))?.typedUsername,
  );

  // Pages offer "Create an account" only where sign-up is on.
  router.use(function signUpOffered(_req, res, next) {
    res.locals['signUpEnabled'] = deps.config.signUp.enabled;
    res.locals['signInMethods'] = deps.config.signInMethods;
    next();
  });
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
  // Account journeys: codes sent are counted per request, codes and passwords checked per failure (like sign-in).
  const attemptUsername = async (req: Request) =>
    requestField(req, 'username') ??
    req.signedIn?.user.username ??
    (await readPending(req, deps.sealer))?.typedUsername;
  const journeyLimits = {
    send: signInLimiters(
      { ...limiterDeps, limits: deps.config.codeSendLimits, tooMany: tooManyOnPage },
      attemptUsername,
      {
        name: 'send',
        countSuccesses: true,
      },
    ),
    check: signInLimiters({ ...limiterDeps, tooMany: tooManyOnPage }, attemptUsername, { name: 'check' }),
  };
  const journeyParts = { forms, csrf, limits: journeyLimits, logger: deps.logger };
  const { account } = deps;
  // With choice-based sign-in on (the client allows USER_AUTH), ConfirmSignUp's Session signs the new user in.
  const choiceBased = deps.config.signInMethods.some((method) => method !== 'password');
  const signInAfterConfirm = confirmedSignIn(loginDeps);
  mountJourney(
    router,
    signUpJourney({ account, state, ...deps.config.signUp, ...(choiceBased ? { signInAfterConfirm } : {}) }),
    journeyParts,
  );
  mountJourney(router, passwordResetJourney({ account, state, logger: deps.logger, sessions }), journeyParts);
  mountJourney(
    router,
    accountJourney({
      clock: deps.clock,
      account,
      tokens: deps.tokens,
      sealer: deps.sealer,
      logger: deps.logger,
      sessions,
    }),
    journeyParts,
  );
  mountJourney(router, accountSessionsJourney({ sessions, config: deps.config }), journeyParts);
  mountJourney(
    router,
    accountSecurityJourney({ ...deps, mfaIssuer: deps.config.mfaIssuer, passkeys: loginDeps.site.passkeys }),
    journeyParts,
  );

  router.get('/login', getLogin(state));
  router.post('/login', forms, csrf.protect, ...signInLimits, postLogin(loginDeps));
  mountSteps(router, loginDeps, { forms, csrf, limits: signInLimits });
  // Choice-based sign-in: starting one may lead to a code being sent, so it counts as a code request.
  router.post('/login/start', forms, csrf.protect, ...journeyLimits.send, postStart(loginDeps));
  router.post(
    '/login/resend',
    forms,
    csrf.protectUnless((req) => !req.session?.pending),
    ...journeyLimits.send,
    postResend(loginDeps),
  );
  // Signing out someone who is not signed in changes nothing, so it needs no token.
  router.post(
    '/logout',
    forms,
    csrf.protectUnless((req) => !req.session?.auth),
    postLogout({ config: deps.config, sessions }),
  );
  router.get('/auth/me', requireSignIn(), getMe(deps.tokens, deps.config.session.idleTimeoutSeconds, deps.clock));
  router.get('/auth/sessions', requireSignIn(), getSessions(sessions));
  router.delete('/auth/sessions/:id', requireSignIn(), deleteSession({ config: deps.config, sessions }));
  return router;
}
