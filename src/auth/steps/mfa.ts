import type { AnswerOf } from '../../cognito/challenges/index.js';
import type { MfaFactor } from '../../cognito/challenges/mfa-choice.js';
import type { CodeSentTo } from '../../cognito/challenges/mfa-code.js';
import { SAY } from '../../http/sentences.js';
import { formField } from '../form.js';
import { totpEnrolment } from '../totp-qr.js';
import type { FormReading, PageStep } from './step.js';

type CodeChallengeName = 'SOFTWARE_TOKEN_MFA' | 'SMS_MFA' | 'EMAIL_OTP' | 'SMS_OTP';

/** The code as typed: six digits (spaces, as in "123 456", dropped). */
function readCode(body: unknown): { code: string } | { error: string } {
  const code = formField(body, 'code').replace(/\s+/g, '');
  return /^\d{6}$/.test(code) ? { code } : { error: SAY.enterSixDigits };
}

const codeRefusals = {
  'code-mismatch': () => SAY.codeMismatch,
  'invalid-input': () => SAY.enterSixDigits,
};

/** Where the code went, as the page says it; the destination is Cognito's, already masked. */
const whereSent = (sentTo: CodeSentTo) =>
  sentTo.medium === 'SMS' ? SAY.mfaCodeSentBySms(sentTo.destination) : SAY.mfaCodeSentByEmail(sentTo.destination);

/** One page per code challenge: the same form, saying where the code is. */
function codePage<N extends CodeChallengeName>(
  name: N,
  path: string,
  intro: (pending: Parameters<PageStep<N>['context']>[0]) => string,
): PageStep<N> {
  return {
    path,
    view: 'auth/mfa-code.njk',
    context: (pending) => ({
      action: path,
      intro: intro(pending),
      username: pending.typedUsername,
      factor: name,
      // A code sent for choice-based sign-in can be sent again (a new USER_AUTH call); one after a password cannot.
      resend: pending.viaChoice === true && (name === 'EMAIL_OTP' || name === 'SMS_OTP'),
    }),
    read(body): FormReading<N> {
      const reading = readCode(body);
      if ('error' in reading) return { error: reading.error, invalid: 'code', values: {} };
      return { answer: { code: reading.code } as AnswerOf<N>, values: {} };
    },
    onForm: codeRefusals,
  };
}

/** SOFTWARE_TOKEN_MFA: the code the user's authenticator app shows now. */
export const totpPage = codePage('SOFTWARE_TOKEN_MFA', '/login/totp', (pending) =>
  pending.challenge.deviceName ? SAY.mfaCodeFromNamedApp(pending.challenge.deviceName) : SAY.mfaCodeFromApp,
);
/** SMS_MFA: the code Cognito sent by text message. */
export const smsCodePage = codePage('SMS_MFA', '/login/sms-code', (pending) => whereSent(pending.challenge.sentTo));
/** SMS_OTP: a code by text message as the first factor (choice-based sign-in). */
export const smsOtpPage = codePage('SMS_OTP', '/login/sms-otp', (pending) => whereSent(pending.challenge.sentTo));
/** EMAIL_OTP (as MFA after the password, or as the first factor): the code Cognito sent by email. */
export const emailCodePage = codePage('EMAIL_OTP', '/login/email-code', (pending) =>
  whereSent(pending.challenge.sentTo),
);

const FACTOR_WORDS: Record<MfaFactor, string> = {
  SOFTWARE_TOKEN_MFA: 'A code from my authenticator app',
  EMAIL_OTP: 'A code sent to my email',
  SMS_MFA: 'A code sent to my phone by text message',
};

/** SELECT_MFA_TYPE: several factors are on and none is preferred: the user picks one for this sign-in. */
export const mfaChoicePage: PageStep<'SELECT_MFA_TYPE'> = {
  path: '/login/mfa-choice',
  view: 'auth/mfa-choice.njk',
  context: (pending) => ({
    choices: pending.challenge.choices.map((factor) => ({ value: factor, label: FACTOR_WORDS[factor] })),
  }),
  read(body, pending) {
    const factor = formField(body, 'factor');
    const chosen = pending.challenge.choices.find((f) => f === factor);
    if (!chosen) return { error: SAY.chooseFactor, invalid: 'factor', values: {} };
    return { answer: { factor: chosen }, values: {} };
  },
};

/**
 * MFA_SETUP: the pool requires MFA and the user has none. The page shows a QR code of the otpauth:// URI (Google
 * Authenticator's Key Uri Format: issuer, account name, base32 secret) as inline SVG, made on the server (no
 * script, no data: image, so the CSP stays strict), the secret as text to type, and asks for the first code.
 */
export const mfaSetupPage: PageStep<'MFA_SETUP'> = {
  path: '/login/mfa-setup',
  view: 'auth/mfa-setup.njk',
  async prepare(pending, cognito) {
    if (pending.challenge.secret) return pending;
    const { secret, session } = await cognito.associateSoftwareToken(pending.challenge.session);
    return { ...pending, challenge: { ...pending.challenge, secret, session } };
  },
  async context(pending, _values, site) {
    return {
      ...(await totpEnrolment(site.mfaIssuer, pending.typedUsername, pending.challenge.secret ?? '')),
      onlyTotp: pending.challenge.canSetUp.includes('SOFTWARE_TOKEN_MFA'),
    };
  },
  read(body) {
    const reading = readCode(body);
    if ('error' in reading) return { error: reading.error, invalid: 'code', values: {} };
    const deviceName = formField(body, 'deviceName').trim().slice(0, 64);
    return { answer: { code: reading.code, ...(deviceName ? { deviceName } : {}) }, values: {} };
  },
  onForm: codeRefusals,
};
