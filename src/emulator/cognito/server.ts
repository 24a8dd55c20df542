import { plainAddress } from '../../shared/address.js';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createHostGuard } from '../host-guard.js';
import { readBody, sendJson } from '../http.js';
import type { BodyLimit } from '../http.js';
import type { HostGuard } from '../host-guard.js';
import { CognitoError } from './errors.js';
import type { Operation, OperationContext } from './operation.js';
import { readOutbox } from './model/outbox.js';
import { readUserContext } from './model/user-context.js';
import { operations } from './operations/index.js';

const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';
const MAX_BODY_BYTES = 1024 * 1024;
const HOST_REFUSED = 'Host not allowed: the emulator answers loopback names and the names given to --allowed-hosts';

const AMZ_JSON = 'application/x-amz-json-1.1';

const send = (res: ServerResponse, status: number, body: unknown, contentType = AMZ_JSON) =>
  sendJson(res, status, body, { 'content-type': contentType });

function sendError(res: ServerResponse, error: CognitoError): void {
  res.setHeader('x-amzn-errortype', `${error.type}:`);
  send(res, error.status, { __type: error.type, message: error.message });
}

const BODY_LIMIT: BodyLimit = {
  maxBytes: MAX_BODY_BYTES,
  tooLarge: () => new CognitoError('SerializationException', 'Request body too large', 413),
  overflow: 'destroy',
};

/** GET /<poolId>/.well-known/jwks.json and openid-configuration, as cognito-idp.<region>.amazonaws.com serves them. */
function serveDiscovery(ctx: OperationContext, url: URL, res: ServerResponse): boolean {
  const match = /^\/([\w-]+_[0-9A-Za-z]+)\/\.well-known\/(jwks\.json|openid-configuration)$/.exec(url.pathname);
  const pool = match ? ctx.state.pools.get(match[1] ?? '') : undefined;
  if (!match || !pool) return false;
  if (match[2] === 'jwks.json') {
    send(res, 200, { keys: [pool.key.publicJwk] }, 'application/json');
  } else {
    send(
      res,
      200,
      {
        issuer: pool.issuer,
        jwks_uri: `${pool.issuer}/.well-known/jwks.json`,
        response_types_supported: ['code', 'token'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        scopes_supported: ['openid', 'email', 'phone', 'profile'],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
        claims_supported: ['sub', 'email', 'email_verified', 'cognito:username', 'cognito:groups'],
      },
      'application/json',
    );
  }
  return true;
}

/**
 * GET /_outbox: the messages the pool "sent", newest last, as `{"messages": [...]}`; `?username=` and `?poolId=`
 * narrow it. Not an AWS API: it stands in for the inbox and phone a real pool would reach.
 */
function serveOutbox(ctx: OperationContext, url: URL, res: ServerResponse): boolean {
  if (url.pathname !== '/_outbox') return false;
  const username = url.searchParams.get('username');
  const poolId = url.searchParams.get('poolId');
  const messages = readOutbox(ctx.state, {
    ...(username !== null ? { username } : {}),
    ...(poolId !== null ? { poolId } : {}),
  });
  sendJson(res, 200, { messages }, { 'cache-control': 'no-store' });
  return true;
}

/**
 * GET /_context?poolId=&username=: the context threat protection would have scored the user's last unauthenticated
 * call by (the address believed, EncodedData as sent), as `{"context": {...}}`, or `{"context": null}`. Not an AWS
 * API: real Cognito shows this only as user auth events.
 */
function serveUserContext(ctx: OperationContext, url: URL, res: ServerResponse): boolean {
  if (url.pathname !== '/_context') return false;
  const poolId = url.searchParams.get('poolId') ?? '';
  const username = url.searchParams.get('username') ?? '';
  const context = readUserContext(ctx, poolId, username) ?? null;
  sendJson(res, 200, { context }, { 'cache-control': 'no-store' });
  return true;
}

/** The connection's peer as Cognito would see it: `::ffff:127.0.0.1` is 127.0.0.1. */
const sourceIpOf = (req: IncomingMessage) => plainAddress(req.socket.remoteAddress ?? '');

export interface CognitoServerOptions {
  /** Called after each successful operation, e.g. to save state when it `mutates`. */
  afterCall?(operation: Operation): void;
  /** Which `Host` headers are answered; loopback names only by default. */
  allowsHost?: HostGuard;
}

async function handle(
  ctx: OperationContext,
  options: CognitoServerOptions,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (
    req.method === 'GET' &&
    (serveDiscovery(ctx, url, res) || serveOutbox(ctx, url, res) || serveUserContext(ctx, url, res))
  )
    return;
  if (req.method !== 'POST' || url.pathname !== '/') {
    req.resume();
    send(res, 404, { __type: 'UnknownOperationException', message: 'Not found' });
    return;
  }
  const body = await readBody(req, BODY_LIMIT);
  const target = req.headers['x-amz-target'];
  const name = typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
  const op = operations.get(name);
  if (!op)
    throw new CognitoError('UnknownOperationException', `Unknown operation ${name || String(target ?? '')}`.trim());
  let input: unknown;
  try {
    input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
  } catch {
    throw new CognitoError('SerializationException', 'Malformed request body: not valid JSON');
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new CognitoError('SerializationException', 'Request body must be a JSON object');
  }
  ctx.state.countCall(name);
  send(res, 200, await op.run(input, ctx, { sourceIp: sourceIpOf(req) }));
  options.afterCall?.(op);
}

/** The Cognito user-pool endpoint: AWS JSON 1.1 on `POST /`; discovery documents, the outbox and contexts on GET. */
export function createCognitoServer(ctx: OperationContext, options: CognitoServerOptions = {}): Server {
  const allowsHost = options.allowsHost ?? createHostGuard();
  return createServer((req, res) => {
    if (!allowsHost(req.headers.host)) {
      req.resume();
      res.setHeader('connection', 'close');
      sendError(res, new CognitoError('AccessDeniedException', HOST_REFUSED, 403));
      return;
    }
    handle(ctx, options, req, res).catch((err: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (err instanceof CognitoError) sendError(res, err);
      else {
        console.error('cognito emulator: unexpected error', err instanceof Error ? err.name : typeof err);
        sendError(res, new CognitoError('InternalErrorException', 'Internal error', 500));
      }
    });
  });
}
