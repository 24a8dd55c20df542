import { hkdfSync } from 'node:crypto';
import { parse } from 'cookie';
import { doubleCsrf } from 'csrf-csrf';
import type { Request, RequestHandler } from 'express';
import { refuse } from '../http/refusals.js';

export interface FormCsrfOptions {
  /** SESSION_SECRET; the token key is derived from it, never the secret itself. */
  secret: string;
  cookieName: string;
  secureCookies: boolean;
}

export interface FormCsrf {
  protect: RequestHandler;
  /** As `protect`, but lets requests through when `skip` says there is nothing to protect. */
  protectUnless(skip: (req: Request) => boolean): RequestHandler;
  /**
   * Reads the request's cookies (csrf-csrf wants `req.cookies`) and offers every page `csrf()` for its forms; the
   * token (and its cookie) is only made when a page calls it, so a page without a form sets no cookie. Mount before
   * `protect`.
   */
  locals: RequestHandler;
}

/**
 * Anti-forgery tokens for every form, without server-side state (csrf-csrf, OWASP CSRF Prevention Cheat Sheet,
 * "Signed Double-Submit Cookie"): the token is an HMAC over a random value and, once the browser holds a session
 * (signed in, or a challenge pending), that session's id; the same token goes in an HttpOnly cookie and in the
 * form's hidden `_csrf` field. A POST whose field and cookie differ, or whose HMAC does not match, gets 403 "form
 * expired". Nothing is stored for an anonymous visitor, so showing the sign-in form costs no session; a token made
 * before sign-in is worthless after it, and one session's token never fits another's. Before sign-in the token is
 * bound to its cookie alone: on https the `__Host-` prefix keeps other hosts of the site from planting one.
 */
export function createFormCsrf(options: FormCsrfOptions): FormCsrf {
  const key = Buffer.from(hkdfSync('sha256', options.secret, '', 'cognito-bff form csrf', 32)).toString('hex');
  const { doubleCsrfProtection, generateCsrfToken } = doubleCsrf({
    getSecret: () => key,
    getSessionIdentifier: (req) => (req.session?.auth || req.session?.pending ? req.sessionID : ''),
    cookieName: options.cookieName,
    cookieOptions: { httpOnly: true, sameSite: 'lax', secure: options.secureCookies, path: '/' },
    getCsrfTokenFromRequest: (req) => {
      const value = (req.body as Record<string, unknown> | undefined)?.['_csrf'];
      return typeof value === 'string' ? value : undefined;
    },
  });
  const protect: RequestHandler = (req, res, next) => {
    doubleCsrfProtection(req, res, (err?: unknown) => next(err ? refuse.formExpired() : undefined));
  };
  return {
    protect,
    protectUnless: (skip) =>
      function csrfUnless(req, res, next) {
        if (skip(req)) next();
        else protect(req, res, next);
      },
    locals: (req, res, next) => {
      // Plain strings only: cookie-parser would turn a `j:`-prefixed value into an object.
      req.cookies = parse(req.headers.cookie ?? '');
      // One token per response: a page with several forms must not set the cookie twice, each time to another value.
      let token: string | undefined;
      res.locals['csrf'] = () => (token ??= generateCsrfToken(req, res));
      next();
    },
  };
}
