import type { ChallengeNameType } from '@aws-sdk/client-cognito-identity-provider';
import { selectChallenge, smsOtp, webAuthn } from './first-factor.js';
import { selectMfaType } from './mfa-choice.js';
import { emailOtp, smsMfa, softwareTokenMfa } from './mfa-code.js';
import { mfaSetup } from './mfa-setup.js';
import { newPasswordRequired } from './new-password-required.js';
import { unsupported } from './step.js';
import type { ChallengeBase, ChallengeStep, Unsupported } from './step.js';

/**
 * Every challenge Cognito can send, by its own name: a step that answers it, or the reason it is refused. The
 * `satisfies` keeps this exhaustive over the SDK's ChallengeNameType, so a new challenge cannot be forgotten.
 */
export const CHALLENGES = {
  NEW_PASSWORD_REQUIRED: newPasswordRequired,
  SMS_MFA: smsMfa,
  SMS_OTP: smsOtp,
  EMAIL_OTP: emailOtp,
  SOFTWARE_TOKEN_MFA: softwareTokenMfa,
  SELECT_MFA_TYPE: selectMfaType,
  MFA_SETUP: mfaSetup,
  SELECT_CHALLENGE: selectChallenge,
  WEB_AUTHN: webAuthn,
  PASSWORD: unsupported('password as its own USER_AUTH step: this BFF sends the password with SELECT_CHALLENGE'),
  PASSWORD_SRP: unsupported('SRP password proof: this BFF signs in with USER_PASSWORD_AUTH, never SRP'),
  PASSWORD_VERIFIER: unsupported('SRP password proof: this BFF signs in with USER_PASSWORD_AUTH, never SRP'),
  CUSTOM_CHALLENGE: unsupported('Lambda-defined custom challenges: no page can know what they ask'),
  DEVICE_SRP_AUTH: unsupported('remembered devices: this BFF does not track devices'),
  DEVICE_PASSWORD_VERIFIER: unsupported('remembered devices: this BFF does not track devices'),
  ADMIN_NO_SRP_AUTH: unsupported('admin-side flow: never sent to a client-side sign-in'),
} satisfies Record<ChallengeNameType, ChallengeStep<ChallengeBase, never> | Unsupported>;

type Registry = typeof CHALLENGES;

/** The challenges this BFF answers. */
export type SupportedChallengeName = {
  [N in keyof Registry]: Registry[N] extends Unsupported ? never : N;
}[keyof Registry];

type Supported = Pick<Registry, SupportedChallengeName>;

/** A challenge in progress: a union on the challenge name. */
export type Challenge = ReturnType<Supported[SupportedChallengeName]['read']>;
export type ChallengeOf<N extends SupportedChallengeName> = Extract<Challenge, { name: N }>;
/** What the user's answer to challenge N carries, before it becomes ChallengeResponses. */
export type AnswerOf<N extends SupportedChallengeName> = Parameters<Supported[N]['responses']>[1];

/** The step that answers `name`, or undefined when this BFF refuses it (or Cognito sent a name it never heard of). */
export function challengeStep(name: string): ChallengeStep<Challenge, unknown> | Unsupported | undefined {
  return Object.hasOwn(CHALLENGES, name)
    ? (CHALLENGES[name as ChallengeNameType] as ChallengeStep<Challenge, unknown> | Unsupported)
    : undefined;
}
