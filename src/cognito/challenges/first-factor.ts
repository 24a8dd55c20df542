import type { CodeAnswer, CodeSentTo } from './mfa-code.js';
import type { ChallengeAsked, ChallengeStep } from './step.js';

/** The ways to sign in USER_AUTH can offer (SELECT_CHALLENGE's AvailableChallenges), by Cognito's names. */
export type FirstFactor = 'PASSWORD' | 'EMAIL_OTP' | 'SMS_OTP' | 'WEB_AUTHN';
const FIRST_FACTORS: readonly string[] = ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN'];

const canonical = ({ parameters, typed }: ChallengeAsked) => parameters['USER_ID_FOR_SRP'] ?? typed;

/**
 * SELECT_CHALLENGE: USER_AUTH without a preference; Cognito lists what this user can use (AvailableChallenges, a
 * response field, not a ChallengeParameter). The answer is ANSWER = the factor, with PASSWORD in the same answer
 * for the password (API reference, RespondToAuthChallenge, "SELECT_CHALLENGE"). PASSWORD_SRP is never offered:
 * this BFF does not speak SRP.
 */
export interface SelectChallenge {
  name: 'SELECT_CHALLENGE';
  session: string;
  username: string;
  available: FirstFactor[];
}

export type SelectChallengeAnswer =
  { factor: 'EMAIL_OTP' | 'SMS_OTP' | 'WEB_AUTHN' } | { factor: 'PASSWORD'; password: string };

export const selectChallenge: ChallengeStep<SelectChallenge, SelectChallengeAnswer> = {
  read: (asked) => ({
    name: 'SELECT_CHALLENGE',
    session: asked.session,
    username: canonical(asked),
    available: (asked.available ?? []).filter((f): f is FirstFactor => FIRST_FACTORS.includes(f)),
  }),
  responses: (_challenge, answer) => ({
    ANSWER: answer.factor,
    ...(answer.factor === 'PASSWORD' ? { PASSWORD: answer.password } : {}),
  }),
};

/** SMS_OTP: a code by text message as the first factor (USER_AUTH), answered as SMS_OTP_CODE. */
export interface SmsOtpChallenge {
  name: 'SMS_OTP';
  session: string;
  username: string;
  sentTo: CodeSentTo;
}

export const smsOtp: ChallengeStep<SmsOtpChallenge, CodeAnswer> = {
  read: (asked) => ({
    name: 'SMS_OTP',
    session: asked.session,
    username: canonical(asked),
    sentTo: { medium: 'SMS', destination: asked.parameters['CODE_DELIVERY_DESTINATION'] ?? '' },
  }),
  responses: (_challenge, { code }) => ({ SMS_OTP_CODE: code }),
};

/** PASSWORD: USER_AUTH with the password preferred but not sent yet; answered with PASSWORD. */
export interface PasswordChallenge {
  name: 'PASSWORD';
  session: string;
  username: string;
}

export const passwordFactor: ChallengeStep<PasswordChallenge, { password: string }> = {
  read: (asked) => ({ name: 'PASSWORD', session: asked.session, username: canonical(asked) }),
  responses: (_challenge, { password }) => ({ PASSWORD: password }),
};

/**
 * WEB_AUTHN: a passkey. Cognito sends CREDENTIAL_REQUEST_OPTIONS (PublicKeyCredentialRequestOptions as JSON) for the
 * browser's navigator.credentials.get(); the answer is CREDENTIAL, the browser's AuthenticationResponseJSON, which
 * Cognito verifies (challenge, origin, RP ID, signature, counter).
 */
export interface WebAuthnChallenge {
  name: 'WEB_AUTHN';
  session: string;
  username: string;
  /** CREDENTIAL_REQUEST_OPTIONS as Cognito sent it (JSON text). */
  requestOptions: string;
}

export const webAuthn: ChallengeStep<WebAuthnChallenge, { credential: string }> = {
  read: (asked) => ({
    name: 'WEB_AUTHN',
    session: asked.session,
    username: canonical(asked),
    requestOptions: asked.parameters['CREDENTIAL_REQUEST_OPTIONS'] ?? '{}',
  }),
  responses: (_challenge, { credential }) => ({ CREDENTIAL: credential }),
};
