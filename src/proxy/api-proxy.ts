import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { Pool } from 'undici';
import type { Dispatcher } from 'undici';
import { HttpError } from '../http/errors.js';
import { assignRequestId } from '../http/request-log.js';
import { isCrossSite } from '../security/origin.js';
import type { SessionReader } from '../session/session-reader.js';
import type { Metrics } from '../ops/metrics.js';
import type { TokenService } from '../tokens/token-service.js';
import type { StoredTokens } from '../tokens/vault.js';
import { downstreamResponseHeaders, upstreamRequestHeaders } from './headers.js';
import { upstreamPath } from './upstream-path.js';

export interface ApiProxyOptions {
  apiBaseUrl: string;
  timeoutMs: number;
  maxConnections: number;
  maxBodyBytes: number;
  logger: Logger;
  metrics: Metrics;
  tokens: TokenService;
  sessions: SessionReader;
  /** Ends a session whose refresh Cognito refused. */
  endSession(sid: string): void;
  baseUrl: string;
}

export interface ApiProxy {
  handler: RequestHandler;
  close(): Promise<void>;
}

const BODYLESS = new Set(['GET', 'HEAD', 'OPTIONS', 'DELETE', 'TRACE']);
/** A 401 from the upstream on these is retried once with freshly refreshed tokens; they carry no body to replay. */
const RETRYABLE = new Set(['GET', 'HEAD']);
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/** Counts request bytes while streaming and fails once past the limit, for bodies without Content-Length. */
function byteLimit(max: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > max) callback(new HttpError(413, 'payload_too_large', `The request body is over ${max} bytes.`));
      else callback(null, chunk);
    },
  });
}

/** What every API answer carries instead of the pages' helmet set: it is JSON, never a document to render. */
const API_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

function fail(
  res: Response,
  status: number,
  error: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.status(status).setHeader('cache-control', 'no-store');
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.json({ error, message });
}

/**
 * `/api/*` to API_BASE_URL/*: method, path, query and body streamed through a keep-alive connection pool, with
 * the session's ID token (refreshed first when about to expire) as `Authorization: Bearer`. The browser's cookies,
 * Authorization and X-CSRF never reach the upstream; its Set-Cookie never reaches the browser. Every call must carry
 * `X-CSRF: 1`: a cross-site form cannot set a custom header, and a cross-site script cannot without a CORS
 * preflight we never grant.
 */
