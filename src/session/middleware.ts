import session from 'express-session';
import type { RequestHandler } from 'express';
import type { Config } from '../config/config.js';
import type { Backend } from './backend.js';

/**
 * express-session with the cookie a BFF needs: HttpOnly (script can never read it), SameSite=Lax, Secure and
 * `__Host-` on https, signed with SESSION_SECRET. Nothing is stored until someone signs in. The cookie carries the
 * absolute lifetime; the store's TTL, renewed on every request, is the idle timeout.
 */
export function sessionMiddleware(config: Config, backend: Backend): RequestHandler {
  return session({
    name: config.session.cookieName,
    secret: config.session.secret,
    store: backend.store,
    resave: false,
    saveUninitialized: false,
    rolling: false,
    // Not 'destroy': express-session then destroys any session whose load failed (req.session stays unset), so a
    // Redis read that timed out was followed by a DEL that Redis ran once it answered again, signing the user out.
    unset: 'keep',
    proxy: config.trustProxy !== false,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.session.secureCookies,
      path: '/',
      maxAge: config.session.maxAgeSeconds * 1000,
    },
  });
}
