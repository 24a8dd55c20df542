import { z } from 'zod';
import { notForwardable } from './forwarding.js';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const int = (min: number, max: number) => {
  const error = `must be a whole number from ${min} to ${max}`;
  return z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};
const httpUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .transform((v) => v.replace(/\/+$/, ''));

/** A 256-bit key, base64 or base64url encoded (`openssl rand -base64 32`). */
const key = z
  .string()
  .trim()
  .transform((v) => Buffer.from(v, 'base64'))
  .refine((b) => b.length === 32, 'must be 32 bytes, base64-encoded (openssl rand -base64 32)');

/**
 * Express's `trust proxy`: "false" (default: ignore X-Forwarded-*), a hop count (1: one proxy in front), a
 * comma-separated list of the proxies' addresses/subnets, or "true" (trust every hop: the client's own left-most
 * X-Forwarded-For entry becomes its address).
 */
const trustProxy = z
  .string()
  .trim()
  .transform((v): boolean | number | string => {
    if (v === 'true') return true;
    if (v === 'false' || v === '') return false;
    if (/^\d+$/.test(v)) return Number(v);
    return v;
  });

/** A comma-separated list, blanks dropped. */
const list = z.string().transform((v) =>
  v
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
);
const forwardableHeaders = list
  .transform((names) => names.map((name) => name.toLowerCase()))
  .superRefine((names, ctx) => {
    for (const name of names) {
      const reason = notForwardable(name);
      if (reason) ctx.addIssue({ code: 'custom', message: `${name} ${reason}` });
    }
  });
/**
 * A script URL the CSP's script-src names exactly: https, or http on a loopback host (a local test server). A CSP
 * source cannot hold ';', ',' or quotes, so a URL with them is refused rather than allowed to widen the policy.
 * In a CSP source a `*.` host allows every subdomain and a path ending in `/` every script under it (CSP3 §6.7.2.8,
 * "Does url match expression"); for amazonaws.com that takes in S3 buckets anyone can fill. So the host holds no
 * `*` and the path names one file.
 */
