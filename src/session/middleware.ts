import session from 'express-session';
import type { RequestHandler } from 'express';
import type { Config } from '../config/config.js';
import type { SessionStore } from './store-factory.js';

/**
 * express-session with the cookie a BFF needs: HttpOnly (script can never read it), SameSite=Lax, Secure and
 * `__Host-` on https, signed with SESSION_SECRET. Nothing is stored until someone signs in.
 */
export function sessionMiddleware(config: Config, sessions: SessionStore): RequestHandler {
  return session({
    name: config.session.cookieName,
    secret: config.session.secret,
    store: sessions.store,
    resave: false,
    saveUninitialized: false,
    rolling: false,
    unset: 'destroy',
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