export function createApiProxy(options: ApiProxyOptions): ApiProxy {
  const { logger, metrics } = options;
  const base = new URL(options.apiBaseUrl);
  const pool = new Pool(base.origin, {
    connections: options.maxConnections,
    keepAliveTimeout: 30_000,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    connectTimeout: Math.min(options.timeoutMs, 5000),
  });

  async function send(req: Request, path: string, method: string, stored: StoredTokens, signal: AbortSignal) {
    const hasBody =
      !BODYLESS.has(method) ||
      req.headers['content-length'] !== undefined ||
      req.headers['transfer-encoding'] !== undefined;
    let limitError: unknown;
    const body = hasBody
      ? req.pipe(byteLimit(options.maxBodyBytes)).on('error', (err) => {
          limitError = err;
          req.resume();
        })
      : null;
    try {
      return await pool.request({
        path,
        method: method as Dispatcher.HttpMethod,
        headers: upstreamRequestHeaders(req.rawHeaders, stored.tokens.idToken),
        body,
        signal,
      });
    } catch (err) {
      throw limitError instanceof HttpError ? limitError : err;
    }
  }

  async function proxy(req: Request, res: Response): Promise<number> {
    const started = performance.now();
    if (isCrossSite(req, options.baseUrl)) {
      fail(res, 403, 'cross_site_request', 'This request came from another site and was refused.');
      return 403;
    }
    if (req.get('x-csrf') !== '1') {
      fail(res, 401, 'csrf_header_missing', 'API calls must carry the X-CSRF: 1 header.');
      return 401;
    }
    const session = await options.sessions.read(req);
    if (!session) {
      fail(res, 401, 'unauthenticated', 'Sign in first.');
      return 401;
    }
    const path = upstreamPath(base.pathname, req.url);
    if (path === undefined) {
      fail(res, 400, 'bad_path', 'That API path is not allowed.');
      return 400;
    }
    if (Number(req.headers['content-length'] ?? 0) > options.maxBodyBytes) {
      req.resume();
      fail(res, 413, 'payload_too_large', `The request body is over ${options.maxBodyBytes} bytes.`);
      return 413;
    }
    let stored: StoredTokens;
    try {
      stored = await options.tokens.tokensFor(session.sid, session.signedIn);
    } catch (err) {
      if (err instanceof HttpError && err.code === 'session_expired') options.endSession(session.sid);
      throw err;
    }
    const method = req.method.toUpperCase();
    const abort = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });

    let upstream: Dispatcher.ResponseData;
    try {
      upstream = await send(req, path, method, stored, abort.signal);
      if (upstream.statusCode === 401 && RETRYABLE.has(method)) {
        await upstream.body.dump();
        stored = await options.tokens.tokensFor(session.sid, session.signedIn, stored.version);
        upstream = await send(req, path, method, stored, abort.signal);
      }
    } catch (err) {
      if (err instanceof HttpError) {
        if (err.code === 'payload_too_large') {
          fail(res, 413, err.code, err.message);
          return 413;
        }
        throw err;
      }
      if (abort.signal.aborted) return 499;
      const code = (err as { code?: string }).code ?? (err as Error).name;
      const timedOut = TIMEOUT_CODES.has(code);
      logger.warn(
        { req: { id: res.getHeader('x-request-id') }, code },
        timedOut ? 'upstream timed out' : 'upstream unreachable',
      );
      metrics.proxied.inc({ status: timedOut ? '504' : '502' });
      if (timedOut) fail(res, 504, 'upstream_timeout', 'The API did not answer in time.');
      else fail(res, 502, 'upstream_unavailable', 'The API could not be reached.');
      return timedOut ? 504 : 502;
    }

    metrics.proxyLatency.observe((performance.now() - started) / 1000);
    metrics.proxied.inc({ status: String(upstream.statusCode) });
    res.status(upstream.statusCode);
    for (const [name, value] of Object.entries(downstreamResponseHeaders(upstream.headers))) res.setHeader(name, value);
    try {
      await pipeline(upstream.body, res);
    } catch (err) {
      if (!abort.signal.aborted)
        logger.warn({ code: (err as { code?: string }).code }, 'upstream response interrupted');
      res.destroy();
    }
    return upstream.statusCode;
  }

  /**
   * Mounted before the page middleware: an API call is answered here completely (checks, session, tokens,
   * upstream, errors), with its own small header set and one log line.
   */
  const handler: RequestHandler = async (req, res) => {
    const started = performance.now();
    const id = assignRequestId(req, res);
    for (const [name, value] of Object.entries(API_HEADERS)) res.setHeader(name, value);
    let status: number;
    try {
      status = await proxy(req, res);
    } catch (err) {
      const known = err instanceof HttpError ? err : undefined;
      if (!known)
        logger.error(
          { req: { id }, err: { name: (err as Error).name, message: (err as Error).message } },
          'api call failed',
        );
      status = known?.status ?? 500;
      fail(
        res,
        status,
        known?.code ?? 'internal_error',
        known?.expose ? known.message : 'Something went wrong on our side.',
        known?.headers ?? {},
      );
    }
    if (logger.isLevelEnabled('info')) {
      logger.info(
        {
          req: { id, method: req.method, path: `/api${req.path}` },
          res: { status },
          responseTime: Math.round(performance.now() - started),
        },
        'request completed',
      );
    }
  };

  return { handler, close: () => pool.close() };
}
