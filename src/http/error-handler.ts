import type { ErrorRequestHandler, Request, Response } from 'express';
import type { Logger } from 'pino';
import { HttpError } from './errors.js';
import { writeJsonError } from './json-error.js';
import { refuse } from './refusals.js';
import { SAY } from './sentences.js';

interface StatusError {
  status?: number;
  statusCode?: number;
  expose?: boolean;
  type?: string;
}

/** body-parser and the router raise errors carrying `status`; give each a stable code and a safe message. */
function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as StatusError;
  const status = e.status ?? e.statusCode ?? 500;
  switch (e.type) {
    case 'entity.too.large':
      return refuse.requestTooLarge();
    case 'entity.parse.failed':
    case 'entity.verify.failed':
    case 'request.aborted':
      return refuse.unreadable();
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return refuse.unsupportedEncoding();
    default:
      break;
  }
  if (status >= 400 && status < 500) return refuse.unprocessable(status);
  return refuse.internal();
}

/** JSON for API and XHR callers, a page for browsers. */
export const wantsJson = (req: Request) =>
  req.path.startsWith('/api/') ||
  req.originalUrl.startsWith('/api') ||
  req.originalUrl.startsWith('/auth/') ||
  req.accepts(['html', 'json']) === 'json';

export function sendError(req: Request, res: Response, error: HttpError): void {
  if (wantsJson(req)) {
    writeJsonError(res, error);
    return;
  }
  const message = error.expose ? error.message : SAY.generic;
  res.status(error.status);
  for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  res.setHeader('cache-control', 'no-store');
  res.render('errors/error.njk', { status: error.status, message }, (renderErr: Error | null, html?: string) => {
    if (renderErr || html === undefined) res.type('text/plain').send(message);
    else res.type('html').send(html);
  });
}

/**
 * A refresh Cognito refused ends the session: the record goes, API callers get 401 session_expired, and a page
 * sends the browser to sign in again with a message, coming back where it was.
 */
function endExpiredSession(req: Request, res: Response): boolean {
  req.session?.destroy(() => undefined);
  if (wantsJson(req)) return false;
  const returnTo = req.method === 'GET' ? req.originalUrl : '/';
  res.setHeader('cache-control', 'no-store');
  res.redirect(303, `/login?${new URLSearchParams({ reason: 'session-expired', returnTo }).toString()}`);
  return true;
}

/** The last middleware: logs what went wrong (never the request's secrets) and answers without a stack trace. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const error = toHttpError(err);
    if (error.code === 'session_expired' && !res.headersSent && endExpiredSession(req, res)) return;
    // A 5xx we chose to answer (a dependency's outage: 503 with Retry-After) is logged once per outage where the
    // dependency is called; what nobody expected is logged here, once per request.
    if (error.status >= 500 && !(err instanceof HttpError && err.expose)) {
      logger.error(
        { err: { name: (err as Error)?.name, message: (err as Error)?.message }, path: req.path },
        'request failed',
      );
    }
    if (res.headersSent) {
      // Too late to answer (express-session reports a failed touch or save after the response was written). Not
      // passed on: Express's final handler would print the stack to stderr and cut the connection.
      if (!res.writableEnded) res.destroy();
      return;
    }
    sendError(req, res, error);
  };
}
