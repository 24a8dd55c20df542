import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { Pool, errors as undiciErrors } from 'undici';
import type { Dispatcher } from 'undici';
import { currentAuth } from '../auth/session-lifecycle.js';
import { HttpError } from '../http/errors.js';
import { downstreamResponseHeaders, upstreamRequestHeaders } from './headers.js';
import { upstreamPath } from './upstream-path.js';

export interface ApiProxyOptions {
  apiBaseUrl: string;
  timeoutMs: number;
  maxConnections: number;
  maxBodyBytes: number;
  logger: Logger;
  /** Returns a usable ID token for the session, refreshing it first when needed. */
  idTokenFor?(req: Request): Promise<string>;
}

export interface ApiProxy {
  handler: RequestHandler;
  close(): Promise<void>;
}

const BODYLESS = new Set(['GET', 'HEAD', 'OPTIONS', 'DELETE', 'TRACE']);
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

function fail(res: Response, status: number, error: string, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.status(status).setHeader('cache-control', 'no-store');
  res.json({ error, message });
}

/**
 * `/api/*` to API_BASE_URL/*: method, path, query and body streamed through a keep-alive connection pool, with
 * the session's ID token as `Authorization: Bearer`. The browser's cookies, Authorization and X-CSRF never
 * reach the upstream; its Set-Cookie never reaches the browser. Every call must carry `X-CSRF: 1`: a cross-site
 * form cannot set a custom header, and a cross-site script cannot without a CORS preflight we never grant.
 */
export function createApiProxy(options: ApiProxyOptions): ApiProxy {
  const base = new URL(options.apiBaseUrl);
  const pool = new Pool(base.origin, {
    connections: options.maxConnections,
    keepAliveTimeout: 30_000,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    connectTimeout: Math.min(options.timeoutMs, 5000),
  });

  const handler: RequestHandler = async (req, res) => {
    if (req.get('x-csrf') !== '1') {
      fail(res, 401, 'csrf_header_missing', 'API calls must carry the X-CSRF: 1 header.');
      return;
    }
    const auth = currentAuth(req);
    if (!auth) {
      fail(res, 401, 'unauthenticated', 'Sign in first.');
      return;
    }
    const path = upstreamPath(base.pathname, req.url);
    if (path === undefined) {
      fail(res, 400, 'bad_path', 'That API path is not allowed.');
      return;
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > options.maxBodyBytes) {
      req.resume();
      fail(res, 413, 'payload_too_large', `The request body is over ${options.maxBodyBytes} bytes.`);
      return;
    }
    const idToken = options.idTokenFor ? await options.idTokenFor(req) : auth.tokens.idToken;
    const method = req.method.toUpperCase();
    const hasBody =
      !BODYLESS.has(method) ||
      req.headers['content-length'] !== undefined ||
      req.headers['transfer-encoding'] !== undefined;
    const abort = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });

    let upstream: Dispatcher.ResponseData;
    let limitError: unknown;
    try {
      const body = hasBody ? req.pipe(byteLimit(options.maxBodyBytes)).on('error', (err) => (limitError = err)) : null;
      upstream = await pool.request({
        path,
        method: method as Dispatcher.HttpMethod,
        headers: upstreamRequestHeaders(req.rawHeaders, idToken),
        body,
        signal: abort.signal,
      });
    } catch (err) {
      if (limitError instanceof HttpError) {
        fail(res, 413, limitError.code, limitError.message);
        return;
      }
      if (abort.signal.aborted) return;
      const code = (err as { code?: string }).code ?? '';
      if (TIMEOUT_CODES.has(code) || err instanceof undiciErrors.HeadersTimeoutError) {
        options.logger.warn({ code }, 'upstream timed out');
        fail(res, 504, 'upstream_timeout', 'The API did not answer in time.');
      } else {
        options.logger.warn({ code: code || (err as Error).name }, 'upstream unreachable');
        fail(res, 502, 'upstream_unavailable', 'The API could not be reached.');
      }
      return;
    }

    res.status(upstream.statusCode);
    for (const [name, value] of Object.entries(downstreamResponseHeaders(upstream.headers))) res.setHeader(name, value);
    try {
      await pipeline(upstream.body, res);
    } catch (err) {
      if (!abort.signal.aborted)
        options.logger.warn({ code: (err as { code?: string }).code }, 'upstream response interrupted');
      res.destroy();
    }
  };

  return {
    handler,
    close: () => pool.close(),
  };
}
