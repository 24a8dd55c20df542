import { INVALID_SESSION, notAuthorized } from '../errors.js';
import { newChallengeSession } from '../ids.js';
import type { ChallengeName } from '../names.js';
import type { OperationContext } from '../operation.js';
import type { AppClient, ChallengeSession, User, UserPool } from '../state.js';

/** Expired sessions are dropped now and then, so unanswered challenges cannot grow the map without bound. */
function pruneExpiredSessions(ctx: OperationContext, now: number): void {
  if (ctx.state.sessions.size % 1024 !== 1023) return;
  for (const [id, session] of ctx.state.sessions) if (session.expiresAt < now) ctx.state.sessions.delete(id);
}

/** Opens a challenge session: the opaque `Session` the answer must carry, valid for the client's AuthSessionValidity. */
export function startChallenge(
  ctx: OperationContext,
  pool: UserPool,
  client: AppClient,
  user: User,
  challengeName: ChallengeName,
): string {
  const now = ctx.clock();
  const session = newChallengeSession();
  pruneExpiredSessions(ctx, now);
  ctx.state.sessions.set(session, {
    poolId: pool.Id,
    clientId: client.ClientId,
    username: user.Username,
    challengeName,
    expiresAt: now + client.AuthSessionValidity * 60_000,
  });
  return session;
}

/**
 * The user a challenge answer is for. Anything off (unknown or expired session, another client, another challenge,
 * a USERNAME that is not the session's user) is the one error Cognito gives for a bad session.
 */
export function openChallenge(
  ctx: OperationContext,
  pool: UserPool,
  client: AppClient,
  answer: { session: string | undefined; challengeName: ChallengeName; username: string },
): { user: User; session: ChallengeSession } {
  const session = answer.session === undefined ? undefined : ctx.state.sessions.get(answer.session);
  const user = session ? pool.users.get(session.username) : undefined;
  if (
    !session ||
    !user ||
    session.clientId !== client.ClientId ||
    session.challengeName !== answer.challengeName ||
    ctx.clock() > session.expiresAt ||
    ctx.state.findUser(pool, answer.username) !== user
  ) {
    throw notAuthorized(INVALID_SESSION);
  }
  return { user, session };
}

/** A session is single-use: once the challenge is answered it is gone. */
export function endChallenge(ctx: OperationContext, session: string): void {
  ctx.state.sessions.delete(session);
}

/**
 * The MFA_SETUP session AssociateSoftwareToken and VerifySoftwareToken take instead of an access token: live and
 * for MFA_SETUP, else the one error Cognito gives for a bad session.
 */
export function openSetupSession(
  ctx: OperationContext,
  id: string,
): { session: ChallengeSession; pool: UserPool; client: AppClient; user: User } {
  const session = ctx.state.sessions.get(id);
  const pool = session && ctx.state.pools.get(session.poolId);
  const client = session && pool?.clients.get(session.clientId);
  const user = session && pool?.users.get(session.username);
  if (
    !session ||
    !pool ||
    !client ||
    !user ||
    session.challengeName !== 'MFA_SETUP' ||
    ctx.clock() > session.expiresAt
  ) {
    throw notAuthorized(INVALID_SESSION);
  }
  return { session, pool, client, user };
}

/** Swaps a session for a new one carrying the same challenge (each set-up step answers a fresh `Session`). */
export function renewSession(
  ctx: OperationContext,
  id: string,
  client: AppClient,
  change: Partial<ChallengeSession> = {},
): string {
  const session = ctx.state.sessions.get(id);
  if (!session) throw notAuthorized(INVALID_SESSION);
  const next = newChallengeSession();
  ctx.state.sessions.delete(id);
  ctx.state.sessions.set(next, {
    ...session,
    ...change,
    expiresAt: ctx.clock() + client.AuthSessionValidity * 60_000,
  });
  return next;
}

/**
 * Opens a session for a user who does not exist (USER_AUTH on a client that hides user existence). It looks like any
 * other session; `decoy` marks it so that no answer to it ever succeeds.
 */
export function startDecoyChallenge(
  ctx: OperationContext,
  pool: UserPool,
  client: AppClient,
  username: string,
  challengeName: ChallengeName,
): string {
  const session = newChallengeSession();
  ctx.state.sessions.set(session, {
    poolId: pool.Id,
    clientId: client.ClientId,
    username,
    challengeName,
    expiresAt: ctx.clock() + client.AuthSessionValidity * 60_000,
    decoy: true,
  });
  return session;
}

/**
 * Ends the user's open sessions for one challenge, so that only the newest code sent works: asking for a sign-in code
 * again is a new USER_AUTH call, and the code before it must stop working.
 */
export function endUserChallenges(
  ctx: OperationContext,
  pool: UserPool,
  user: User,
  challengeName: ChallengeName,
): void {
  for (const [id, session] of ctx.state.sessions) {
    if (session.poolId === pool.Id && session.username === user.Username && session.challengeName === challengeName) {
      ctx.state.sessions.delete(id);
    }
  }
}
