import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Dispatcher } from 'undici';
import type { ApiRoute } from '../config/api-routes.js';
import { HttpError } from '../http/errors.js';
import { refusedWith } from '../http/client-errors.js';
import { writeJsonError } from '../http/json-error.js';
import { refuse } from '../http/refusals.js';
import { assignRequestId } from '../http/request-log.js';
import type { Metrics } from '../ops/metrics.js';
import type { OutageLog } from '../ops/outage-log.js';
import { clientAddressOf, crossSiteCheck, protocolOf } from '../security/origin.js';
import type { TrustProxy } from '../security/origin.js';
import type { SessionReader } from '../session/session-reader.js';
import type { TokenService } from '../tokens/token-service.js';
import type { StoredTokens } from '../tokens/vault.js';
import { DeadlinePassed } from './forward.js';
import type { ExchangeTerms, Outcome } from './forward.js';
import { apiAnswerHeaders, upstreamRequestHeaders } from './headers.js';
import { readBody, RequestBroken } from './request-body.js';
import { bearerFor, compileRoutes } from './routes.js';
import type { CompiledRoute } from './routes.js';

export interface ApiProxyOptions {
  /**
   * Where calls go, each route with its upstream, token, methods and deadline (from the moment the whole request is
   * in until the API's response headers). Without API_ROUTES, the one `/api` route to API_BASE_URL.
   */
  routes: readonly ApiRoute[];
  /** Keep-alive connections per upstream origin. */
  maxConnections: number;
  /** How long a call may wait for a free connection before it is answered 503. */
  queueTimeoutMs: number;
  maxBodyBytes: number;
  /** How long a browser may take to send a call's body; it is read whole before the API is called. */
  bodyTimeoutMs: number;
  /** Browser request headers passed to the API (lower case); everything else is dropped. */
  forwardHeaders: ReadonlySet<string>;
  /** Paths under /api whose answers keep the API's caching headers; every other answer is `no-store`. */
  cacheablePaths: readonly string[];
  logger: Logger;
  metrics: Metrics;
  /**
   * An upstream's outage log: told of calls it failed (no answer, too slow, no free connection) and of answers.
   * Called once per upstream origin, with the number of origins.
   */
  outageFor(origin: string, origins: number): OutageLog;
  tokens: TokenService;
  sessions: SessionReader;
  /** Ends a session whose refresh Cognito refused. */
  endSession(sid: string): void;
  baseUrl: string;
  trustProxy: TrustProxy;
}

export interface ApiProxy {
  /** Answers one API call, `/api` and everything under it, completely; never throws. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  close(): Promise<void>;
}

/** `/api`, `/api/…` and `/api?…`: the calls the proxy answers, before (and instead of) the page middleware. */
export const isApiCall = (url: string | undefined) =>
  url !== undefined && url.startsWith('/api') && (url.length === 4 || url[4] === '/' || url[4] === '?');

const BODYLESS = new Set(['GET', 'HEAD', 'OPTIONS', 'DELETE', 'TRACE']);
/** A 401 from the upstream on these is retried once with freshly refreshed tokens, when they carry no body. */
const RETRYABLE = new Set(['GET', 'HEAD']);
const TIMEOUT_CODES = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'BFF_DEADLINE_PASSED',
]);

/** One call to the API: which route, where, until when (performance.now() time), with which body, on whose behalf. */
interface Call extends ExchangeTerms {
  route: CompiledRoute;
  body: Buffer | null;
  requestId: string;
}

/** Why a call that never reached the API failed, for the outage log. */
class UpstreamBusy extends Error {
  override name = 'UpstreamBusy';
}

const carriesBody = (req: IncomingMessage) =>
  !BODYLESS.has(req.method ?? 'GET') ||
  req.headers['content-length'] !== undefined ||
  req.headers['transfer-encoding'] !== undefined;

