import type { RequestHandler } from 'express';
import type { Clock } from '../shared/clock.js';
import type { TokenService } from '../tokens/token-service.js';
import { signedIn } from './require-sign-in.js';

/**
 * The session endpoint for single-page front ends (like Duende BFF's /bff/user): who is signed in and until when;
 * the tokens are refreshed first when about to expire. Never a token. Mounted behind `requireSignIn`.
 * `sessionExpiresIn` is how many seconds the session has left if nothing uses it again: the idle timeout (this call
 * just renewed it), or less when the absolute end comes first.
 */
export function getMe(tokens: TokenService, idleTimeoutSeconds: number, clock: Clock): RequestHandler {
  return async function getMe(req, res) {
    res.setHeader('cache-control', 'no-store');
    const auth = signedIn(req);
    await tokens.tokensFor(req.sessionID, auth);
    const { sub, username, email, groups } = auth.user;
    const untilEnd = Math.floor((auth.expiresAt - clock.now()) / 1000);
    res.json({
      sub,
      username,
      email: email ?? null,
      groups,
      expiresAt: new Date(auth.expiresAt).toISOString(),
      sessionExpiresIn: Math.max(0, Math.min(untilEnd, idleTimeoutSeconds)),
    });
  };
}
