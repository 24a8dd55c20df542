import { csrfSync } from 'csrf-sync';
import type { Request, RequestHandler } from 'express';
import { HttpError } from '../http/errors.js';

export const formExpired = () =>
  new HttpError(
    403,
    'csrf_invalid',
    'This form has expired or did not come from this site. Go back, reload the page and try again.',
  );

/**
 * Synchronizer tokens for every form (csrf-sync): a random token kept in the session and sent back as a hidden
 * `_csrf` field. A POST without the session's token is refused with 403 and a "form expired" page.
 * OWASP CSRF Prevention Cheat Sheet, "Synchronizer Token Pattern".
 */
export function createFormCsrf(): {
  protect: RequestHandler;
  /** As `protect`, but lets requests through when `skip` says there is nothing to protect. */
  protectUnless(skip: (req: Request) => boolean): RequestHandler;
  token(req: Request): string;
} {
  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    getTokenFromRequest: (req) => {
      const value = (req.body as Record<string, unknown> | undefined)?.['_csrf'];
      return typeof value === 'string' ? value : undefined;
    },
  });
  const protect: RequestHandler = (req, res, next) => {
    csrfSynchronisedProtection(req, res, (err?: unknown) => next(err ? formExpired() : undefined));
  };
  return {
    protect,
    protectUnless: (skip) => (req, res, next) => (skip(req) ? next() : protect(req, res, next)),
    token: (req) => generateToken(req),
  };
}
