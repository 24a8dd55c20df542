import type { SupportedChallengeName } from '../../cognito/challenges/index.js';
import { newPasswordPage } from './new-password.js';
import type { PageStep } from './step.js';

/**
 * The page for each challenge this BFF answers, keyed by Cognito's challenge name. Exhaustive over the challenges
 * src/cognito/challenges supports: marking one supported there fails the type check until its page is here.
 */
export const PAGE_STEPS: { [N in SupportedChallengeName]: PageStep<N> } = {
  NEW_PASSWORD_REQUIRED: newPasswordPage,
};

export function pageStep<N extends SupportedChallengeName>(name: N): PageStep<N> {
  return PAGE_STEPS[name];
}
