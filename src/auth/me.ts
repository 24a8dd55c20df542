import type { RequestHandler } from 'express';
import type { TokenService } from '../tokens/token-service.js';
import { signedIn } from './require-sign-in.js';

/**
 * The session endpoint for single-page front ends (like Duende BFF's /bff/user): who is signed in and until
 * when; the tokens are refreshed first when about to expire. Never a token. Mounted behind `requireSignIn`.
 */
export function getMe(tokens: TokenService): RequestHandler {
  return async function getMe(req, res) {
    res.setHeader('cache-control', 'no-store');
    const auth = signedIn(req);
    await tokens.tokensFor(req.sessionID, auth);
    const { sub, username, email, groups } = auth.user;
    res.json({ sub, username, email: email ?? null, groups, expiresAt: new Date(auth.expiresAt).toISOString() });
  };
}
