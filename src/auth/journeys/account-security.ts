import type { Request, Response } from 'express';
import type { CognitoAccount, UserProfile } from '../../cognito/account-client.js';
import type { MfaFactor } from '../../cognito/challenges/mfa-choice.js';
import { AuthFailure } from '../../cognito/errors.js';
import { SAY } from '../../http/sentences.js';
import type { Clock } from '../../shared/clock.js';
import type { Sealer } from '../../tokens/sealer.js';
import type { TokenService } from '../../tokens/token-service.js';
import { formField } from '../form.js';
import { signedIn } from '../require-sign-in.js';
import { save } from '../session-lifecycle.js';
import { totpEnrolment } from '../totp-qr.js';
import { reauthUrl, signedInRecently } from './reauth.js';
import { accountPasskeys, describePasskey } from './account-passkeys.js';
import { defineAction } from './journey.js';
import type { JourneyAction, JourneyPage, Reading } from './journey.js';
import { readCode } from './read.js';
import { noticeForNextPage } from './state.js';

export interface AccountSecurityDeps {
  account: CognitoAccount;
  tokens: TokenService;
  sealer: Sealer;
  clock: Clock;
  /** The issuer name authenticator apps show beside the code. */
  mfaIssuer: string;
  /** Whether the site offers passkeys (SIGN_IN_METHODS lists `passkey`): the page lists, adds and removes them. */
  passkeys: boolean;
}

// Turning a second factor off needs a recent sign-in (reauth.ts); turning one on or changing the preferred does not.
const PATH = '/account/security';
const REAUTH_URL = reauthUrl(PATH);

const FACTOR_NAMES: Record<MfaFactor, string> = {
  SOFTWARE_TOKEN_MFA: 'Authenticator app',
  EMAIL_OTP: 'Email codes',
  SMS_MFA: 'Text message codes',
};

interface Setup {
  sub: string;
  secret: string;
}

/**
 * The signed-in user's second factors (/account/security): which are on and preferred (GetUser), an authenticator
 * app added (AssociateSoftwareToken, then VerifySoftwareToken with its first code), email and text-message codes on
 * and off, and the preferred factor (SetUserMFAPreference), all with the user's access token. The new app's secret
 * lives only sealed in the server-side session until its first code is right; it never goes in a URL.
 */