/**
 * `/api/*` to the upstream of the route with the longest matching prefix (API_ROUTES; without it, API_BASE_URL/*):
 * method, path, query and body through a keep-alive connection pool per upstream origin, with the token the route
 * names (the ID token by default, refreshed first when about to expire) as `Authorization: Bearer`. Only the
 * browser's headers on the allowlist reach the API, and the BFF says itself who the client is (X-Forwarded-For,
 * -Proto); the API's cookies, security and CORS headers never reach the browser. Every call must carry `X-CSRF: 1`:
 * a cross-site form cannot set a custom header, and a cross-site script cannot without a CORS preflight we never
 * grant.
 *
 * It runs on the bare Node request, ahead of Express: an API call needs none of the page middleware, and this
 * path is what every call of every user pays for.
 */
export function createApiProxy(options: ApiProxyOptions): ApiProxy {
  const { logger, metrics, maxBodyBytes } = options;
  const table = compileRoutes(options.routes, {
    maxConnections: options.maxConnections,
    queueTimeoutMs: options.queueTimeoutMs,
    outageFor: options.outageFor,
  });
  const isCrossSite = crossSiteCheck(options.baseUrl, options.trustProxy);
  const clientAddress = clientAddressOf(options.trustProxy);
  const protocol = protocolOf(options.trustProxy);
  const ownHeaders = apiAnswerHeaders(options.baseUrl.startsWith('https:'));
  const { cacheablePaths } = options;
  const cacheable = (url: string) => cacheablePaths.length > 0 && cacheablePaths.some((p) => url.startsWith(p));

  /**
   * One exchange with the API on a connection of the pool, waiting in line for one when all are busy, within the
   * call's deadline.
   */
  function send(
    req: IncomingMessage,
    res: ServerResponse,
    call: Call,
    stored: StoredTokens | undefined,
  ): Promise<Outcome> {
    if (call.deadline <= performance.now()) {
      const error = new DeadlinePassed('the deadline passed before the call was sent');
      return Promise.resolve({ kind: 'failed', error, written: false });
    }
    const { pool } = call.route;
    if (pool.tryAcquire()) return exchange(req, res, call, stored);
    return pool.wait(res, Math.min(call.route.queueTimeoutMs, call.deadline - performance.now())).then((admission) => {
      if (admission === 'admitted') return exchange(req, res, call, stored);
      if (admission === 'gone') return { kind: 'gone' };
      call.route.outage.failed(new UpstreamBusy('no free connection to the API'));
      metrics.proxied.inc({ status: '503' });
      throw refuse.upstreamBusy();
    });
  }

  /** The exchange itself, on a connection the call holds. */
  function exchange(
    req: IncomingMessage,
    res: ServerResponse,
    call: Call,
    stored: StoredTokens | undefined,
  ): Promise<Outcome> {
    return call.route.pool.exchange(
      {
        origin: call.route.origin,
        path: call.path,
        method: (req.method ?? 'GET') as Dispatcher.HttpMethod,
        headers: upstreamRequestHeaders(req.rawHeaders, options.forwardHeaders, {
          bearer: bearerFor(call.route, stored),
          clientAddress: clientAddress(req),
          protocol: protocol(req),
          requestId: call.requestId,
          ...(call.body ? { contentLength: call.body.length } : {}),
        }),
        body: call.body,
      },
      res,
      call,
    );
  }

  /**
   * The status answered, after writing it; throws HttpErrors for the caller to write. The cross-site, anti-forgery
   * and session checks come first, once, for every call: no route is looked up before they pass.
   */
  async function proxy(req: IncomingMessage, res: ServerResponse, arrived: number, requestId: string): Promise<number> {
    if (isCrossSite(req)) throw refuse.crossSite();
    if (req.headers['x-csrf'] !== '1') throw refuse.csrfHeaderMissing();
    const session = await options.sessions.read(req);
    if (!session) throw refuse.signedOut();
    const url = req.url ?? '/api';
    const route = table.match(url);
    if (route === undefined) throw refuse.notFound();
    if (route === 'misleading') throw refuse.badPath();
    if (route.methods && !route.methods.has(req.method ?? 'GET')) throw refuse.methodNotAllowed(route.allow);
    const path = route.upstreamPathFor(url);
    if (path === undefined) throw refuse.badPath();
    if (Number(req.headers['content-length'] ?? 0) > maxBodyBytes) {
      req.resume();
      throw refuse.bodyTooLarge(maxBodyBytes);
    }
    const body = carriesBody(req) ? await readBody(req, maxBodyBytes, options.bodyTimeoutMs) : null;
    // The API's time starts once the whole request is in: a slow upload is the body deadline's business.
    const deadline = (body === null ? arrived : performance.now()) + route.timeoutMs;
    // A route without a token still needs a live session; its tokens are neither refreshed nor sent.
    let stored: StoredTokens | undefined;
    try {
      if (route.token !== 'none') stored = await options.tokens.freshen(session.sid, session.signedIn, session.stored);
      else if (!session.stored) throw refuse.sessionExpired();
    } catch (err) {
      if (err instanceof HttpError && err.code === 'session_expired') options.endSession(session.sid);
      throw err;
    }

    // A 401 to a safe call without a body is taken for tokens the API no longer accepts: they are refreshed and the
    // call sent again. Tokens that came from such a refresh get the 401 passed on, so a path that always answers 401
    // costs one refresh per set of tokens, not one per call.
    // A route without a token has nothing to refresh: its 401 is passed on.
    const call: Call = {
      route,
      path,
      deadline,
      body,
      requestId,
      holdUnauthorized: stored !== undefined && body === null && RETRYABLE.has(req.method ?? 'GET') && !stored.forced,
      cacheable: cacheable(url),
      rules: route.rules,
    };
    let outcome: Outcome = await send(req, res, call, stored);
    if (outcome.kind === 'unauthorized' && stored) {
      stored = await options.tokens.tokensFor(session.sid, session.signedIn, stored.version);
      outcome = await send(req, res, { ...call, holdUnauthorized: false }, stored);
    }
    switch (outcome.kind) {
      case 'sent':
        call.route.outage.succeeded();
        metrics.proxyLatency.observe((outcome.headersAt - arrived) / 1000);
        metrics.proxied.inc({ status: String(outcome.status) });
        return outcome.status;
      case 'gone':
        return 499;
      case 'unauthorized':
        return 401;
      case 'failed': {
        const { error, written } = outcome;
        if (error instanceof HttpError) throw error;
        // One log line per outage, not per call (see OutageLog); the metrics count every call.
        call.route.outage.failed(error);
        if (written) return 502;
        const code = (error as { code?: string }).code ?? error.name;
        const timedOut = TIMEOUT_CODES.has(code);
        metrics.proxied.inc({ status: timedOut ? '504' : '502' });
        throw timedOut ? refuse.upstreamTimeout() : refuse.upstreamUnavailable();
      }
    }
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const started = performance.now();
    const id = assignRequestId(req, res);
    for (const [name, value] of ownHeaders) res.setHeader(name, value);
    proxy(req, res, started, id)
      .catch((err: unknown) => {
        // Nothing reached the API: the browser left, or Node refused the rest of its request and answered it.
        if (err instanceof RequestBroken) return refusedWith(req.socket) ?? 499;
        const known = err instanceof HttpError ? err : undefined;
        if (!known)
          logger.error(
            { req: { id }, err: { name: (err as Error).name, message: (err as Error).message } },
            'api call failed',
          );
        const error = known ?? refuse.internal();
        writeJsonError(res, error);
        return error.status;
      })
      .then((status) => {
        if (!logger.isLevelEnabled('info')) return;
        const url = req.url ?? '';
        const query = url.indexOf('?');
        logger.info(
          {
            req: { id, method: req.method, path: query === -1 ? url : url.slice(0, query) },
            res: { status },
            responseTime: Math.round(performance.now() - started),
          },
          'request completed',
        );
      })
      .catch(() => undefined);
  }

  return { handle, close: () => table.close() };
}
