import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import type { CognitoAuth, SignInResult } from '../../cognito/auth-client.js';
import type { AnswerOf, SupportedChallengeName } from '../../cognito/challenges/index.js';
import { AuthFailure } from '../../cognito/errors.js';
import type { Metrics } from '../../ops/metrics.js';
import type { PendingChallenge } from '../../session/types.js';
import { renderPage } from '../pages.js';
import { safeReturnTo } from '../return-to.js';
import { establishSession, regenerate, save, storePending } from '../session-lifecycle.js';
import type { SessionDeps } from '../session-lifecycle.js';
import { FAILURE_STATUS, renderSignInFailure } from '../sign-in-failure.js';
import { pageStep } from './index.js';
import { backToLogin } from './pending.js';
import { userContextOf } from '../user-context.js';

import type { FormValues, PageStep, StepSite } from './step.js';

export interface FlowDeps extends SessionDeps {
  cognito: CognitoAuth;
  logger: Logger;
  metrics: Metrics;
  site: StepSite;
}

/** Shows a step's form, with a message and the field it is about when the last answer was not accepted. */
export async function renderStep<N extends SupportedChallengeName>(
  res: Response,
  status: number,
  step: PageStep<N>,
  pending: PendingChallenge<N>,
  site: StepSite,
  values: FormValues = {},
  problem?: { error: string; invalid?: string | undefined },
): Promise<void> {
  renderPage(res, step.view, status, {
    // The name Amazon's context-data script fingerprints for (the page has no username field).
    contextUsername: pending.challenge.username,
    ...(await step.context(pending, values, site)),
    ...(problem ? { error: problem.error, ...(problem.invalid ? { invalid: problem.invalid } : {}) } : {}),
  });
}

/**
 * After Cognito answered: a session, or the next challenge held server-side (sealed: its Session is a
 * credential) with the browser sent to that challenge's page on a fresh session id.
 */
export async function completeSignIn(
  req: Request,
  res: Response,
  result: SignInResult,
  deps: FlowDeps,
  from: { typed: string; returnTo: string; viaChoice?: boolean | undefined },
): Promise<void> {
  const { typed, returnTo } = from;
  switch (result.kind) {
    case 'signed-in':
      await establishSession(req, result, deps);
      deps.metrics.signIns.inc({ outcome: 'signed_in' });
      res.redirect(303, returnTo);
      return;
    case 'challenge':
      await regenerate(req);
      await storePending(req, deps.sealer, {
        challenge: result.challenge,
        typedUsername: typed,
        startedAt: deps.clock.now(),
        ...(from.viaChoice ? { viaChoice: true } : {}),
      } as PendingChallenge);
      req.session.returnTo = returnTo;
      deps.metrics.signIns.inc({ outcome: 'challenge' });
      await save(req);
      res.redirect(303, pageStep(result.challenge.name).path);
      return;
  }
}

/**
 * Sends the user's answer to Cognito. Then: signed in, or the next step; a refusal the step shows on its own
 * form; an expired or used challenge back to sign-in; anything else the sign-in failure page.
 */
export async function answerChallenge<N extends SupportedChallengeName>(
  req: Request,
  res: Response,
  step: PageStep<N>,
  pending: PendingChallenge<N>,
  reading: { answer: AnswerOf<N>; values: FormValues },
  deps: FlowDeps,
): Promise<void> {
  const returnTo = safeReturnTo(req.session.returnTo);
  let result: SignInResult;
  try {
    result = await deps.cognito.respond<N>(pending.challenge, reading.answer, userContextOf(req));
  } catch (caught) {
    if (!(caught instanceof AuthFailure)) throw caught;
    const kind = step.reinterpret?.(caught, reading.answer);
    const err = kind ? new AuthFailure(kind, caught.detail, caught.cognitoMessage) : caught;
    if (err.kind === 'challenge-expired') {
      deps.logger.info({ kind: err.kind }, 'challenge session rejected');
      return backToLogin(req, res);
    }
    const onForm = step.onForm?.[err.kind];
    if (onForm) {
      return renderStep(res, FAILURE_STATUS[err.kind], step, pending, deps.site, reading.values, {
        error: onForm(err),
      });
    }
    return renderSignInFailure(res, err, deps, { username: pending.typedUsername, returnTo });
  }
  await completeSignIn(req, res, result, deps, {
    typed: pending.typedUsername,
    returnTo,
    viaChoice: pending.viaChoice,
  });
}
