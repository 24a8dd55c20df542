import { createHmac } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { Store } from 'express-rate-limit';
import type { Logger } from 'pino';
import { clientAddress } from './client-address.js';

export interface SignInLimits {
  /** Failures from one client address, whatever the usernames. */
  perIp: number;
  /** Failures for one username from one client address: the tight limit. */
  perUsername: number;
  /** Failures for one username from every address together; set above what one address can reach alone. */
  perAccount?: number;
  windowSeconds: number;
}

/** What a family of limiters counts, and under which names its counters live. */
export interface LimiterFamily {
  /** Counter-name prefix in the shared store, so families never share counts ('' is sign-in's, as ever). */
  name: string;
  /** Count every attempt (each one sends a code), not only failed ones. */
  countSuccesses?: boolean;
}

export interface LimiterDeps {
  limits: SignInLimits;
  /** A shared store (Redis) so limits hold across instances; the in-process store when undefined. */
  store?: (prefix: string) => Store;
  /** Keys usernames by an HMAC, so a store never holds a username in clear. */
  keySecret: string;
  /** Renders the 429 page. */
  tooMany(req: Request, res: Response, retryAfterSeconds: number): void;
  logger: Logger;
  /** Counts a count the store failed to make. */
  onStoreError(): void;
  /** The error an attempt gets when its counts cannot be made (503 with Retry-After). */
  unavailable(): Error;
}

const STORE_ERROR = /error from store/;
const described = (args: unknown[]) =>
  args
    .map((a) => (typeof a === 'string' ? a : a instanceof Error ? `${a.name}: ${a.message}` : ''))
    .filter(Boolean)
    .join(' ');

/**
 * express-rate-limit's own messages, into the JSON log instead of the console. A store failure (here, only a failed
 * decrement after a success) is counted, not logged: during a Redis outage that would be a line per request, and
 * the Redis connection already logs the outage.
 */
function limiterLogger(deps: LimiterDeps) {
  return {
    warn: (...args: unknown[]) => deps.logger.warn(described(args)),
    error: (...args: unknown[]) => {
      if (STORE_ERROR.test(described(args))) deps.onStoreError();
      else deps.logger.error(described(args));
    },
  };
}

/**
 * Brute-force limits on sign-in and on challenge answers (express-rate-limit), counting failed attempts only, within
 * a window:
 * - per client address, whatever the usernames (one guesser trying many accounts);
 * - per username from one client address, the tight limit (one guesser on one account). Keyed by address too, so
 *   someone failing on purpose elsewhere cannot lock the owner out (a lockout an attacker can trigger is a denial
 *   of service: OWASP Authentication Cheat Sheet, "Account Lockout");
 * - per username from every address together, high enough that one address cannot reach it (the config checks),
 *   against guessing spread over many addresses.
 * Over a limit: 429 with Retry-After and a page that says when to try again.
 */
export function signInLimiters(
  deps: LimiterDeps,
  username: (req: Request) => Promise<string | undefined> | string | undefined,
  family: LimiterFamily = { name: '' },
): RequestHandler[] {
  const windowMs = deps.limits.windowSeconds * 1000;
  const handler = (req: Request, res: Response) => {
    const reset = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
    const seconds = Math.max(1, Math.ceil(((reset?.getTime() ?? Date.now() + windowMs) - Date.now()) / 1000));
    res.setHeader('retry-after', String(seconds));
    deps.tooMany(req, res, seconds);
  };
  const common = {
    windowMs,
    standardHeaders: 'draft-7' as const,
    legacyHeaders: false,
    skipSuccessfulRequests: !family.countSuccesses,
    passOnStoreError: false,
    handler,
    logger: limiterLogger(deps),
  };
  const hashed = (...parts: string[]) =>
    createHmac('sha256', deps.keySecret).update(parts.join('\0')).digest('base64url');
  const address = (req: Request) => ipKeyGenerator(clientAddress(req) ?? 'unknown');
  // The username is read once per request (for a challenge answer it is unsealed from the session).
  const names = new WeakMap<Request, Promise<string | undefined>>();
  const nameOf = (req: Request) => {
    let name = names.get(req);
    if (!name) {
      name = Promise.resolve(username(req)).then((n) => n?.trim().toLowerCase() || undefined);
      names.set(req, name);
    }
    return name;
  };
  const store = (prefix: string) =>
    deps.store ? { store: deps.store(family.name ? prefix.replace('rl:', `rl:${family.name}:`) : prefix) } : {};
  // An attempt that cannot be counted (the shared store is down) is refused, not let through uncounted: it would
  // reach Cognito unlimited, and signing in needs that store anyway.
  const failClosed =
    (limiter: RequestHandler): RequestHandler =>
    (req, res, next) =>
      limiter(req, res, (err?: unknown) => {
        if (!err) return next();
        deps.onStoreError();
        next(deps.unavailable());
      });
  const perAccount = deps.limits.perAccount;
  return [
    rateLimit({
      ...common,
      limit: deps.limits.perIp,
      keyGenerator: address,
      ...store('rl:ip:'),
    }),
    rateLimit({
      ...common,
      limit: deps.limits.perUsername,
      keyGenerator: async (req) => {
        const name = await nameOf(req);
        return name ? hashed(address(req), name) : `ip:${address(req)}`;
      },
      ...store('rl:user-ip:'),
    }),
    ...(perAccount === undefined
      ? []
      : [
          rateLimit({
            ...common,
            limit: perAccount,
            skip: async (req) => !(await nameOf(req)),
            keyGenerator: async (req) => hashed((await nameOf(req)) ?? ''),
            ...store('rl:account:'),
          }),
        ]),
  ].map(failClosed);
}
