import type { Request, Response } from 'express';
import type { CodeDelivery, CognitoAccount } from '../../cognito/account-client.js';
import { SAY } from '../../http/sentences.js';
import { attributeField } from '../attributes.js';
import { ATTRIBUTE_MAX, formField, PASSWORD_MAX, USERNAME_MAX } from '../form.js';
import { defineAction } from './journey.js';
import type { JourneyAction, JourneyPage, Reading } from './journey.js';
import type { SignInResult } from '../../cognito/auth-client.js';
import { AuthFailure } from '../../cognito/errors.js';
import { establishSession } from '../session-lifecycle.js';
import type { FlowDeps } from '../steps/flow.js';
import { noticeForNextPage } from './state.js';
import type { JourneyState } from './state.js';
import { readUsername, readUsernameAndCode } from './read.js';
import { userContextOf } from '../user-context.js';

export interface SignUpDeps {
  account: CognitoAccount;
  state: JourneyState;
  /** Whether /signup is offered (the confirm page is always there: sign-in may lead to it). */
  enabled: boolean;
  /** Attributes the form asks for besides username and password. */
  attributes: string[];
  /**
   * Signs the just-confirmed user in with ConfirmSignUp's Session and answers (true), or answers nothing (false:
   * the user then signs in on the sign-in form). Absent when this site does not use choice-based sign-in.
   */
  signInAfterConfirm?(req: Request, res: Response, username: string, session: string): Promise<boolean>;
}

const CONFIRM_PATH = '/signup/confirm';

/** After sign-in refused an unconfirmed user: a fresh code, and the confirm page saying where it went. */
export async function confirmAfterSignIn(
  req: Request,
  res: Response,
  deps: { account: CognitoAccount; state: JourneyState },
  username: string,
): Promise<void> {
  const delivery = await deps.account.resendSignUpCode(username, userContextOf(req)).catch(() => undefined);
  await deps.state.goOn(
    req,
    res,
    username,
    delivery ? SAY.confirmBeforeSignIn(delivery.destination) : SAY.notConfirmed,
    CONFIRM_PATH,
  );
}

interface SignUpInput {
  username: string;
  password: string;
  attributes: Record<string, string>;
}

function readSignUp(body: unknown, attributeNames: string[]): Reading<SignUpInput> {
  const username = formField(body, 'username').trim();
  const password = formField(body, 'newPassword');
  const attributes: Record<string, string> = {};
  for (const name of attributeNames) attributes[name] = formField(body, `attr_${name}`).trim();
  const values = { username, ...Object.fromEntries(Object.entries(attributes).map(([k, v]) => [`attr_${k}`, v])) };
  if (!username || username.length > USERNAME_MAX) {
    return { error: `${SAY.enterUsername} (at most ${USERNAME_MAX} characters)`, invalid: 'username', values };
  }
  if (!password) return { error: SAY.chooseNewPassword, invalid: 'newPassword', values };
  if (password.length > PASSWORD_MAX) {
    return { error: `Passwords are at most ${PASSWORD_MAX} characters.`, invalid: 'newPassword', values };
  }
  if (password !== formField(body, 'confirmPassword')) {
    return { error: SAY.passwordsDiffer, invalid: 'confirmPassword', values };
  }
  const missing = Object.entries(attributes).find(([, v]) => !v || v.length > ATTRIBUTE_MAX);
  if (missing) {
    const error = `${attributeField(missing[0]).label} is required (at most ${ATTRIBUTE_MAX} characters).`;
    return { error, invalid: `attr_${missing[0]}`, values };
  }
  return { input: { username, password, attributes }, values };
}

