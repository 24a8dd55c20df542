import type { ChallengeHandler } from '../auth-step.js';
import { invalidParameter, missingParameter } from '../errors.js';
import { userFactors } from '../model/mfa.js';
import type { MfaFactor } from '../state.js';

/** The API reference spells the email answer EMAIL_MFA; Amplify answers EMAIL_OTP, the challenge's name. Both do. */
const factorOf = (answer: string): string => (answer === 'EMAIL_MFA' ? 'EMAIL_OTP' : answer);

/**
 * SELECT_MFA_TYPE: the user has several factors on and prefers none (API reference, SetUserMFAPreference). The
 * parameter MFAS_CAN_CHOOSE is a JSON array of them; the answer names one as ANSWER, which raises that factor's
 * challenge (and, for SMS or email, sends its code).
 */
export const selectMfaType: ChallengeHandler = {
  parameters: (_step, user) => ({ MFAS_CAN_CHOOSE: JSON.stringify(userFactors(user)) }),
  respond(step, { user, responses, end }) {
    const answer = responses['ANSWER'];
    if (!answer) throw missingParameter('ANSWER');
    const factor = userFactors(user).find((f) => f === factorOf(answer));
    if (!factor) throw invalidParameter(`Invalid MFA type ${answer} for the user.`);
    end();
    return Promise.resolve(step.challenge(user, factor satisfies MfaFactor));
  },
};
