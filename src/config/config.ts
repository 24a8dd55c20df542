import { parseApiRoutes } from './api-routes.js';
import type { ApiRoute } from './api-routes.js';
import { DEFAULT_FORWARDED_HEADERS } from './forwarding.js';
import { crossFieldProblems, envSchema } from './schema.js';

/** What the BFF runs with. Built once by `loadConfig`; passed down, never read from the environment again. */
export interface Config {
  mode: 'aws' | 'local';
  host: string;
  port: number;
  /** The public origin users reach, e.g. https://app.example.com. */
  baseUrl: string;
  trustProxy: boolean | number | string;
  logLevel: string;
  /** After SIGTERM: how long to keep accepting connections (answering not-ready), then how long to wait for them. */
  shutdown: { delayMs: number; timeoutMs: number };
  cognito: {
    region: string;
    userPoolId: string;
    clientId: string;
    /** Present for a confidential client: SECRET_HASH is sent. Absent for a public client. */
    clientSecret?: string;
    endpoint?: string;
    issuer: string;
    /** Where the pool's signing keys are fetched; `${issuer}/.well-known/jwks.json` unless COGNITO_JWKS_URI. */
    jwksUri: string;
    refreshTokenValiditySeconds: number;
    /** A Cognito call not answered in this long counts as Cognito being unavailable (ms). */
    timeoutMs: number;
    /**
     * Amazon's context-data script (amazon-cognito-advanced-security-data.min.js): when set, the sign-in, sign-up
     * and password pages load it, send its EncodedData to Cognito, and the CSP allows exactly this URL.
     */
    advancedSecurityScript?: string;
  };
  /** API_BASE_URL (in local mode the local API): `/api/*` with the ID token, the catch-all when API_ROUTES is set. */
  apiBaseUrl?: string;
  session: {
    secret: string;
    store: 'memory' | 'redis';
    /** Absolute lifetime: never longer than the refresh token. */
    maxAgeSeconds: number;
    /** Idle timeout: a session unused this long ends (rolling). */
    idleTimeoutSeconds: number;
    cookieName: string;
    /** The anti-forgery cookie, named after the session cookie. */
    csrfCookieName: string;
    secureCookies: boolean;
  };
  proxy: {
    /** An API call's deadline, from the moment the whole request is in (its arrival, without a body), until the API's response headers. */
    timeoutMs: number;
    maxConnections: number;
    maxBodyBytes: number;
    /** How long a call may wait for a free connection before it is answered 503. */
    queueTimeoutMs: number;
    /** How long a browser may take to send a call's body (read whole before the API is called). */
    bodyTimeoutMs: number;
    /** Browser request headers passed to the API: the defaults plus PROXY_FORWARD_HEADERS, lower case. */
    forwardHeaders: ReadonlySet<string>;
    /** Paths under /api whose answers keep the API's caching headers. */
    cacheablePaths: string[];
    /**
     * Where `/api/*` goes: API_ROUTES' routes, then API_BASE_URL as the `/api` catch-all with the ID token (unless a
     * route is `/api` itself). Without API_ROUTES, only the catch-all.
     */
    routes: ApiRoute[];
  };
  /** Node's limits on a client sending its request: the headers, and the whole request with its body. */
  http: { headersTimeoutMs: number; requestTimeoutMs: number };
  redis?: { url: string; keyPrefix: string; commandTimeoutMs: number };
  tokens: {
    /** AES-256-GCM key for tokens at rest; `oldKeys` still decrypt (key rotation). */
    encryptionKey: Buffer;
    oldKeys: Buffer[];
    refreshSkewSeconds: number;
    /** The app client rotates refresh tokens: refresh with GetTokensFromRefreshToken. */
    rotation: boolean;
  };
  metricsToken?: string;
  /**
   * `listener`: a listener of its own (OPS_PORT) for /healthz, /readyz and /metrics. `publicMetrics`: whether the
   * public listener serves /metrics too: never when there is an ops listener, and in production only with
   * METRICS_TOKEN or METRICS_PUBLIC.
   */
  ops: { listener?: { host: string; port: number }; publicMetrics: boolean };
  /**
   * Failed sign-ins and challenge answers allowed per window: per client IP; per username from one client IP (the
   * tight limit); per username from every address together (only against guessing spread over many addresses).
   */
  signInLimits: { perIp: number; perUsername: number; perAccount: number; windowSeconds: number };
  /**
   * Codes sent (sign-up, resend, forgotten password, email verification) per window, counting every request: per
   * client IP and per username from one client IP. Checking a code counts against `signInLimits`.
   */
  codeSendLimits: { perIp: number; perUsername: number; windowSeconds: number };
  /**
   * How people may sign in, the first being the form /login shows: `password` (USER_PASSWORD_AUTH), and through
   * choice-based sign-in (USER_AUTH: the app client needs ALLOW_USER_AUTH) `email_otp`, `sms_otp`, `passkey`.
   */
  signInMethods: ('password' | 'email_otp' | 'sms_otp' | 'passkey')[];
  /** The name an authenticator app shows for this site's codes (the otpauth:// issuer). */
  mfaIssuer: string;
  /** Self sign-up: offered or not, and the attributes the form asks for besides username and password. */
  signUp: { enabled: boolean; attributes: string[] };
}

