import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import type { CognitoAccount } from '../../cognito/account-client.js';
import { SAY } from '../../http/sentences.js';
import { AuthFailure } from '../../cognito/errors.js';
import type { Clock } from '../../shared/clock.js';
import type { Sealer } from '../../tokens/sealer.js';
import type { TokenService } from '../../tokens/token-service.js';
import { attributeField } from '../attributes.js';
import { ATTRIBUTE_MAX, formField, PASSWORD_MAX } from '../form.js';
import { signedIn } from '../require-sign-in.js';
import { updateSessionUser } from '../session-lifecycle.js';
import type { SessionRegistry } from '../sessions.js';
import { defineAction } from './journey.js';
import type { JourneyAction, JourneyPage } from './journey.js';
import { reauthUrl, signedInRecently } from './reauth.js';
import { noticeForNextPage } from './state.js';
import { readNewPassword } from './password-reset.js';
import { readCode } from './read.js';

export interface AccountDeps {
  clock: Clock;
  account: CognitoAccount;
  tokens: TokenService;
  sealer: Sealer;
  logger: Logger;
  /** Ends the user's other sessions after a password change, when asked to. */
  sessions: Pick<SessionRegistry, 'endOthers' | 'emailChanged'>;
}

/** Attributes shown on the account page, in this order; the rest of the user's attributes follow. */
const SHOWN_FIRST = ['email', 'phone_number', 'name'];
/** Never shown as rows: identifiers and bookkeeping (whether email and phone are verified is said beside them). */
const HIDDEN = new Set(['sub', 'identities', 'email_verified', 'phone_number_verified']);

/** An attribute's value as the page shows it: email and phone say whether they are verified. */
function shown(name: string, attributes: Record<string, string>): string {
  const value = attributes[name] ?? '';
  const verified = attributes[`${name}_verified`];
  if (verified === undefined || (name !== 'email' && name !== 'phone_number')) return value;
  return `${value} (${verified === 'true' ? 'verified' : 'not verified'})`;
}

/**
 * The signed-in user's account: their attributes as Cognito has them now (GetUser, not the ID token, which is only
 * as fresh as the last refresh), a password change, and an email change with its verification code.
 */
