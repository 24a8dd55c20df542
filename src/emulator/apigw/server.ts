import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { ProxyHandler, ProxyResult } from '../../lambda/types.js';
import type { Clock } from '../clock.js';
import { createHostGuard } from '../host-guard.js';
import { readBody, sendJson } from '../http.js';
import type { BodyLimit } from '../http.js';
import type { HostGuard } from '../host-guard.js';
import { authorize, claimsAsStrings } from './authorizer.js';
import type { AuthorizerPool } from './authorizer.js';
import { buildEvent } from './event.js';
import { findRoute } from './routes.js';
import type { RouteConfig } from './routes.js';

/** API Gateway's payload limit for REST APIs. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** API Gateway's integration timeout for REST APIs. */
const INTEGRATION_TIMEOUT_MS = 29_000;

export interface RestApiOptions {
  stage: string;
  routes: RouteConfig[];
  handlers: Record<string, ProxyHandler>;
  /** The user pool behind the authorizer, looked up on each request so new app clients count at once. */
  authorizerPool(): AuthorizerPool;
  clock: Clock;
  /** Which `Host` headers are answered; loopback names only by default. */
  allowsHost?: HostGuard;
}

class GatewayError extends Error {
  constructor(
    readonly status: number,
    readonly errorType: string,
    message: string,
  ) {
    super(message);
  }
}

const BODY_LIMIT: BodyLimit = {
  maxBytes: MAX_BODY_BYTES,
  tooLarge: () => new GatewayError(413, 'RequestTooLarge', 'Request Too Long'),
  overflow: 'drain',
};

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new GatewayError(504, 'IntegrationTimeout', 'Endpoint request timed out')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function isProxyResult(value: unknown): value is ProxyResult {
  return typeof value === 'object' && value !== null && Number.isInteger((value as ProxyResult).statusCode);
}

function writeResult(res: ServerResponse, result: ProxyResult): void {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name.toLowerCase()] = String(value);
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) {
    headers[name.toLowerCase()] = values.map(String);
  }
  const body =
    result.body === undefined ? Buffer.alloc(0) : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  headers['content-type'] ??= 'application/json';
  headers['content-length'] = String(body.length);
  headers['x-amzn-requestid'] = randomUUID();
  res.writeHead(result.statusCode, headers);
  res.end(body);
}

async function handle(options: RestApiOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const [, stage, ...rest] = url.pathname.split('/');
  const path = `/${rest.join('/')}`;
  const match =
    stage !== undefined && stage === options.stage ? findRoute(options.routes, req.method ?? 'GET', path) : undefined;
  if (!match || stage === undefined) {
    req.resume();
    throw new GatewayError(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
  }
  let claims: Record<string, string> | undefined;
  if (match.route.authorizer !== false) {
    const payload = await authorize(req.headers.authorization, options.authorizerPool(), options.clock, {
      scopes: match.route.scopes ?? [],
    });
    if (!payload) {
      req.resume();
      throw new GatewayError(401, 'UnauthorizedException', 'Unauthorized');
    }
    claims = claimsAsStrings(payload);
  }
  const handler = options.handlers[match.route.handler];
  if (!handler) throw new GatewayError(502, 'InternalServerErrorException', 'Internal server error');
  const body = await readBody(req, BODY_LIMIT);
  const event = buildEvent({
    req,
    stage,
    path,
    query: url.searchParams,
    resource: match.route.resource,
    pathParameters: match.pathParameters,
    claims,
    body,
    now: options.clock(),
  });
  let result: unknown;
  try {
    result = await withTimeout(handler(event), INTEGRATION_TIMEOUT_MS);
  } catch (err) {
    if (err instanceof GatewayError) throw err;
    throw new GatewayError(502, 'InternalServerErrorException', 'Internal server error');
  }
  if (!isProxyResult(result)) throw new GatewayError(502, 'InternalServerErrorException', 'Internal server error');
  writeResult(res, result);
}

/** A REST API stage: `ANY /<stage>/<path>` through the Cognito authorizer to Lambda proxy handlers. */
export function createRestApiServer(options: RestApiOptions): Server {
  const allowsHost = options.allowsHost ?? createHostGuard();
  return createServer((req, res) => {
    if (!allowsHost(req.headers.host)) {
      req.resume();
      // API Gateway's own answer to a request it will not route: 403 {"message":"Forbidden"}.
      sendJson(res, 403, { message: 'Forbidden' }, { 'x-amzn-errortype': 'ForbiddenException', connection: 'close' });
      return;
    }
    handle(options, req, res).catch((err: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (err instanceof GatewayError) {
        sendJson(res, err.status, { message: err.message }, { 'x-amzn-errortype': err.errorType });
      } else {
        sendJson(res, 500, { message: 'Internal server error' });
      }
    });
  });
}
