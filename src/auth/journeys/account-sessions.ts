import type { Request, Response } from 'express';
import type { Config } from '../../config/config.js';
import { SAY } from '../../http/sentences.js';
import { SESSION_HANDLE } from '../../session/device.js';
import { formField } from '../form.js';
import { signOutHere } from '../logout.js';
import { renderPage } from '../pages.js';
import type { SessionRegistry } from '../sessions.js';
import { defineAction } from './journey.js';
import type { JourneyAction, JourneyPage } from './journey.js';
import { noticeForNextPage } from './state.js';

const PATH = '/account/sessions';

/** A time as the page shows it, in UTC (the server cannot know the reader's zone). */
const shownTime = (ms: number) =>
  `${new Date(ms).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })} UTC`;

/**
 * The signed-in user's sessions (/account/sessions): where and when each was signed in and last used, this browser
 * marked; any other one ended, all the others ended, or a sign-out everywhere (GlobalSignOut, then every session).
 * Sessions are named by their handles; their ids never reach a page.
 */
export function accountSessionsJourney(deps: { sessions: SessionRegistry; config: Config }): {
  pages: JourneyPage[];
  actions: JourneyAction<unknown>[];
} {
  const { sessions } = deps;

  const page: JourneyPage = {
    path: PATH,
    view: 'account/sessions.njk',
    signedIn: true,
    async context(req) {
      const list = await sessions.list(req);
      return {
        sessions: list.map((s) => ({
          ...s,
          started: shownTime(s.startedAt),
          startedIso: new Date(s.startedAt).toISOString(),
          lastUsed: shownTime(s.lastUsedAt),
          lastUsedIso: new Date(s.lastUsedAt).toISOString(),
        })),
        others: list.filter((s) => !s.current).length,
      };
    },
  };

  const back = async (req: Request, res: Response, notice: string) => {
    await noticeForNextPage(req, notice);
    res.redirect(303, PATH);
  };
  /** `everywhere`: signed out everywhere, and whether Cognito could be told (GlobalSignOut). */
  const signedOutHere = async (req: Request, res: Response, everywhere?: { told: boolean }) => {
    await signOutHere(req, res, deps.config);
    renderPage(
      res,
      'auth/signed-out.njk',
      200,
      everywhere ? { everywhere: true, ...(everywhere.told ? {} : { notice: SAY.signedOutEverywhereUntold }) } : {},
    );
  };

  const endOne = defineAction<string>({
    path: `${PATH}/end`,
    page,
    form: 'sessions',
    read(body) {
      const id = formField(body, 'id');
      return SESSION_HANDLE.test(id) ? { input: id, values: {} } : { error: SAY.invalidInput, values: {} };
    },
    async run(req, res, handle) {
      const ended = await sessions.endByHandle(req, handle);
      if (ended === 'current') return signedOutHere(req, res);
      await back(req, res, ended === 'other' ? SAY.sessionSignedOut : SAY.sessionAlreadyEnded);
    },
  });

  const endOthers = defineAction<null>({
    path: `${PATH}/others`,
    page,
    form: 'sessions',
    read: () => ({ input: null, values: {} }),
    async run(req, res) {
      await back(req, res, SAY.otherSessionsEnded(await sessions.endOthers(req)));
    },
  });

  const everywhere = defineAction<null>({
    path: `${PATH}/everywhere`,
    page,
    form: 'sessions',
    read: () => ({ input: null, values: {} }),
    async run(req, res) {
      await signedOutHere(req, res, { told: await sessions.endEverywhere(req) });
    },
  });

  return { pages: [page], actions: [endOne, endOthers, everywhere] };
}
