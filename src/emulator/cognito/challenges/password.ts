import type { ChallengeHandler } from '../auth-step.js';
import { checkPassword } from '../auth-flows/first-factors.js';
import { missingParameter } from '../errors.js';

/**
 * PASSWORD: USER_AUTH with PREFERRED_CHALLENGE PASSWORD but no PASSWORD yet; answered with PASSWORD (API reference,
 * RespondToAuthChallenge). One try: a wrong password ends the session as it ends a USER_PASSWORD_AUTH attempt.
 */
export const passwordChallenge: ChallengeHandler = {
  parameters: () => ({}),
  respond(step, { user, responses, end }) {
    const password = responses['PASSWORD'];
    if (!password) throw missingParameter('PASSWORD');
    end();
    return checkPassword(step, user, password);
  },
};
