import type { SupportedChallengeName } from '../../cognito/challenges/index.js';
import { choosePage } from './choice.js';
import { emailCodePage, mfaChoicePage, mfaSetupPage, smsCodePage, smsOtpPage, totpPage } from './mfa.js';
import { newPasswordPage } from './new-password.js';
import { passkeyPage } from './passkey.js';
import type { PageStep } from './step.js';

/**
 * The page for each challenge this BFF answers, keyed by Cognito's challenge name. Exhaustive over the challenges
 * src/cognito/challenges supports: marking one supported there fails the type check until its page is here.
 */
export const PAGE_STEPS: { [N in SupportedChallengeName]: PageStep<N> } = {
  NEW_PASSWORD_REQUIRED: newPasswordPage,
  SOFTWARE_TOKEN_MFA: totpPage,
  SMS_MFA: smsCodePage,
  EMAIL_OTP: emailCodePage,
  SELECT_MFA_TYPE: mfaChoicePage,
  MFA_SETUP: mfaSetupPage,
  SELECT_CHALLENGE: choosePage,
  SMS_OTP: smsOtpPage,
  WEB_AUTHN: passkeyPage,
};

export function pageStep<N extends SupportedChallengeName>(name: N): PageStep<N> {
  return PAGE_STEPS[name];
}