const scriptUrl = z
  .url({ protocol: /^https?$/, error: 'must be an https URL' })
  .transform((v) => new URL(v).href)
  .refine((v) => {
    const url = new URL(v);
    return url.protocol === 'https:' || ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  }, 'must be an https URL (http only on a loopback host)')
  .refine((v) => !/[;,'"\s]/.test(v), 'must not contain ; , quotes or spaces')
  .refine((v) => !new URL(v).hostname.includes('*'), 'must name one host, without *')
  .refine((v) => !new URL(v).pathname.endsWith('/'), 'must be the path of the script itself, not a folder')
  // A CSP source has no query or fragment: the page would load one URL and the policy name another.
  .refine((v) => !/[?#]/.test(v), 'must not have a query or fragment');
const apiPathPrefix = z.string().regex(/^\/api(\/|$)/, 'each path must start with /api/');
const DEFAULT_SIGN_IN_LIMIT_PER_USERNAME = 10;

/** Every setting, read from the environment once at start-up. Documented with defaults in `.env.example`. */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).optional(),
  PORT: int(0, 65535).default(3000),
  BASE_URL: httpUrl.optional(),
  TRUST_PROXY: trustProxy.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  COGNITO_REGION: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as eu-west-1')
    .optional(),
  COGNITO_USER_POOL_ID: z
    .string()
    .regex(/^[\w-]+_[0-9A-Za-z]+$/, 'must look like eu-west-1_AbC123xyz')
    .optional(),
  COGNITO_CLIENT_ID: z
    .string()
    .regex(/^[\w+]{1,128}$/, 'must be an app client id')
    .optional(),
  COGNITO_CLIENT_SECRET: z.string().min(1).optional(),
  COGNITO_ENDPOINT: httpUrl.optional(),
  COGNITO_ISSUER: httpUrl.optional(),
  COGNITO_JWKS_URI: httpUrl.optional(),
  COGNITO_REFRESH_TOKEN_VALIDITY_SECONDS: int(3600, 315_360_000).default(30 * 86_400),
  COGNITO_TIMEOUT_MS: int(100, 60_000).default(10_000),
  COGNITO_ADVANCED_SECURITY_SCRIPT: scriptUrl.optional(),
  API_BASE_URL: httpUrl.optional(),
  /** Several upstream APIs: JSON or a JSON file's path, read and checked by api-routes.ts. */
  API_ROUTES: z.string().trim().min(1).optional(),

  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SESSION_STORE: z.enum(['memory', 'redis']).default('memory'),
  SESSION_MAX_AGE_SECONDS: int(60, 315_360_000).default(8 * 3600),
  SESSION_IDLE_TIMEOUT_SECONDS: int(1, 315_360_000).default(3600),
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional(),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[\w:.-]{1,64}$/, 'letters, digits and : . - _ only')
    .default('bff:'),
  REDIS_COMMAND_TIMEOUT_MS: int(10, 60_000).default(500),
  TOKEN_ENCRYPTION_KEY: key.optional(),
  TOKEN_ENCRYPTION_OLD_KEYS: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((k) => k.trim())
        .filter(Boolean),
    )
    .pipe(z.array(key))
    .default([]),
  TOKEN_REFRESH_SKEW_SECONDS: int(0, 3000).default(60),
  COGNITO_REFRESH_TOKEN_ROTATION: bool.default(false),
  SIGN_IN_LIMIT_PER_IP: int(1, 100_000).default(50),
  SIGN_IN_LIMIT_PER_USERNAME: int(1, 10_000).default(DEFAULT_SIGN_IN_LIMIT_PER_USERNAME),
  SIGN_IN_LIMIT_PER_ACCOUNT: int(1, 1_000_000).optional(),
  SIGN_IN_LIMIT_WINDOW_SECONDS: int(1, 86_400).default(900),
  CODE_SEND_LIMIT_PER_IP: int(1, 100_000).default(20),
  CODE_SEND_LIMIT_PER_USERNAME: int(1, 10_000).default(5),
  SIGN_UP_ENABLED: bool.optional(),
  SIGN_IN_METHODS: list
    .pipe(
      z.array(
        z.enum(['password', 'email_otp', 'sms_otp', 'passkey'], {
          error: 'each must be password, email_otp, sms_otp or passkey',
        }),
      ),
    )
    .refine((methods) => methods.length > 0, 'must name at least one method')
    .optional(),
  MFA_ISSUER_NAME: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[^:]+$/, 'must not contain ":"')
    .optional(),
  SIGN_UP_ATTRIBUTES: list
    .pipe(z.array(z.string().regex(/^(custom:)?[\w.-]{1,32}$/, 'must be attribute names such as email,name')))
    .default(['email']),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  METRICS_PUBLIC: bool.default(false),
  OPS_PORT: int(0, 65535).optional(),
  OPS_HOST: z.string().min(1).default('127.0.0.1'),
  SESSION_COOKIE_NAME: z
    .string()
    .regex(/^[\w.-]+$/, 'letters, digits, dot, dash and underscore only')
    .optional(),

  PROXY_TIMEOUT_MS: int(100, 300_000).default(10_000),
  PROXY_MAX_CONNECTIONS: int(1, 10_000).default(128),
  PROXY_MAX_BODY_BYTES: int(0, 100 * 1024 * 1024).default(1024 * 1024),
  PROXY_QUEUE_TIMEOUT_MS: int(0, 300_000).default(1000),
  PROXY_BODY_TIMEOUT_MS: int(100, 600_000).default(10_000),
  PROXY_FORWARD_HEADERS: forwardableHeaders.default([]),
  PROXY_CACHEABLE_PATHS: list.pipe(z.array(apiPathPrefix)).default([]),
  HTTP_HEADERS_TIMEOUT_MS: int(1000, 600_000).default(10_000),
  HTTP_REQUEST_TIMEOUT_MS: int(1000, 3_600_000).default(30_000),
  SHUTDOWN_TIMEOUT_MS: int(0, 600_000).default(10_000),
  SHUTDOWN_DELAY_MS: int(0, 600_000).default(0),
  SECURE_COOKIES: bool.optional(),
});

