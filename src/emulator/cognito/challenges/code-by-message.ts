import { timingSafeEqual } from 'node:crypto';
import type { ChallengeHandler } from '../auth-step.js';
import { newCode } from '../model/codes.js';
import { sendCode } from '../model/outbox.js';
import { signedIn } from '../sign-in.js';
import type { DeliveryMedium, MessageKind, UserPool } from '../state.js';
import { checkMfaCode } from './mfa-answer.js';

const sameCode = (expected: string | undefined, given: string) =>
  expected !== undefined &&
  expected.length === given.length &&
  timingSafeEqual(Buffer.from(expected), Buffer.from(given));

/**
 * An MFA challenge answered with a code the pool sent (SMS_MFA, EMAIL_OTP). Raising it sends a new code, kept on the
 * session: it dies with the session (the client's AuthSessionValidity) and is good for one successful answer. The
 * parameters say where it went, masked, under CODE_DELIVERY_DELIVERY_MEDIUM and CODE_DELIVERY_DESTINATION (the keys
 * Amplify reads for both challenges).
 */
function codeByMessage(options: {
  attribute: 'phone_number' | 'email';
  medium: DeliveryMedium;
  kind: MessageKind;
  answerKey: string;
  template: (pool: UserPool) => string | undefined;
}): ChallengeHandler {
  return {
    parameters({ ctx, pool }, user, session) {
      session.code = newCode();
      const delivery = sendCode(ctx, pool, user, {
        kind: options.kind,
        attribute: options.attribute,
        medium: options.medium,
        destination: user.attributes[options.attribute] ?? '',
        code: session.code,
        template: options.template(pool),
      });
      return {
        CODE_DELIVERY_DELIVERY_MEDIUM: delivery.DeliveryMedium,
        CODE_DELIVERY_DESTINATION: delivery.Destination,
      };
    },
    respond(step, { user, session, responses, end }) {
      checkMfaCode(session, responses, options.answerKey, (code) => sameCode(session.code, code), end);
      end();
      return signedIn(step, user);
    },
  };
}

/** The sign-in and MFA message of a pool that sets none (DescribeUserPool's SmsAuthenticationMessage default). */
const DEFAULT_AUTHENTICATION_MESSAGE = 'Your authentication code is {####}. ';

/**
 * SMS_MFA: answered with SMS_MFA_CODE. Cognito's default SMS authentication message is "Your authentication code is
 * {####}. " (DescribeUserPool's SmsAuthenticationMessage on a pool that sets none).
 */
export const smsMfa = codeByMessage({
  attribute: 'phone_number',
  medium: 'SMS',
  kind: 'MFA',
  answerKey: 'SMS_MFA_CODE',
  template: (pool) => pool.Mfa.SmsMfaConfiguration?.SmsAuthenticationMessage ?? DEFAULT_AUTHENTICATION_MESSAGE,
});

/**
 * EMAIL_OTP, as a second factor or as a USER_AUTH first factor: answered with EMAIL_OTP_CODE; the text is the pool's
 * EmailMfaConfiguration.Message, the "email message template for sign-in and MFA messages" (API reference,
 * EmailMfaConfigType). Tokens follow either way.
 */
export const emailOtp = codeByMessage({
  attribute: 'email',
  medium: 'EMAIL',
  kind: 'EMAIL_OTP',
  answerKey: 'EMAIL_OTP_CODE',
  template: (pool) => pool.Mfa.EmailMfaConfiguration?.Message ?? DEFAULT_AUTHENTICATION_MESSAGE,
});

/**
 * SMS_OTP: a USER_AUTH first factor, answered with SMS_OTP_CODE. The text is the pool's SMS authentication message,
 * which serves "MFA and sign-in with SMS-message OTPs" (API reference, SmsMfaConfigType).
 */
export const smsOtp = codeByMessage({
  attribute: 'phone_number',
  medium: 'SMS',
  kind: 'SMS_OTP',
  answerKey: 'SMS_OTP_CODE',
  template: (pool) => pool.Mfa.SmsMfaConfiguration?.SmsAuthenticationMessage ?? DEFAULT_AUTHENTICATION_MESSAGE,
});
