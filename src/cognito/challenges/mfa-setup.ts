import { factorList } from './mfa-choice.js';
import type { MfaFactor } from './mfa-choice.js';
import type { ChallengeAsked, ChallengeStep } from './step.js';

/**
 * MFA_SETUP: the pool requires MFA and the user has no factor yet. For an authenticator app Cognito wants
 * AssociateSoftwareToken{Session} (a secret for the app, and a new Session), VerifySoftwareToken{Session, UserCode}
 * (another Session), then RespondToAuthChallenge MFA_SETUP with that last Session (Cognito API reference,
 * RespondToAuthChallenge, "MFA_SETUP").
 */
export interface MfaSetupChallenge {
  name: 'MFA_SETUP';
  /** The Session to use next: the challenge's own, then AssociateSoftwareToken's. */
  session: string;
  username: string;
  /** What Cognito lets the user set up (MFAS_CAN_SETUP). */
  canSetUp: MfaFactor[];
  /** The authenticator app's secret for this sign-in, once AssociateSoftwareToken gave it. */
  secret?: string;
}

export interface MfaSetupAnswer {
  /** The first code the app shows for the new secret. */
  code: string;
  deviceName?: string;
}

export const mfaSetup: ChallengeStep<MfaSetupChallenge, MfaSetupAnswer> = {
  read: ({ session, parameters, typed }: ChallengeAsked) => ({
    name: 'MFA_SETUP',
    session,
    username: parameters['USER_ID_FOR_SRP'] ?? typed,
    canSetUp: factorList(parameters['MFAS_CAN_SETUP']),
  }),
  // The code proves the app holds the secret; the Session VerifySoftwareToken returns is the one to answer with.
  beforeRespond: async (calls, challenge, { code, deviceName }) => ({
    session: await calls.verifySoftwareToken(challenge.session, code, deviceName),
  }),
  responses: () => ({}),
};
