import type { RequestHandler } from 'express';
import type { Clock } from '../shared/clock.js';
import type { Sealer } from '../tokens/sealer.js';
import { listing } from './device.js';
import type { SessionUser } from './types.js';
import type { SessionIndex } from './user-index.js';

/**
 * Decodes the signed-in user once per request (`req.signedIn`). A session past its absolute lifetime, or sealed
 * under a key we no longer hold, counts as signed out.
 *
 * A session signed in before sessions were listed (no `owner`) joins its user's list on its next page request, so
 * an upgrade leaves no session the user cannot see or end; its browser and address are those of that request. Best
 * effort: a store that cannot answer leaves it for the next request.
 */
export function authContext(sealer: Sealer, clock: Clock, index: SessionIndex): RequestHandler {
  return async function authContext(req, _res, next) {
    const auth = req.session?.auth;
    if (auth && auth.expiresAt > clock.now()) {
      try {
        const user = await sealer.open<SessionUser>(auth.sealedUser);
        req.signedIn = { user, signedInAt: auth.signedInAt, expiresAt: auth.expiresAt };
      } catch {
        delete req.session.auth;
        next();
        return;
      }
      if (!auth.owner) {
        try {
          const listed = await listing(req, req.signedIn.user, index, sealer);
          const names = { username: req.signedIn.user.username, email: req.signedIn.user.email };
          await index.add(listed.owner, req.sessionID, clock.now(), auth.expiresAt, names);
          req.session.auth = { ...auth, ...listed };
        } catch {
          // Listed on a later request.
        }
      }
    }
    next();
  };
}
