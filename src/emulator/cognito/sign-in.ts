import type { AuthResponse, AuthStep } from './auth-step.js';
import { nextMfaChallenge } from './model/mfa.js';
import type { User } from './state.js';
import { issueSignIn } from './tokens.js';

/**
 * The end of a first factor (a correct password, a new password): the second factor the pool and the user call for,
 * or tokens when there is none.
 */
export async function finishSignIn(step: AuthStep, user: User): Promise<AuthResponse> {
  const next = nextMfaChallenge(step.pool, user);
  if (next) return step.challenge(user, next);
  const { ctx, pool, client } = step;
  return { ChallengeParameters: {}, AuthenticationResult: await issueSignIn(ctx.state, pool, client, user, ctx.clock) };
}

/** Tokens at once: the end of a second factor. */
export async function signedIn(step: AuthStep, user: User): Promise<AuthResponse> {
  const { ctx, pool, client } = step;
  return { ChallengeParameters: {}, AuthenticationResult: await issueSignIn(ctx.state, pool, client, user, ctx.clock) };
}