/** The settings local mode fills in from the local stack; in AWS mode they come from the environment. */
export interface LocalSettings {
  region: string;
  userPoolId: string;
  clientId: string;
  clientSecret?: string;
  endpoint: string;
  /** The local API: the `/api` catch-all (tests may leave it out to run with API_ROUTES alone). */
  apiBaseUrl?: string;
  sessionSecret: string;
  tokenEncryptionKey: Buffer;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Environment = Record<string, string | undefined>;

/** True when no Cognito pool is configured: `npm start` then runs the local stack. */
export function isLocalMode(env: Environment): boolean {
  return !env['COGNITO_USER_POOL_ID'] && !env['COGNITO_CLIENT_ID'] && !env['COGNITO_REGION'];
}

/**
 * Reads every setting, reporting all problems at once by variable name. Secret values are never echoed: a
 * problem names the variable and the rule, not the value.
 */
export function loadConfig(env: Environment, local?: LocalSettings): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  const routesSetting = present['API_ROUTES']?.trim();
  const apiRoutes = routesSetting
    ? parseApiRoutes(routesSetting, parsed.success ? parsed.data.PROXY_TIMEOUT_MS : 10_000)
    : undefined;
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`)),
    ...crossFieldProblems(present),
    ...(apiRoutes?.problems ?? []),
  ];
  // In local mode a route for /api itself takes the local API's place; in AWS mode one of the two is a mistake.
  const ownCatchAll = apiRoutes?.routes.findIndex((r) => r.prefix === '/api') ?? -1;
  if (!local && ownCatchAll !== -1 && present['API_BASE_URL']) {
    problems.push(`API_ROUTES[${ownCatchAll}] (/api): /api is API_BASE_URL's catch-all; leave out one of them`);
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError([...new Set(problems)]);
  const e = parsed.data;
  const mode = local ? 'local' : 'aws';
  const region = local?.region ?? e.COGNITO_REGION;
  const userPoolId = local?.userPoolId ?? e.COGNITO_USER_POOL_ID;
  const clientId = local?.clientId ?? e.COGNITO_CLIENT_ID;
  const apiBaseUrl = local?.apiBaseUrl ?? e.API_BASE_URL;
  const secret = local?.sessionSecret ?? e.SESSION_SECRET;
  const encryptionKey = e.TOKEN_ENCRYPTION_KEY ?? local?.tokenEncryptionKey;
  const hasApi = apiBaseUrl ?? apiRoutes;
  if (!region || !userPoolId || !clientId || !hasApi || !secret || !encryptionKey) {
    const missing = Object.entries({
      COGNITO_REGION: region,
      COGNITO_USER_POOL_ID: userPoolId,
      COGNITO_CLIENT_ID: clientId,
      API_BASE_URL: hasApi,
      SESSION_SECRET: secret,
      TOKEN_ENCRYPTION_KEY: encryptionKey,
    })
      .filter(([, v]) => !v)
      .map(([k]) => `${k}: is required`);
    throw new ConfigError(missing);
  }
  const endpoint = local?.endpoint ?? e.COGNITO_ENDPOINT;
  const issuer = e.COGNITO_ISSUER ?? `${endpoint ?? `https://cognito-idp.${region}.amazonaws.com`}/${userPoolId}`;
  const host = e.HOST ?? (mode === 'local' ? '127.0.0.1' : '0.0.0.0');
  // Local mode listens on 127.0.0.1 and is opened as http://localhost (a secure context with a domain RP ID for
  // passkeys); AWS mode without BASE_URL is a development setting too.
  const baseUrl = e.BASE_URL ?? `http://localhost:${e.PORT}`;
  const https = baseUrl.startsWith('https:');
  const secureCookies = e.SECURE_COOKIES ?? https;
  const clientSecret = local ? local.clientSecret : e.COGNITO_CLIENT_SECRET;
  return {
    mode,
    host,
    port: e.PORT,
    baseUrl,
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    shutdown: { delayMs: e.SHUTDOWN_DELAY_MS, timeoutMs: e.SHUTDOWN_TIMEOUT_MS },
    cognito: {
      region,
      userPoolId,
      clientId,
      ...(clientSecret ? { clientSecret } : {}),
      ...(endpoint ? { endpoint } : {}),
      issuer,
      jwksUri: e.COGNITO_JWKS_URI ?? `${issuer}/.well-known/jwks.json`,
      refreshTokenValiditySeconds: e.COGNITO_REFRESH_TOKEN_VALIDITY_SECONDS,
      timeoutMs: e.COGNITO_TIMEOUT_MS,
      ...(e.COGNITO_ADVANCED_SECURITY_SCRIPT ? { advancedSecurityScript: e.COGNITO_ADVANCED_SECURITY_SCRIPT } : {}),
    },
    ...(apiBaseUrl ? { apiBaseUrl } : {}),
    session: {
      secret,
      store: e.SESSION_STORE,
      maxAgeSeconds: Math.min(e.SESSION_MAX_AGE_SECONDS, e.COGNITO_REFRESH_TOKEN_VALIDITY_SECONDS),
      idleTimeoutSeconds: Math.min(e.SESSION_IDLE_TIMEOUT_SECONDS, e.SESSION_MAX_AGE_SECONDS),
      // The __Host- prefix makes the browser refuse the cookie unless Secure, host-only and Path=/.
      cookieName: e.SESSION_COOKIE_NAME ?? (secureCookies ? '__Host-bff.sid' : 'bff.sid'),
      csrfCookieName: e.SESSION_COOKIE_NAME
        ? `${e.SESSION_COOKIE_NAME}.csrf`
        : secureCookies
          ? '__Host-bff.csrf'
          : 'bff.csrf',
      secureCookies,
    },
    ...(e.REDIS_URL
      ? { redis: { url: e.REDIS_URL, keyPrefix: e.REDIS_KEY_PREFIX, commandTimeoutMs: e.REDIS_COMMAND_TIMEOUT_MS } }
      : {}),
    tokens: {
      encryptionKey,
      oldKeys: e.TOKEN_ENCRYPTION_OLD_KEYS,
      refreshSkewSeconds: e.TOKEN_REFRESH_SKEW_SECONDS,
      rotation: e.COGNITO_REFRESH_TOKEN_ROTATION,
    },
    ...(e.METRICS_TOKEN ? { metricsToken: e.METRICS_TOKEN } : {}),
    ops: {
      ...(e.OPS_PORT === undefined ? {} : { listener: { host: e.OPS_HOST, port: e.OPS_PORT } }),
      publicMetrics:
        e.OPS_PORT === undefined && (e.NODE_ENV !== 'production' || e.METRICS_TOKEN !== undefined || e.METRICS_PUBLIC),
    },
    signInLimits: {
      perIp: e.SIGN_IN_LIMIT_PER_IP,
      perUsername: e.SIGN_IN_LIMIT_PER_USERNAME,
      perAccount: e.SIGN_IN_LIMIT_PER_ACCOUNT ?? 10 * e.SIGN_IN_LIMIT_PER_USERNAME,
      windowSeconds: e.SIGN_IN_LIMIT_WINDOW_SECONDS,
    },
    codeSendLimits: {
      perIp: e.CODE_SEND_LIMIT_PER_IP,
      perUsername: e.CODE_SEND_LIMIT_PER_USERNAME,
      windowSeconds: e.SIGN_IN_LIMIT_WINDOW_SECONDS,
    },
    // The BFF cannot read the pool's settings with a client's rights, so AWS mode offers sign-up only when told to.
    // The local pool allows every first factor; a real app client has only what its ExplicitAuthFlows allow.
    signInMethods:
      e.SIGN_IN_METHODS ?? (mode === 'local' ? ['password', 'email_otp', 'sms_otp', 'passkey'] : ['password']),
    mfaIssuer: e.MFA_ISSUER_NAME ?? new URL(baseUrl).hostname,
    signUp: { enabled: e.SIGN_UP_ENABLED ?? mode === 'local', attributes: e.SIGN_UP_ATTRIBUTES },
    proxy: {
      timeoutMs: e.PROXY_TIMEOUT_MS,
      maxConnections: e.PROXY_MAX_CONNECTIONS,
      maxBodyBytes: e.PROXY_MAX_BODY_BYTES,
      queueTimeoutMs: Math.min(e.PROXY_QUEUE_TIMEOUT_MS, e.PROXY_TIMEOUT_MS),
      bodyTimeoutMs: e.PROXY_BODY_TIMEOUT_MS,
      forwardHeaders: new Set([...DEFAULT_FORWARDED_HEADERS, ...e.PROXY_FORWARD_HEADERS]),
      cacheablePaths: e.PROXY_CACHEABLE_PATHS,
      routes: [
        ...(apiRoutes?.routes ?? []),
        ...(apiBaseUrl && ownCatchAll === -1
          ? [{ prefix: '/api', upstream: apiBaseUrl, token: 'id' as const, timeoutMs: e.PROXY_TIMEOUT_MS }]
          : []),
      ],
    },
    http: { headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS, requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS },
  };
}

/** The only place the process environment is read. */
export const processEnvironment = (): Environment => ({ ...process.env });
