import type { AuthResponse, AuthStep } from '../auth-step.js';
import { INCORRECT_CREDENTIALS, invalidParameter, notAuthorized } from '../errors.js';
import { userHasPasskey } from '../model/passkey-hook.js';
import { passwordMatches } from '../model/passwords.js';
import { endUserChallenges } from '../model/sessions.js';
import type { AuthFactor, User, UserPool } from '../state.js';
import { passwordAccepted } from './user-password.js';

/**
 * The challenges a USER_AUTH sign-in can start with, in the order the API reference lists them for SELECT_CHALLENGE
 * ("Available challenges are PASSWORD, PASSWORD_SRP, EMAIL_OTP, SMS_OTP, and WEB_AUTHN", ChallengeResponses).
 */
export const FIRST_FACTOR_CHALLENGES = ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN'] as const;
export type FirstFactorChallenge = (typeof FIRST_FACTOR_CHALLENGES)[number];

export const isFirstFactorChallenge = (name: string | undefined): name is FirstFactorChallenge =>
  (FIRST_FACTOR_CHALLENGES as readonly string[]).includes(name ?? '');

/** One way to start a USER_AUTH sign-in. */
export interface FirstFactor {
  /** The pool's AllowedFirstAuthFactors entry that permits it. */
  factor: AuthFactor;
  /** Whether the user has what it needs: a password, a verified address, a passkey. */
  userCan(user: User): boolean;
  /**
   * Starts it for a user who chose it (PREFERRED_CHALLENGE or a SELECT_CHALLENGE answer). `input` holds what came with
   * the choice: PASSWORD, or a passkey's CREDENTIAL.
   */
  start(step: AuthStep, user: User, input: Record<string, string>): Promise<AuthResponse>;
}

/** A correct password goes on as in USER_PASSWORD_AUTH (new password, MFA); a wrong one ends the attempt. */
export function checkPassword(step: AuthStep, user: User, password: string): Promise<AuthResponse> {
  if (!passwordMatches(user.password, password)) throw notAuthorized(INCORRECT_CREDENTIALS);
  return passwordAccepted(step, user);
}

/** A code by message; only the newest one sent works. No MFA follows: MFA backs up a password only. */
const byCode =
  (name: 'EMAIL_OTP' | 'SMS_OTP') =>
  (step: AuthStep, user: User): Promise<AuthResponse> => {
    endUserChallenges(step.ctx, step.pool, user, name);
    return Promise.resolve(step.challenge(user, name));
  };

const verified = (attribute: 'email' | 'phone_number') => (user: User) =>
  Boolean(user.attributes[attribute]) && user.attributes[`${attribute}_verified`] === 'true';

const hasPassword = (user: User) => user.password !== undefined;

export const srpNotEmulated = () => invalidParameter('PASSWORD_SRP is not supported by this emulator.');

/**
 * The first factors by challenge name. WEB_AUTHN is the passkey hook: offered when `userHasPasskey` says so, and
 * started by raising the WEB_AUTHN challenge, whose handler answers with CREDENTIAL_REQUEST_OPTIONS.
 */
export const firstFactors: Record<FirstFactorChallenge, FirstFactor> = {
  PASSWORD: {
    factor: 'PASSWORD',
    userCan: hasPassword,
    start: (step, user, input) =>
      input['PASSWORD'] === undefined
        ? Promise.resolve(step.challenge(user, 'PASSWORD'))
        : checkPassword(step, user, input['PASSWORD']),
  },
  PASSWORD_SRP: { factor: 'PASSWORD', userCan: hasPassword, start: () => Promise.reject(srpNotEmulated()) },
  EMAIL_OTP: { factor: 'EMAIL_OTP', userCan: verified('email'), start: byCode('EMAIL_OTP') },
  SMS_OTP: { factor: 'SMS_OTP', userCan: verified('phone_number'), start: byCode('SMS_OTP') },
  WEB_AUTHN: {
    factor: 'WEB_AUTHN',
    userCan: userHasPasskey,
    start: (step, user) => Promise.resolve(step.challenge(user, 'WEB_AUTHN')),
  },
};

/** What this user may start with on this pool: SELECT_CHALLENGE's AvailableChallenges. */
export const availableChallenges = (pool: UserPool, user: User): FirstFactorChallenge[] =>
  FIRST_FACTOR_CHALLENGES.filter(
    (name) => pool.AllowedFirstAuthFactors.includes(firstFactors[name].factor) && firstFactors[name].userCan(user),
  );
