import type { Request, Response } from 'express';
import type { Sealer } from '../../tokens/sealer.js';
import { save } from '../session-lifecycle.js';

/**
 * What a journey carries from one step to the next, kept in the server-side session: the username the next form is
 * for (sealed, like every claim the session holds: a store never holds a username in clear) and a sentence for
 * the next page to show once. Only made once Cognito accepted a step, so looking at a form makes no session.
 */
export interface JourneyState {
  /** The next step: the username remembered, a sentence for its page, and a redirect there. */
  goOn(req: Request, res: Response, username: string, notice: string, path: string): Promise<void>;
  /** The username of the journey in progress, if any. */
  username(req: Request): Promise<string | undefined>;
}

export function journeyState(sealer: Sealer): JourneyState {
  return {
    async goOn(req, res, username, notice, path) {
      req.session.journey = await sealer.seal({ username });
      await noticeForNextPage(req, notice);
      res.redirect(303, path);
    },
    async username(req) {
      const sealed = req.session?.journey;
      if (!sealed) return undefined;
      return (await sealer.open<{ username: string }>(sealed).catch(() => undefined))?.username;
    },
  };
}

/** Sets the sentence the next page shows once, before a redirect to it. */
export async function noticeForNextPage(req: Request, notice: string): Promise<void> {
  req.session.notice = notice;
  await save(req);
}

/** The sentence a step left for this page, taken (it shows once). */
export async function takeNotice(req: Request): Promise<string | undefined> {
  const notice = req.session?.notice;
  if (notice === undefined) return undefined;
  delete req.session.notice;
  await save(req);
  return notice;
}
