import type { RequestHandler } from 'express';
import { currentAuth } from './session-lifecycle.js';

/**
 * The session endpoint for single-page front ends (like Duende BFF's /bff/user): who is signed in and until
 * when. Never a token.
 */
export function getMe(): RequestHandler {
  return (req, res) => {
    res.setHeader('cache-control', 'no-store');
    const auth = currentAuth(req);
    if (!auth) {
      res.status(401).json({ error: 'unauthenticated' });
      return;
    }
    const { sub, username, email, groups } = auth.user;
    res.json({ sub, username, email: email ?? null, groups, expiresAt: new Date(auth.expiresAt).toISOString() });
  };
}