export function accountSecurityJourney(deps: AccountSecurityDeps): {
  pages: JourneyPage[];
  actions: JourneyAction<unknown>[];
} {
  const { account, tokens, sealer } = deps;
  const accessToken = async (req: Request) => (await tokens.tokensFor(req.sessionID, signedIn(req))).tokens.accessToken;
  const recent = (req: Request) => signedInRecently(req, deps.clock);
  const profile = async (req: Request) => account.profile(await accessToken(req));
  /** SMS codes are only offered to a user with a phone number; the others to everyone. */
  /** The user's passkeys, or `off` when the pool does not allow them; undefined when this site does not offer them. */
  const passkeyList = async (req: Request) => {
    if (!deps.passkeys) return undefined;
    try {
      return { list: (await account.listPasskeys(await accessToken(req))).map(describePasskey) };
    } catch (err) {
      if (err instanceof AuthFailure && (err.kind === 'passkeys-off' || err.kind === 'misconfigured')) {
        return { off: true, list: [] };
      }
      throw err;
    }
  };
  const offered = (p: UserProfile): MfaFactor[] => [
    'SOFTWARE_TOKEN_MFA',
    'EMAIL_OTP',
    ...(p.attributes['phone_number'] ? (['SMS_MFA'] as const) : []),
  ];

  const openSetup = async (req: Request): Promise<string | undefined> => {
    const sealed = req.session?.totpSetup;
    if (!sealed) return undefined;
    const setup = await sealer.open<Setup>(sealed).catch(() => undefined);
    return setup?.sub === signedIn(req).user.sub ? setup.secret : undefined;
  };

  const securityPage: JourneyPage = {
    path: PATH,
    view: 'account/security.njk',
    signedIn: true,
    async context(req) {
      const p = await profile(req);
      const { enabled, preferred } = p.mfa;
      const factors = offered(p).map((factor) => {
        const on = enabled.includes(factor);
        const state = on ? (preferred === factor ? 'on, preferred' : 'on') : 'off';
        return { factor, name: FACTOR_NAMES[factor], on, preferred: preferred === factor, state };
      });
      return {
        factors,
        on: factors.filter((f) => f.on),
        byFactor: Object.fromEntries(factors.map((f) => [f.factor, f])),
        emailVerified: p.attributes['email_verified'] === 'true',
        recent: recent(req),
        reauthUrl: REAUTH_URL,
        passkeys: await passkeyList(req),
      };
    },
  };

  const appPage: JourneyPage = {
    path: `${PATH}/app`,
    view: 'account/security-app.njk',
    signedIn: true,
    async context(req) {
      const secret = await openSetup(req);
      if (!secret) return {};
      return totpEnrolment(deps.mfaIssuer, signedIn(req).user.username, secret);
    },
  };

  const back = async (req: Request, res: Response, notice: string) => {
    await noticeForNextPage(req, notice);
    res.redirect(303, PATH);
  };

  /** A factor turned on is preferred when none is yet, so sign-in asks for it rather than for a choice. */
  const turnOn = async (req: Request, factor: MfaFactor) => {
    const token = await accessToken(req);
    const { preferred } = (await account.profile(token)).mfa;
    await account.setMfaPreference(token, { [factor]: { enabled: true, ...(preferred ? {} : { preferred: true }) } });
  };

  const turnOff = async (req: Request, factor: MfaFactor) => {
    if (!recent(req)) throw new AuthFailure('reauth-required', `turning ${factor} off needs a recent sign-in`);
    await account.setMfaPreference(await accessToken(req), { [factor]: { enabled: false } });
  };

  const startApp = defineAction<null>({
    path: `${PATH}/app/start`,
    page: securityPage,
    form: 'SOFTWARE_TOKEN_MFA',
    limit: 'send',
    read: () => ({ input: null, values: {} }),
    async run(req, res) {
      const secret = await account.associateSoftwareToken(await accessToken(req));
      req.session.totpSetup = await sealer.seal({ sub: signedIn(req).user.sub, secret } satisfies Setup);
      await save(req);
      res.redirect(303, appPage.path);
    },
  });

  const verifyApp = defineAction<{ code: string; deviceName: string }>({
    path: appPage.path,
    page: appPage,
    form: 'app',
    limit: 'check',
    read(body) {
      const deviceName = formField(body, 'deviceName').trim().slice(0, 64);
      const code = readCode(body);
      if ('error' in code) return { error: SAY.enterSixDigits, invalid: 'code', values: { deviceName } };
      return { input: { code: code.input, deviceName }, values: { deviceName } };
    },
    async run(req, res, { code, deviceName }) {
      if (!(await openSetup(req))) return back(req, res, SAY.appSetUpStart);
      await account.verifySoftwareToken(await accessToken(req), code, deviceName || undefined);
      delete req.session.totpSetup;
      await turnOn(req, 'SOFTWARE_TOKEN_MFA');
      await back(req, res, SAY.appAdded);
    },
    say: { 'invalid-input': SAY.enterSixDigits },
  });

  /** One form per factor that can be switched here: on (where this page can do it) and off (after a recent sign-in). */
  const toggle = (
    factor: MfaFactor,
    path: string,
    words: { on?: string; off: string; cannot?: string },
  ): JourneyAction<unknown> =>
    defineAction<boolean>({
      path,
      page: securityPage,
      form: factor,
      read(body) {
        const turn = formField(body, 'turn');
        if (turn === 'off' || (turn === 'on' && words.on)) return { input: turn === 'on', values: {} };
        return { error: SAY.invalidInput, values: {} };
      },
      async run(req, res, on) {
        if (on) await turnOn(req, factor);
        else await turnOff(req, factor);
        await back(req, res, on && words.on ? words.on : words.off);
      },
      ...(words.cannot ? { say: { 'invalid-input': words.cannot } } : {}),
    });

  const preferredFactor = defineAction<MfaFactor>({
    path: `${PATH}/preferred`,
    page: securityPage,
    form: 'preferred',
    read(body): Reading<MfaFactor> {
      const factor = formField(body, 'factor');
      const chosen = (Object.keys(FACTOR_NAMES) as MfaFactor[]).find((f) => f === factor);
      if (!chosen) return { error: SAY.chooseFactorOn, invalid: 'factor', values: {} };
      return { input: chosen, values: { factor: chosen } };
    },
    async run(req, res, factor) {
      const token = await accessToken(req);
      if (!(await account.profile(token)).mfa.enabled.includes(factor)) {
        throw new AuthFailure('invalid-input', `${factor} is not on`);
      }
      await account.setMfaPreference(token, { [factor]: { enabled: true, preferred: true } });
      await back(req, res, SAY.preferredChanged);
    },
    say: { 'invalid-input': SAY.chooseFactorOn },
  });

  const passkeys = deps.passkeys
    ? accountPasskeys({ account, sealer, accessToken, recent, back, securityPage })
    : { pages: [], actions: [] };

  return {
    pages: [securityPage, appPage, ...passkeys.pages],
    actions: [
      ...passkeys.actions,
      startApp,
      verifyApp,
      toggle('SOFTWARE_TOKEN_MFA', `${PATH}/app/off`, { off: SAY.appOff }),
      toggle('EMAIL_OTP', `${PATH}/email`, {
        on: SAY.emailCodesOn,
        off: SAY.emailCodesOff,
        cannot: SAY.emailCodesNeedVerifiedEmail,
      }),
      toggle('SMS_MFA', `${PATH}/sms`, { on: SAY.smsCodesOn, off: SAY.smsCodesOff, cannot: SAY.smsCodesNeedPhone }),
      preferredFactor,
    ],
  };
}
