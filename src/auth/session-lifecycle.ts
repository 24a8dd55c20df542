import type { Request } from 'express';
import type { SignInResult } from '../cognito/auth-client.js';
import type { AuthState } from '../session/types.js';

const promisify = (fn: (cb: (err: unknown) => void) => void) => (): Promise<void> =>
  new Promise((resolve, reject) => fn((err) => (err ? reject(err) : resolve())));

/** A fresh session id (no session fixation); whatever the old session held is dropped. */
export async function regenerate(req: Request): Promise<void> {
  await promisify((cb) => req.session.regenerate(cb))();
}

export async function save(req: Request): Promise<void> {
  await promisify((cb) => req.session.save(cb))();
}

export async function destroy(req: Request): Promise<void> {
  await promisify((cb) => req.session.destroy(cb))();
}

/**
 * Signs the user in: new session id, tokens and the claims the pages need stored server-side, cookie lifetime
 * capped so the session ends no later than the refresh token and the configured maximum.
 */
export async function establishSession(
  req: Request,
  result: Extract<SignInResult, { kind: 'signed-in' }>,
  maxAgeMs: number,
): Promise<void> {
  await regenerate(req);
  const now = Date.now();
  const auth: AuthState = {
    user: {
      sub: result.claims.sub,
      username: result.claims.username,
      ...(result.claims.email ? { email: result.claims.email } : {}),
      groups: result.claims.groups,
    },
    tokens: result.tokens,
    signedInAt: now,
    expiresAt: now + maxAgeMs,
  };
  req.session.auth = auth;
  req.session.cookie.maxAge = maxAgeMs;
  await save(req);
}

/** The signed-in state, or undefined when anonymous or past the absolute lifetime. */
export function currentAuth(req: Request): AuthState | undefined {
  const auth = req.session?.auth;
  if (!auth) return undefined;
  return auth.expiresAt > Date.now() ? auth : undefined;
}
