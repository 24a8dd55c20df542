import type { ChallengeHandler } from '../auth-step.js';
import { availableChallenges, firstFactors, isFirstFactorChallenge } from '../auth-flows/first-factors.js';
import { invalidParameter, missingParameter } from '../errors.js';

/**
 * SELECT_CHALLENGE: USER_AUTH without a usable PREFERRED_CHALLENGE. The choices travel in the response's
 * AvailableChallenges, not in ChallengeParameters. The answer names one as ANSWER; PASSWORD (and a passkey's
 * CREDENTIAL) come in the same answer, while EMAIL_OTP and SMS_OTP send a code and raise their challenge (API
 * reference, RespondToAuthChallenge ChallengeResponses). An ANSWER the user was not offered is refused, worded by the
 * emulator (unconfirmed).
 */
export const selectChallenge: ChallengeHandler = {
  parameters: () => ({}),
  respond(step, { user, responses, end }) {
    const answer = responses['ANSWER'];
    if (!answer) throw missingParameter('ANSWER');
    if (!isFirstFactorChallenge(answer) || !availableChallenges(step.pool, user).includes(answer)) {
      throw invalidParameter(`Invalid ANSWER ${answer}: not an available challenge for the user.`);
    }
    if (answer === 'PASSWORD' && !responses['PASSWORD']) throw missingParameter('PASSWORD');
    end();
    return firstFactors[answer].start(step, user, responses);
  },
};
