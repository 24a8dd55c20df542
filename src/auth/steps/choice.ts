import type { FirstFactor } from '../../cognito/challenges/first-factor.js';
import { SAY } from '../../http/sentences.js';
import { formField, PASSWORD_MAX } from '../form.js';
import type { PageStep, StepSite } from './step.js';

/** The BFF's names for the ways to sign in (SIGN_IN_METHODS), by Cognito's. */
const METHOD_OF: Record<FirstFactor, StepSite['signInMethods'][number]> = {
  PASSWORD: 'password',
  EMAIL_OTP: 'email_otp',
  SMS_OTP: 'sms_otp',
  WEB_AUTHN: 'passkey',
};

/** What Cognito offers this user, narrowed to what this site shows, in the site's order. */
export function offered(available: FirstFactor[], site: StepSite): FirstFactor[] {
  return site.signInMethods.flatMap((method) =>
    available.filter((factor) => METHOD_OF[factor] === method && (factor !== 'WEB_AUTHN' || site.passkeys)),
  );
}

const WORDS: Record<FirstFactor, string> = {
  EMAIL_OTP: 'Email me a code',
  SMS_OTP: 'Text me a code',
  WEB_AUTHN: 'Use a passkey',
  PASSWORD: 'Sign in with my password',
};

/**
 * SELECT_CHALLENGE: the ways Cognito offers this user (for an unknown user, with PreventUserExistenceErrors, the
 * same kind of list: the page cannot tell them apart either). One button per way; the password comes with its own
 * field, sent in the same answer.
 */
export const choosePage: PageStep<'SELECT_CHALLENGE'> = {
  path: '/login/choose',
  view: 'auth/choose.njk',
  context: (pending, _values, site) => {
    const ways = offered(pending.challenge.available, site);
    return {
      username: pending.typedUsername,
      ways: ways.filter((f) => f !== 'PASSWORD').map((factor) => ({ factor, label: WORDS[factor] })),
      password: ways.includes('PASSWORD'),
    };
  },
  read(body, pending) {
    const factor = formField(body, 'factor');
    const chosen = pending.challenge.available.find((f) => f === factor);
    if (!chosen) return { error: SAY.chooseWayToSignIn, values: {} };
    if (chosen !== 'PASSWORD') return { answer: { factor: chosen }, values: {} };
    const password = formField(body, 'password');
    if (!password || password.length > PASSWORD_MAX) {
      return { error: SAY.enterPassword, invalid: 'password', values: {} };
    }
    return { answer: { factor: 'PASSWORD', password }, values: {} };
  },
  // A wrong password here is a wrong password (the sign-in form says so, username kept), not an expired sign-in.
  reinterpret: (err, answer) =>
    err.kind === 'challenge-expired' && answer.factor === 'PASSWORD' ? 'bad-credentials' : undefined,
};
