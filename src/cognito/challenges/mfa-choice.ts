import type { ChallengeAsked, ChallengeStep } from './step.js';

/** The second factors Cognito can offer to choose from or to set up, by its own names. */
export type MfaFactor = 'SOFTWARE_TOKEN_MFA' | 'SMS_MFA' | 'EMAIL_OTP';
const FACTORS: readonly string[] = ['SOFTWARE_TOKEN_MFA', 'SMS_MFA', 'EMAIL_OTP'];

/** A ChallengeParameters value that is a JSON array of factor names (MFAS_CAN_CHOOSE, MFAS_CAN_SETUP). */
export function factorList(raw: string | undefined): MfaFactor[] {
  if (!raw) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed.map(String).filter((f): f is MfaFactor => FACTORS.includes(f)) : [];
  } catch {
    return [];
  }
}

/** SELECT_MFA_TYPE: the user has several factors and none preferred; ANSWER names the one to use now. */
export interface SelectMfaTypeChallenge {
  name: 'SELECT_MFA_TYPE';
  session: string;
  username: string;
  choices: MfaFactor[];
}

export const selectMfaType: ChallengeStep<SelectMfaTypeChallenge, { factor: MfaFactor }> = {
  read: ({ session, parameters, typed }: ChallengeAsked) => ({
    name: 'SELECT_MFA_TYPE',
    session,
    username: parameters['USER_ID_FOR_SRP'] ?? typed,
    choices: factorList(parameters['MFAS_CAN_CHOOSE']),
  }),
  responses: (_challenge, { factor }) => ({ ANSWER: factor }),
};
