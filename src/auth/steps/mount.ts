import type { Request, RequestHandler, Response, Router } from 'express';
import type { SupportedChallengeName } from '../../cognito/challenges/index.js';
import type { FormCsrf } from '../../security/csrf.js';
import type { PendingChallenge } from '../../session/types.js';
import { answerChallenge, renderStep } from './flow.js';
import type { FlowDeps } from './flow.js';
import { PAGE_STEPS, pageStep } from './index.js';
import { backToLogin, pendingOf } from './pending.js';

export interface StepRouteParts {
  /** Parses the posted form. */
  forms: RequestHandler;
  csrf: FormCsrf;
  /** Rate limits on answers, counted per typed username like sign-in itself. */
  limits: RequestHandler[];
}

const isFor = <N extends SupportedChallengeName>(pending: PendingChallenge, name: N): pending is PendingChallenge<N> =>
  pending.challenge.name === name;

/** The pending challenge when it is this step's; otherwise the browser is sent where it belongs and undefined. */
async function pendingFor<N extends SupportedChallengeName>(
  req: Request,
  res: Response,
  name: N,
  deps: FlowDeps,
): Promise<PendingChallenge<N> | undefined> {
  const pending = await pendingOf(req, deps);
  if (!pending) {
    await backToLogin(req, res);
    return undefined;
  }
  if (isFor(pending, name)) return pending;
  res.redirect(303, pageStep(pending.challenge.name).path);
  return undefined;
}

function mountStep<N extends SupportedChallengeName>(router: Router, name: N, deps: FlowDeps, parts: StepRouteParts) {
  const step = pageStep(name);
  router.get(step.path, async function showStep(req, res) {
    const pending = await pendingFor(req, res, name, deps);
    if (pending) renderStep(res, 200, step, pending);
  });
  router.post(
    step.path,
    parts.forms,
    // Without a challenge in progress the answer only sends the visitor back to sign in: nothing to protect.
    parts.csrf.protectUnless((req) => !req.session?.pending),
    ...parts.limits,
    async function answerStep(req, res) {
      const pending = await pendingFor(req, res, name, deps);
      if (!pending) return;
      const reading = step.read(req.body, pending);
      if ('error' in reading) return renderStep(res, 400, step, pending, reading.values, reading);
      await answerChallenge(req, res, step, pending, reading, deps);
    },
  );
}

/** One GET and one POST route per sign-in step in the registry. */
export function mountSteps(router: Router, deps: FlowDeps, parts: StepRouteParts): void {
  for (const name of Object.keys(PAGE_STEPS) as SupportedChallengeName[]) mountStep(router, name, deps, parts);
}