/** Self sign-up: /signup → the code from the email → /signup/confirm → sign in. */
export function signUpJourney(deps: SignUpDeps): { pages: JourneyPage[]; actions: JourneyAction<unknown>[] } {
  const { account, state } = deps;
  const { goOn } = state;
  // The confirm page fills in the username of the journey in progress.
  const confirmPage: JourneyPage = {
    path: CONFIRM_PATH,
    view: 'auth/signup-confirm.njk',
    initialValues: async (req) => ({ username: (await state.username(req)) ?? '' }),
  };
  const signUpPage: JourneyPage = {
    path: '/signup',
    view: 'auth/signup.njk',
    context: () => ({ attributes: deps.attributes.map(attributeField) }),
  };

  const signUp = defineAction<SignUpInput>({
    path: '/signup',
    page: signUpPage,
    limit: 'send',
    read: (body) => readSignUp(body, deps.attributes),
    async run(req, res, { username, password, attributes }) {
      const outcome = await account.signUp(username, password, attributes, userContextOf(req));
      if (outcome.confirmed) return goOn(req, res, username, SAY.accountConfirmed, '/login');
      if (!outcome.delivery) return goOn(req, res, username, SAY.signUpNeedsAdmin, '/login');
      await goOn(req, res, username, SAY.signUpCodeSent(outcome.delivery.destination), CONFIRM_PATH);
    },
    say: {
      // Cognito's words name the rule broken ("Password must have symbol characters").
      'password-policy': (err) => err.cognitoMessage ?? SAY.passwordPolicy,
    },
  });

  const confirm = defineAction<{ username: string; code: string }>({
    path: '/signup/confirm',
    page: confirmPage,
    form: 'confirm',
    limit: 'check',
    read: readUsernameAndCode,
    async run(req, res, { username, code }) {
      const { session } = await account.confirmSignUp(username, code, userContextOf(req));
      if (session && deps.signInAfterConfirm && (await deps.signInAfterConfirm(req, res, username, session))) return;
      await goOn(req, res, username, SAY.accountConfirmed, '/login');
    },
    otherwise: {
      'already-confirmed': (req, res, { username }) => goOn(req, res, username, SAY.alreadyConfirmed, '/login'),
    },
  });

  const resend = defineAction<string>({
    path: '/signup/resend',
    page: confirmPage,
    form: 'resend',
    limit: 'send',
    read: readUsername,
    async run(req, res, username) {
      const delivery: CodeDelivery | undefined = await account.resendSignUpCode(username, userContextOf(req));
      await goOn(
        req,
        res,
        username,
        delivery ? SAY.signUpCodeResent(delivery.destination) : SAY.signUpCodeResentSomewhere,
        CONFIRM_PATH,
      );
    },
    otherwise: {
      'unknown-user': (req, res, username) => goOn(req, res, username, SAY.signUpCodeResentSomewhere, CONFIRM_PATH),
      'already-confirmed': (req, res, username) => goOn(req, res, username, SAY.alreadyConfirmed, '/login'),
    },
  });

  return {
    pages: deps.enabled ? [signUpPage, confirmPage] : [confirmPage],
    actions: deps.enabled ? [signUp, confirm, resend] : [confirm, resend],
  };
}

/**
 * Signs a just-confirmed user in with the Session ConfirmSignUp answered (InitiateAuth USER_AUTH, no second code),
 * and lands them where they can add a passkey (or on their account page). False when Cognito refuses the Session:
 * the user then signs in on the sign-in form.
 */
export function confirmedSignIn(deps: FlowDeps): NonNullable<SignUpDeps['signInAfterConfirm']> {
  return async function signInAfterConfirm(req, res, username, session) {
    let result: SignInResult;
    try {
      result = await deps.cognito.signInAfterConfirm(username, session, userContextOf(req));
    } catch (err) {
      if (!(err instanceof AuthFailure)) throw err;
      deps.logger.info({ kind: err.kind, detail: err.detail }, 'sign-in after confirmation refused; asking to sign in');
      return false;
    }
    if (result.kind !== 'signed-in') return false;
    await establishSession(req, result, deps);
    deps.metrics.signIns.inc({ outcome: 'signed_in' });
    const { passkeys } = deps.site;
    await noticeForNextPage(req, passkeys ? SAY.confirmedAddPasskey : SAY.confirmedAndSignedIn);
    res.redirect(303, passkeys ? '/account/security' : '/account');
    return true;
  };
}
