import type { Request, RequestHandler, Response, Router } from 'express';
import type { SupportedChallengeName } from '../../cognito/challenges/index.js';
import type { FormCsrf } from '../../security/csrf.js';
import type { PendingChallenge } from '../../session/types.js';
import { AuthFailure } from '../../cognito/errors.js';
import { safeReturnTo } from '../return-to.js';
import { save, storePending } from '../session-lifecycle.js';
import { renderSignInFailure } from '../sign-in-failure.js';
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

// PendingChallenge is a union on the challenge name; narrowing it by name is what this does.
const isFor = <N extends SupportedChallengeName>(pending: PendingChallenge, name: N): boolean =>
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
  if (isFor(pending, name)) return pending as unknown as PendingChallenge<N>;
  res.redirect(303, pageStep(pending.challenge.name).path);
  return undefined;
}

function mountStep<N extends SupportedChallengeName>(router: Router, name: N, deps: FlowDeps, parts: StepRouteParts) {
  const step = pageStep(name);
  router.get(step.path, async function showStep(req, res) {
    let pending = await pendingFor(req, res, name, deps);
    if (!pending) return;
    if (step.prepare) {
      try {
        const prepared = await step.prepare(pending, deps.cognito);
        if (prepared !== pending) {
          await storePending(req, deps.sealer, prepared as unknown as PendingChallenge);
          await save(req);
          pending = prepared;
        }
      } catch (err) {
        if (!(err instanceof AuthFailure)) throw err;
        if (err.kind === 'challenge-expired') return backToLogin(req, res);
        return renderSignInFailure(res, err, deps, {
          username: pending.typedUsername,
          returnTo: safeReturnTo(req.session.returnTo),
        });
      }
    }
    await renderStep(res, 200, step, pending, deps.site);
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
      if ('error' in reading) return renderStep(res, 400, step, pending, deps.site, reading.values, reading);
      await answerChallenge(req, res, step, pending, reading, deps);
    },
  );
}

/** One GET and one POST route per sign-in step in the registry. */
export function mountSteps(router: Router, deps: FlowDeps, parts: StepRouteParts): void {
  for (const name of Object.keys(PAGE_STEPS) as SupportedChallengeName[]) mountStep(router, name, deps, parts);
}
