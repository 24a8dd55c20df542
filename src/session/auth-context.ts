import type { RequestHandler } from 'express';
import type { Clock } from '../shared/clock.js';
import type { Sealer } from '../tokens/sealer.js';
import type { SessionUser } from './types.js';

/**
 * Decodes the signed-in user once per request (`req.signedIn`). A session past its absolute lifetime, or sealed
 * under a key we no longer hold, counts as signed out.
 */
export function authContext(sealer: Sealer, clock: Clock): RequestHandler {
  return async function authContext(req, _res, next) {
    const auth = req.session?.auth;
    if (auth && auth.expiresAt > clock.now()) {
      try {
        const user = await sealer.open<SessionUser>(auth.sealedUser);
        req.signedIn = { user, signedInAt: auth.signedInAt, expiresAt: auth.expiresAt };
      } catch {
        delete req.session.auth;
      }
    }
    next();
  };
}
