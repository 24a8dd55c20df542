import type { Request, Response } from 'express';
import type { Clock } from '../../shared/clock.js';
import type { Sealer } from '../../tokens/sealer.js';
import type { PendingChallenge } from '../../session/types.js';
import { safeReturnTo } from '../return-to.js';
import { readPending, regenerate } from '../session-lifecycle.js';

/**
 * Cognito keeps a challenge session for the app client's AuthSessionValidity, 3 to 15 minutes (3 by default); past
 * the longest it can be, ask again without calling Cognito.
 */
const CHALLENGE_TTL_MS = 15 * 60_000;

/** The challenge this browser is answering, unless there is none or it is too old to answer. */
export async function pendingOf(
  req: Request,
  deps: { sealer: Sealer; clock: Clock },
): Promise<PendingChallenge | undefined> {
  const pending = await readPending(req, deps.sealer);
  if (!pending || deps.clock.now() - pending.startedAt > CHALLENGE_TTL_MS) return undefined;
  return pending;
}

/** The challenge is gone (expired, used, refused): start again at sign-in, keeping where the user was going. */
export async function backToLogin(req: Request, res: Response): Promise<void> {
  const returnTo = safeReturnTo(req.session?.returnTo);
  if (req.session?.pending) {
    await regenerate(req);
  }
  const query = new URLSearchParams({ reason: 'challenge-expired', ...(returnTo !== '/' ? { returnTo } : {}) });
  res.redirect(303, `/login?${query.toString()}`);
}
