import type { AuthResponse, AuthStep, ChallengeHandler } from '../auth-step.js';
import { startChallenge } from '../model/sessions.js';
import type { ChallengeName } from '../names.js';
import type { User } from '../state.js';
import { emailOtp, smsMfa, smsOtp } from './code-by-message.js';
import { mfaSetup } from './mfa-setup.js';
import { newPasswordRequired } from './new-password-required.js';
import { selectMfaType } from './select-mfa-type.js';
import { passwordChallenge } from './password.js';
import { selectChallenge } from './select-challenge.js';
import { softwareTokenMfa } from './software-token-mfa.js';
import { webAuthn } from './web-authn.js';

/**
 * The challenges the emulator can raise and check, by ChallengeName. A name missing here is never raised, so an
 * answer to it always meets an invalid session. Add a challenge: one file exporting a ChallengeHandler, one line.
 */
export const challenges: Partial<Record<ChallengeName, ChallengeHandler>> = {
  NEW_PASSWORD_REQUIRED: newPasswordRequired,
  SOFTWARE_TOKEN_MFA: softwareTokenMfa,
  SMS_MFA: smsMfa,
  EMAIL_OTP: emailOtp,
  SELECT_MFA_TYPE: selectMfaType,
  MFA_SETUP: mfaSetup,
  SELECT_CHALLENGE: selectChallenge,
  PASSWORD: passwordChallenge,
  SMS_OTP: smsOtp,
  WEB_AUTHN: webAuthn,
};

/** Opens a session for `name` and answers with it; the AuthStep's `challenge`. */
export function raiseChallenge(step: Omit<AuthStep, 'challenge'>, user: User, name: ChallengeName): AuthResponse {
  const handler = challenges[name];
  if (!handler) throw new Error(`No handler for challenge ${name}`);
  const { ctx, pool, client } = step;
  const Session = startChallenge(ctx, pool, client, user, name);
  const record = ctx.state.sessions.get(Session);
  if (!record) throw new Error('A challenge session vanished as it was opened');
  return { ChallengeName: name, Session, ChallengeParameters: handler.parameters(step, user, record) };
}

/** Builds the AuthStep both sign-in operations hand to flows and challenges. */
export const authStep = (base: Omit<AuthStep, 'challenge'>): AuthStep => ({
  ...base,
  challenge: (user, name) => raiseChallenge(base, user, name),
});
