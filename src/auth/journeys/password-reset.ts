import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import type { CognitoAccount } from '../../cognito/account-client.js';
import { SAY } from '../../http/sentences.js';
import { formField, PASSWORD_MAX } from '../form.js';
import { defineAction } from './journey.js';
import type { JourneyAction, JourneyPage, Reading } from './journey.js';
import type { JourneyState } from './state.js';
import type { SessionRegistry } from '../sessions.js';
import { readUsername, readUsernameAndCode } from './read.js';
import { userContextOf } from '../user-context.js';

const RESET_PATH = '/password/reset';

/** After sign-in said the password must be reset (AdminResetUserPassword sent a code): the reset form. */
export async function resetAfterSignIn(
  req: Request,
  res: Response,
  deps: { state: JourneyState },
  username: string,
): Promise<void> {
  await deps.state.goOn(req, res, username, SAY.resetRequiredCodeSent, RESET_PATH);
}

/** A new password and its confirmation, as the reset and account forms post them. */
export function readNewPassword(body: unknown): Reading<string> {
  const password = formField(body, 'newPassword');
  if (!password) return { error: SAY.chooseNewPassword, invalid: 'newPassword', values: {} };
  if (password.length > PASSWORD_MAX) {
    return { error: `Passwords are at most ${PASSWORD_MAX} characters.`, invalid: 'newPassword', values: {} };
  }
  if (password !== formField(body, 'confirmPassword')) {
    return { error: SAY.passwordsDiffer, invalid: 'confirmPassword', values: {} };
  }
  return { input: password, values: {} };
}

/**
 * A forgotten password: /password/forgot sends a code, /password/reset takes it with the new password. Whether the
 * account exists is never told: an unknown user, or one with no verified email or phone, reads exactly what a real
 * one reads (OWASP Forgot Password Cheat Sheet: "return a consistent message for both existent and non-existent
 * accounts").
 */
export function passwordResetJourney(deps: {
  account: CognitoAccount;
  state: JourneyState;
  logger: Logger;
  /** Ends every session of the user whose password was reset. */
  sessions: Pick<SessionRegistry, 'endAllNamed'>;
}): {
  pages: JourneyPage[];
  actions: JourneyAction<unknown>[];
} {
  const { account, state } = deps;
  const { goOn } = state;
  const initialValues = async (req: Request) => ({ username: (await state.username(req)) ?? '' });
  const forgotPage: JourneyPage = { path: '/password/forgot', view: 'auth/password-forgot.njk', initialValues };
  const resetPage: JourneyPage = { path: RESET_PATH, view: 'auth/password-reset.njk', initialValues };
  const sent = (req: Request, res: Response, username: string) =>
    goOn(req, res, username, SAY.resetCodeSent, resetPage.path);

  const forgot = defineAction<string>({
    path: '/password/forgot',
    page: forgotPage,
    limit: 'send',
    read: readUsername,
    async run(req, res, username) {
      await account.forgotPassword(username, userContextOf(req));
      await sent(req, res, username);
    },
    // Logged (without the username) so an operator can see why a user got no code; the user reads the same words.
    otherwise: {
      'unknown-user': (req, res, username) => {
        deps.logger.info({ outcome: 'unknown-user' }, 'password reset: no code sent');
        return sent(req, res, username);
      },
      'no-recovery-contact': (req, res, username) => {
        deps.logger.info({ outcome: 'cannot-reset' }, 'password reset: no code sent');
        return sent(req, res, username);
      },
    },
  });

  const reset = defineAction<{ username: string; code: string; password: string }>({
    path: '/password/reset',
    page: resetPage,
    form: 'reset',
    limit: 'check',
    read(body) {
      const first = readUsernameAndCode(body);
      if ('error' in first) return first;
      const password = readNewPassword(body);
      if ('error' in password) return { ...password, values: first.values };
      return { input: { ...first.input, password: password.input }, values: first.values };
    },
    async run(req, res, { username, code, password }) {
      await account.confirmForgotPassword(username, code, password, userContextOf(req));
      // Whoever held the old password may be signed in: every session of this user ends. The password is reset
      // either way; a store that cannot answer is logged and said, not shown as a failed reset.
      const ended = await deps.sessions.endAllNamed(username).then(
        () => true,
        (err: unknown) => {
          deps.logger.error({ err: { name: (err as Error).name } }, 'password reset: the sessions could not be ended');
          return false;
        },
      );
      await goOn(req, res, username, ended ? SAY.passwordReset : SAY.passwordResetSessionsNotEnded, '/login');
    },
    say: {
      'password-policy': (err) => err.cognitoMessage ?? SAY.passwordPolicy,
    },
  });

  return { pages: [forgotPage, resetPage], actions: [forgot, reset] };
}
