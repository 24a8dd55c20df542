import { randomUUID } from 'node:crypto';
import { pinoHttp } from 'pino-http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

const REQUEST_ID = /^[\w-]{8,64}$/;

/** The request's id: a well-formed incoming `x-request-id`, or a new one; echoed in the response. */
export function assignRequestId(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('x-request-id', id);
  return id;
}

/**
 * One line per request with a request id (echoed in `x-request-id`), method, path without the query string,
 * status and time. Headers are not logged at all, so cookies and tokens cannot leak through them.
 */
export function requestLog(logger: Logger): RequestHandler {
  return pinoHttp({
    logger,
    genReqId: assignRequestId,
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        path: req.url.split('?')[0],
      }),
      res: (res: { statusCode: number }) => ({ status: res.statusCode }),
    },
    // A 503 during an outage is an answer we chose, logged once per outage (ops/outage-log.ts), not per request.
    customLogLevel: (_req, res, err) => (err || res.statusCode === 500 ? 'error' : 'info'),
    // pino-http gives every 5xx an error of its own making ("failed with status code 503") and logs its stack:
    // lines of pino-http's internals on every outage answer. What went wrong is logged where it is known (the
    // error handler, the outage logs); this line keeps the error's name and message only.
    customErrorObject: (_req, _res, error, value: Record<string, unknown>) => ({
      ...value,
      err: { name: error.name, message: error.message },
    }),
  });
}
