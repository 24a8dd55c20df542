import type { ChallengeAsked, ChallengeStep } from './step.js';

/** Where Cognito says it sent a sign-in code: the destination comes masked (`t***@e***`, `+*******1234`). */
export interface CodeSentTo {
  medium: 'EMAIL' | 'SMS';
  destination: string;
}

/** A one-time code typed by the user, six digits. */
export interface CodeAnswer {
  code: string;
}

/**
 * SOFTWARE_TOKEN_MFA: the code from the user's authenticator app (RFC 6238), answered as SOFTWARE_TOKEN_MFA_CODE.
 */
export interface SoftwareTokenMfaChallenge {
  name: 'SOFTWARE_TOKEN_MFA';
  session: string;
  username: string;
  /** The name the user gave the app when they set it up (FRIENDLY_DEVICE_NAME), when Cognito says it. */
  deviceName?: string;
}

const canonical = ({ parameters, typed }: ChallengeAsked) => parameters['USER_ID_FOR_SRP'] ?? typed;

export const softwareTokenMfa: ChallengeStep<SoftwareTokenMfaChallenge, CodeAnswer> = {
  read: (asked) => {
    const deviceName = asked.parameters['FRIENDLY_DEVICE_NAME'];
    return {
      name: 'SOFTWARE_TOKEN_MFA',
      session: asked.session,
      username: canonical(asked),
      ...(deviceName ? { deviceName } : {}),
    };
  },
  responses: (_challenge, { code }) => ({ SOFTWARE_TOKEN_MFA_CODE: code }),
};

const sentTo = (parameters: Record<string, string>, fallback: 'EMAIL' | 'SMS'): CodeSentTo => ({
  medium:
    parameters['CODE_DELIVERY_DELIVERY_MEDIUM'] === 'SMS'
      ? 'SMS'
      : parameters['CODE_DELIVERY_DELIVERY_MEDIUM'] === 'EMAIL'
        ? 'EMAIL'
        : fallback,
  destination: parameters['CODE_DELIVERY_DESTINATION'] ?? '',
});

/** SMS_MFA: a code Cognito sent by text message (CODE_DELIVERY_*), answered as SMS_MFA_CODE. */
export interface SmsMfaChallenge {
  name: 'SMS_MFA';
  session: string;
  username: string;
  sentTo: CodeSentTo;
}

export const smsMfa: ChallengeStep<SmsMfaChallenge, CodeAnswer> = {
  read: (asked) => ({
    name: 'SMS_MFA',
    session: asked.session,
    username: canonical(asked),
    sentTo: sentTo(asked.parameters, 'SMS'),
  }),
  responses: (_challenge, { code }) => ({ SMS_MFA_CODE: code }),
};

/** EMAIL_OTP: a code Cognito sent by email (as MFA after the password), answered as EMAIL_OTP_CODE. */
export interface EmailOtpChallenge {
  name: 'EMAIL_OTP';
  session: string;
  username: string;
  sentTo: CodeSentTo;
}

export const emailOtp: ChallengeStep<EmailOtpChallenge, CodeAnswer> = {
  read: (asked) => ({
    name: 'EMAIL_OTP',
    session: asked.session,
    username: canonical(asked),
    sentTo: sentTo(asked.parameters, 'EMAIL'),
  }),
  responses: (_challenge, { code }) => ({ EMAIL_OTP_CODE: code }),
};
