import type { ChallengeAsked, ChallengeStep } from './step.js';

/**
 * NEW_PASSWORD_REQUIRED: a user created with a temporary password chooses their own, and gives the attributes the
 * pool requires that the user has not got yet (RespondToAuthChallenge: NEW_PASSWORD, `userAttributes.<name>`).
 */
export interface NewPasswordChallenge {
  name: 'NEW_PASSWORD_REQUIRED';
  session: string;
  username: string;
  /** Attribute names Cognito asks for, without the `userAttributes.` prefix. */
  requiredAttributes: string[];
}

export interface NewPasswordAnswer {
  newPassword: string;
  /** Required attributes by name, without the `userAttributes.` prefix. */
  attributes: Record<string, string>;
}

function parseRequiredAttributes(raw: string | undefined): string[] {
  if (!raw) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed)) return [];
    return parsed.map(String).map((name) => name.replace(/^userAttributes\./, ''));
  } catch {
    return [];
  }
}

export const newPasswordRequired: ChallengeStep<NewPasswordChallenge, NewPasswordAnswer> = {
  read: ({ session, parameters, typed }: ChallengeAsked) => ({
    name: 'NEW_PASSWORD_REQUIRED',
    session,
    username: parameters['USER_ID_FOR_SRP'] ?? typed,
    requiredAttributes: parseRequiredAttributes(parameters['requiredAttributes']),
  }),
  responses: (_challenge, { newPassword, attributes }) => ({
    NEW_PASSWORD: newPassword,
    ...Object.fromEntries(Object.entries(attributes).map(([k, v]) => [`userAttributes.${k}`, v])),
  }),
};
