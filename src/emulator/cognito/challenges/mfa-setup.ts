import type { ChallengeHandler } from '../auth-step.js';
import { CognitoError } from '../errors.js';
import { poolFactors } from '../model/mfa.js';
import { signedIn } from '../sign-in.js';

/**
 * MFA_SETUP: the pool requires MFA and the user has no factor on. MFAS_CAN_SETUP lists "the MFA types activated for
 * the user pool" as a JSON array. Only TOTP is set up inside the challenge: AssociateSoftwareToken{Session} →
 * VerifySoftwareToken{Session} → this answer with the Session VerifySoftwareToken gave; "to set up SMS or email MFA,
 * collect a phone_number or email attribute for the user. Then restart the authentication flow" (API reference,
 * AdminInitiateAuth ChallengeName). Success turns the new token on (preferred when nothing else is) and signs in.
 */
export const mfaSetup: ChallengeHandler = {
  parameters: ({ pool }) => ({ MFAS_CAN_SETUP: JSON.stringify(poolFactors(pool)) }),
  respond(step, { user, session, end }) {
    if (!session.softwareTokenVerified || user.softwareTokenSecret === undefined) {
      throw new CognitoError('MFAMethodNotFoundException', 'No MFA method was set up in this session.');
    }
    end();
    user.mfaEnabled = [...new Set([...(user.mfaEnabled ?? []), 'SOFTWARE_TOKEN_MFA' as const])];
    user.preferredMfa ??= 'SOFTWARE_TOKEN_MFA';
    user.modifiedAt = step.ctx.clock();
    return signedIn(step, user);
  },
};
