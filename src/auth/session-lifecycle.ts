import type { Request } from 'express';
import type { SignInResult } from '../cognito/auth-client.js';
import type { Clock } from '../shared/clock.js';
import type { Sealer } from '../tokens/sealer.js';
import type { TokenService } from '../tokens/token-service.js';
import { refuse } from '../http/refusals.js';
import { listing } from '../session/device.js';
import type { PendingChallenge, SessionUser, SignedIn } from '../session/types.js';
import type { SessionIndex } from '../session/user-index.js';

const promisify = (fn: (cb: (err: unknown) => void) => void) => (): Promise<void> =>
  new Promise((resolve, reject) => fn((err) => (err ? reject(err) : resolve())));

/** A fresh session id (no session fixation); whatever the old session held is dropped. */
export async function regenerate(req: Request): Promise<void> {
  await promisify((cb) => req.session.regenerate(cb))();
  delete req.signedIn;
}

export async function save(req: Request): Promise<void> {
  await promisify((cb) => req.session.save(cb))();
}

export async function destroy(req: Request): Promise<void> {
  await promisify((cb) => req.session.destroy(cb))();
  delete req.signedIn;
}

export interface SessionDeps {
  sealer: Sealer;
  tokens: TokenService;
  sessionMaxAgeMs: number;
  clock: Clock;
  /** The per-user list of sessions, which a new session joins. */
  index: SessionIndex;
}

/**
 * Signs the user in: a new session id, the tokens sealed in the token vault, the user sealed in the session, the
 * cookie's lifetime capped so the session ends no later than the refresh token and the configured maximum. The
 * session joins its user's list (before its record is written, so a failing store leaves no session unlisted) with
 * a random handle to name it to the browser, and where it was signed in from (browser summary and `req.ip`), sealed.
 */
export async function establishSession(
  req: Request,
  result: Extract<SignInResult, { kind: 'signed-in' }>,
  deps: SessionDeps,
): Promise<void> {
  await regenerate(req);
  const now = deps.clock.now();
  const expiresAt = now + deps.sessionMaxAgeMs;
  const user: SessionUser = {
    sub: result.claims.sub,
    username: result.claims.username,
    ...(result.claims.email ? { email: result.claims.email } : {}),
    groups: result.claims.groups,
  };
  await deps.tokens.start(req.sessionID, result.tokens, expiresAt);
  const listed = await listing(req, user, deps.index, deps.sealer);
  await deps.index
    .add(listed.owner, req.sessionID, now, expiresAt, { username: user.username, email: user.email })
    .catch(() => {
      throw refuse.storeUnavailable();
    });
  req.session.auth = {
    sealedUser: await deps.sealer.seal(user),
    signedInAt: now,
    expiresAt,
    ...listed,
  };
  req.session.cookie.maxAge = deps.sessionMaxAgeMs;
  await save(req);
  req.signedIn = { user, signedInAt: now, expiresAt };
}

/**
 * The signed-in user's details changed at Cognito (e.g. a new email): the session's sealed copy, which the pages and
 * /auth/me show, is replaced so they do not wait for the next sign-in.
 */
export async function updateSessionUser(req: Request, sealer: Sealer, change: Partial<SessionUser>): Promise<void> {
  const current = req.signedIn;
  if (!current || !req.session.auth) return;
  const user: SessionUser = { ...current.user, ...change };
  req.session.auth = { ...req.session.auth, sealedUser: await sealer.seal(user) };
  await save(req);
  req.signedIn = { ...current, user };
}

/** The signed-in state of this request, or undefined when anonymous or past the absolute lifetime. */
export function currentAuth(req: Request): SignedIn | undefined {
  const signedIn = req.signedIn;
  return signedIn && signedIn.expiresAt > Date.now() ? signedIn : undefined;
}

export async function storePending(req: Request, sealer: Sealer, pending: PendingChallenge): Promise<void> {
  req.session.pending = await sealer.seal(pending);
}

export async function readPending(req: Request, sealer: Sealer): Promise<PendingChallenge | undefined> {
  const sealed = req.session?.pending;
  if (!sealed) return undefined;
  try {
    return await sealer.open<PendingChallenge>(sealed);
  } catch {
    return undefined;
  }
}