type Raw = Record<string, string | undefined>;

/**
 * Rules across variables, checked on the raw values so they are reported together with every per-variable
 * problem (a schema refinement would only run once everything else parsed).
 */
export function crossFieldProblems(env: Raw): string[] {
  const problems: string[] = [];
  const aws = ['COGNITO_REGION', 'COGNITO_USER_POOL_ID', 'COGNITO_CLIENT_ID'].some((name) => env[name]);
  if (aws) {
    for (const name of [
      'COGNITO_REGION',
      'COGNITO_USER_POOL_ID',
      'COGNITO_CLIENT_ID',
      // API_ROUTES can name every upstream itself; API_BASE_URL is then an optional catch-all.
      ...(env['API_ROUTES'] ? [] : ['API_BASE_URL']),
      'SESSION_SECRET',
      'TOKEN_ENCRYPTION_KEY',
    ]) {
      if (!env[name]) problems.push(`${name}: is required when a Cognito user pool is configured`);
    }
    const region = env['COGNITO_REGION'];
    const pool = env['COGNITO_USER_POOL_ID'];
    if (region && pool && !pool.startsWith(`${region}_`)) {
      problems.push('COGNITO_USER_POOL_ID: must start with COGNITO_REGION and "_"');
    }
  }
  if (env['SESSION_STORE'] === 'redis' && !env['REDIS_URL']) {
    problems.push('REDIS_URL: is required when SESSION_STORE is redis');
  }
  // The BFF speaks plain HTTP behind a TLS-terminating proxy; without X-Forwarded-Proto it cannot know a request
  // was https, and express-session then never sets the Secure cookie: nobody could sign in.
  if (env['BASE_URL']?.startsWith('https:') && ['', 'false', '0'].includes(env['TRUST_PROXY']?.trim() ?? '')) {
    problems.push(
      'TRUST_PROXY: must name the TLS-terminating proxy when BASE_URL is https: its hop count (usually 1) or its addresses',
    );
  }
  // `true` makes the left-most X-Forwarded-For entry, which the client writes, its address: a client changing it
  // on every request is never held by the per-IP sign-in limit. A TLS-terminating proxy's hop count is known.
  if (env['BASE_URL']?.startsWith('https:') && env['TRUST_PROXY']?.trim() === 'true') {
    problems.push(
      'TRUST_PROXY: cannot be true when BASE_URL is https (any client could choose its address); set the hop count to the TLS-terminating proxy (usually 1) or its addresses',
    );
  }
  const headersTimeout = Number(env['HTTP_HEADERS_TIMEOUT_MS'] ?? 10_000);
  if (headersTimeout > Number(env['HTTP_REQUEST_TIMEOUT_MS'] ?? 30_000)) {
    problems.push('HTTP_HEADERS_TIMEOUT_MS: must not be over HTTP_REQUEST_TIMEOUT_MS');
  }
  if (env['OPS_PORT'] && /^(true|1|yes)$/.test(env['METRICS_PUBLIC'] ?? '')) {
    problems.push(
      'METRICS_PUBLIC: cannot be true when OPS_PORT is set (/metrics is then served on that listener only)',
    );
  }
  if (/^(false|0|no)$/.test(env['SECURE_COOKIES'] ?? '') && env['BASE_URL']?.startsWith('https:')) {
    problems.push('SECURE_COOKIES: cannot be false when BASE_URL is https');
  }
  // Each counter's window starts at its own first failure, so the account's window can overlap two windows of one
  // address's per-username counter: one address can add twice its limit to the account's count, never more.
  const perAccount = Number(env['SIGN_IN_LIMIT_PER_ACCOUNT'] ?? NaN);
  const perUsername = Number(env['SIGN_IN_LIMIT_PER_USERNAME'] ?? DEFAULT_SIGN_IN_LIMIT_PER_USERNAME);
  if (perAccount <= 2 * perUsername) {
    problems.push(
      'SIGN_IN_LIMIT_PER_ACCOUNT: must be more than twice SIGN_IN_LIMIT_PER_USERNAME, or a single address could lock the account out',
    );
  }
  return problems;
}
