import type { Request, RequestHandler, Response, Router } from 'express';
import type { Logger } from 'pino';
import { AuthFailure, USER_MESSAGES } from '../../cognito/errors.js';
import { refuse } from '../../http/refusals.js';
import { SAY } from '../../http/sentences.js';
import type { FormCsrf } from '../../security/csrf.js';
import { renderPage } from '../pages.js';
import { requireSignIn } from '../require-sign-in.js';
import { FAILURE_STATUS } from '../sign-in-failure.js';
import type { FormValues, JourneyAction, JourneyPage } from './journey.js';
import { takeNotice } from './state.js';

export interface JourneyRouteParts {
  /** Parses the posted form. */
  forms: RequestHandler;
  csrf: FormCsrf;
  /** Rate limiters per kind of action; each renders its 429 through `tooManyOnPage`. */
  limits: Record<'send' | 'check', RequestHandler[]>;
  logger: Logger;
}

interface Problem {
  error: string;
  invalid?: string | undefined;
}

/** Renders a journey page, with what the last form posted and what was wrong with it. */
async function renderJourneyPage(
  req: Request,
  res: Response,
  page: JourneyPage,
  status: number,
  extra: { values?: FormValues; problem?: Problem; form?: string | undefined } = {},
): Promise<void> {
  const notice = await takeNotice(req);
  const context = page.context ? await page.context(req) : {};
  renderPage(res, page.view, status, {
    ...context,
    values: { ...(await page.initialValues?.(req)), ...extra.values },
    ...(notice !== undefined ? { notice } : {}),
    ...(extra.problem ? { error: extra.problem.error, invalid: extra.problem.invalid, form: extra.form } : {}),
  });
}

/** Cognito did not answer and the page cannot be drawn without it: a 503 that says to try again. */
function unavailablePage(res: Response): void {
  res.setHeader('retry-after', '30');
  renderPage(res, 'errors/error.njk', 503, { status: 503, message: SAY.temporarilyUnavailable });
}

/**
 * Limiters call this when an attempt is over a limit (429, Retry-After already set): the action's own page says
 * when to try again.
 */
export function tooManyOnPage(_req: Request, res: Response, retryAfterSeconds: number): void {
  const show = (res.locals as { showTooMany?: (seconds: number) => Promise<void> }).showTooMany;
  if (show) {
    // The page could not be drawn (its context needs Cognito): the 429 and its Retry-After still stand.
    show(retryAfterSeconds).catch(
      () =>
        res.headersSent ||
        res
          .status(429)
          .type('text/plain')
          .end(SAY.tooManyAttempts(Math.ceil(retryAfterSeconds / 60))),
    );
    return;
  }
  renderPage(res, 'errors/error.njk', 429, {
    status: 429,
    message: SAY.tooManyAttempts(Math.ceil(retryAfterSeconds / 60)),
  });
}

function mountAction<I>(router: Router, action: JourneyAction<I>, parts: JourneyRouteParts): void {
  const guard = action.page.signedIn ? [requireSignIn()] : [];
  const showTooMany: RequestHandler = (req, res, next) => {
    res.locals['showTooMany'] = (seconds: number) =>
      renderJourneyPage(req, res, action.page, 429, {
        values: action.read(req.body).values,
        problem: { error: SAY.tooManyAttempts(Math.ceil(seconds / 60)) },
        form: action.form,
      });
    next();
  };
  const limits = action.limit ? parts.limits[action.limit] : [];
  router.post(action.path, ...guard, parts.forms, parts.csrf.protect, showTooMany, ...limits, async (req, res) => {
    const reading = action.read(req.body);
    if ('error' in reading) {
      await renderJourneyPage(req, res, action.page, 400, {
        values: reading.values,
        problem: reading,
        form: action.form,
      });
      return;
    }
    try {
      await action.run(req, res, reading.input);
    } catch (err) {
      if (!(err instanceof AuthFailure)) throw err;
      const own = action.otherwise?.[err.kind];
      if (own) return own(req, res, reading.input);
      parts.logger.info({ kind: err.kind, detail: err.detail, action: action.path }, 'account journey refused');
      if (err.kind === 'refresh-rejected') throw refuse.sessionExpired();
      const status = FAILURE_STATUS[err.kind];
      if (status === 503) {
        // Cognito did not answer: the same form, everything typed kept (but passwords), and when to try again.
        res.setHeader('retry-after', '30');
        const problem = { error: SAY.temporarilyUnavailable };
        await renderJourneyPage(req, res, action.page, 503, {
          values: reading.values,
          problem,
          form: action.form,
        }).catch(() => unavailablePage(res));
        return;
      }
      if (status === 429) res.setHeader('retry-after', '60');
      const say = action.say?.[err.kind];
      const error = typeof say === 'function' ? say(err) : (say ?? USER_MESSAGES[err.kind]);
      await renderJourneyPage(req, res, action.page, status, {
        values: reading.values,
        problem: { error },
        form: action.form,
      });
    }
  });
}

/** GET routes for the pages and POST routes for the actions of one journey (or several). */
export function mountJourney(
  router: Router,
  journey: { pages: JourneyPage[]; actions: JourneyAction<unknown>[] },
  parts: JourneyRouteParts,
): void {
  for (const page of journey.pages) {
    const guard = page.signedIn ? [requireSignIn()] : [];
    router.get(page.path, ...guard, async (req, res) => {
      try {
        await renderJourneyPage(req, res, page, 200);
      } catch (err) {
        if (err instanceof AuthFailure && err.kind === 'refresh-rejected') throw refuse.sessionExpired();
        if (err instanceof AuthFailure && FAILURE_STATUS[err.kind] === 503) {
          unavailablePage(res);
          return;
        }
        throw err;
      }
    });
  }
  for (const action of journey.actions) mountAction(router, action, parts);
}