export function accountJourney(deps: AccountDeps): { pages: JourneyPage[]; actions: JourneyAction<unknown>[] } {
  const { account, tokens } = deps;
  const accessToken = async (req: Request) => (await tokens.tokensFor(req.sessionID, signedIn(req))).tokens.accessToken;

  /**
   * After an email change: new tokens, so the ID token the API receives carries it (best effort: the next refresh
   * does it anyway), the user's session list found by the new address (a password reset ends their sessions), and
   * the session's copy of the user, which the pages show.
   */
  const emailChanged = async (req: Request, email: string) => {
    const auth = signedIn(req);
    const stored = await tokens.peek(req.sessionID).catch(() => undefined);
    if (stored) await tokens.tokensFor(req.sessionID, auth, stored.version).catch(() => undefined);
    // Best effort, as the new tokens: the email has changed at Cognito whatever the store says.
    await deps.sessions.emailChanged(req, auth.user.email, email).catch((err: unknown) => {
      deps.logger.warn({ err: { name: (err as Error).name } }, 'email changed; password-reset pointer not moved');
    });
    await updateSessionUser(req, deps.sealer, { email });
  };

  const accountPage: JourneyPage = {
    path: '/account',
    view: 'account/account.njk',
    signedIn: true,
    async context(req) {
      const profile = await account.profile(await accessToken(req));
      const names = [
        ...SHOWN_FIRST.filter((n) => n in profile.attributes),
        ...Object.keys(profile.attributes)
          .filter((n) => !SHOWN_FIRST.includes(n) && !HIDDEN.has(n))
          .sort(),
      ];
      const email = profile.attributes['email'];
      return {
        username: profile.username,
        attributes: names.map((name) => ({
          label: attributeField(name).label,
          value: shown(name, profile.attributes),
        })),
        email,
        emailVerified: profile.attributes['email_verified'] === 'true',
        // The email is where reset codes go: moving it needs a recent sign-in (reauth.ts).
        emailChangeAllowed: signedInRecently(req, deps.clock),
        reauthUrl: reauthUrl(accountPage.path),
      };
    },
  };

  const back = async (req: Request, res: Response, notice: string) => {
    await noticeForNextPage(req, notice);
    res.redirect(303, accountPage.path);
  };

  const changePassword = defineAction<{ current: string; next: string; signOutOthers: boolean }>({
    path: '/account/password',
    page: accountPage,
    form: 'password',
    limit: 'check',
    read(body) {
      const current = formField(body, 'currentPassword');
      if (!current || current.length > PASSWORD_MAX) {
        return { error: SAY.enterCurrentPassword, invalid: 'currentPassword', values: {} };
      }
      const next = readNewPassword(body);
      if ('error' in next) return next;
      // "Sign out everywhere else" is a checkbox, ticked on the page: a browser sends it only while ticked.
      const signOutOthers = formField(body, 'signOutOthers') === 'on';
      return { input: { current, next: next.input, signOutOthers }, values: {} };
    },
    async run(req, res, { current, next, signOutOthers }) {
      await account.changePassword(await accessToken(req), current, next);
      if (!signOutOthers) return back(req, res, SAY.passwordChanged);
      // The password has changed at Cognito: a store that cannot answer now must not make it look as if it had not.
      const ended = await deps.sessions.endOthers(req).catch((err: unknown) => {
        deps.logger.warn({ err: { name: (err as Error).name } }, 'password changed; other sessions not ended');
        return undefined;
      });
      await back(
        req,
        res,
        ended === undefined
          ? SAY.passwordChangedOthersNotEnded
          : ended > 0
            ? SAY.passwordChangedOthersEnded
            : SAY.passwordChanged,
      );
    },
    say: { 'password-policy': (err) => err.cognitoMessage ?? SAY.passwordPolicy },
  });

  const changeEmail = defineAction<string>({
    path: '/account/email',
    page: accountPage,
    form: 'email',
    limit: 'send',
    read(body) {
      const email = formField(body, 'email').trim();
      const values = { email: email.slice(0, ATTRIBUTE_MAX) };
      if (!email || email.length > ATTRIBUTE_MAX || !email.includes('@')) {
        return { error: SAY.enterEmail, invalid: 'email', values };
      }
      return { input: email, values };
    },
    async run(req, res, email) {
      if (!signedInRecently(req, deps.clock))
        throw new AuthFailure('reauth-required', 'email change needs a recent sign-in');
      const deliveries = await account.updateAttributes(await accessToken(req), { email });
      // The pool may keep the old address until the new one is verified (AttributesRequireVerificationBeforeUpdate).
      const now = (await account.profile(await accessToken(req))).attributes['email'];
      if (now) await emailChanged(req, now);
      const sent = deliveries.find((d) => d.attribute === 'email');
      await back(req, res, sent ? SAY.emailChangePending(sent.destination) : SAY.emailVerified);
    },
    say: { 'reauth-required': () => SAY.signInAgainToChangeEmail },
  });

  const sendCode = defineAction<null>({
    path: '/account/email/code',
    page: accountPage,
    form: 'verify',
    limit: 'send',
    read: () => ({ input: null, values: {} }),
    async run(req, res) {
      const sent = await account.sendVerificationCode(await accessToken(req), 'email');
      await back(req, res, sent ? SAY.emailCodeSent(sent.destination) : SAY.signUpCodeResentSomewhere);
    },
  });

  const verifyEmail = defineAction<string>({
    path: '/account/email/verify',
    page: accountPage,
    form: 'verify',
    limit: 'check',
    read: (body) => readCode(body),
    async run(req, res, code) {
      await account.verifyAttribute(await accessToken(req), 'email', code);
      const now = (await account.profile(await accessToken(req))).attributes['email'];
      if (now) await emailChanged(req, now);
      await back(req, res, SAY.emailVerified);
    },
  });

  return { pages: [accountPage], actions: [changePassword, changeEmail, sendCode, verifyEmail] };
}
