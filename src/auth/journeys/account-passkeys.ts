import type { Request, Response } from 'express';
import type { CognitoAccount, Passkey } from '../../cognito/account-client.js';
import { AuthFailure } from '../../cognito/errors.js';
import { SAY } from '../../http/sentences.js';
import type { Sealer } from '../../tokens/sealer.js';
import { formField } from '../form.js';
import { readPostedCredential } from '../passkey-credential.js';
import type { PostedCredential } from '../passkey-credential.js';
import { signedIn } from '../require-sign-in.js';
import { save } from '../session-lifecycle.js';
import { defineAction } from './journey.js';
import type { JourneyAction, JourneyPage } from './journey.js';

export interface AccountPasskeysDeps {
  account: CognitoAccount;
  sealer: Sealer;
  /** The signed-in user's access token (refreshed when due). */
  accessToken(req: Request): Promise<string>;
  /** Whether the user signed in recently enough for a change that weakens the account. */
  recent(req: Request): boolean;
  /** Back to /account/security with a sentence to show there. */
  back(req: Request, res: Response, notice: string): Promise<void>;
  /** The security page, where the list and the add and remove forms are. */
  securityPage: JourneyPage;
}

/** The options StartWebAuthnRegistration gave, for the user they were made for. */
interface Setup {
  sub: string;
  options: Record<string, unknown>;
}

const PATH = '/account/security/passkey';
/** Cognito's credential ids are base64url; anything else is refused before Cognito sees it. */
const CREDENTIAL_ID = /^[A-Za-z0-9_-]{1,1024}$/;

const KIND_WORDS: Record<string, string> = {
  platform: 'Built into a device',
  'cross-platform': 'Security key or phone',
};

/** A passkey as the security page lists it. */
export const describePasskey = (p: Passkey) => ({
  id: p.id,
  name: p.name,
  created: p.createdAt.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }),
  kind: (p.attachment && KIND_WORDS[p.attachment]) ?? 'Passkey',
});

/**
 * The signed-in user's passkeys on /account/security: added (StartWebAuthnRegistration, then a page running the
 * browser's navigator.credentials.create, then CompleteWebAuthnRegistration with its answer) and removed
 * (DeleteWebAuthnCredential, after a recent sign-in: a removed passkey can be an attacker's way of locking the owner
 * out, as turning a factor off is). The creation options are kept sealed in the server-side session between the two
 * steps, like an authenticator app's secret, and never travel in a URL.
 */
export function accountPasskeys(deps: AccountPasskeysDeps): {
  pages: JourneyPage[];
  actions: JourneyAction<unknown>[];
} {
  const { account, sealer, accessToken, back, securityPage } = deps;

  const openSetup = async (req: Request): Promise<Record<string, unknown> | undefined> => {
    const sealed = req.session?.passkeySetup;
    if (!sealed) return undefined;
    const setup = await sealer.open<Setup>(sealed).catch(() => undefined);
    return setup?.sub === signedIn(req).user.sub ? setup.options : undefined;
  };
  const dropSetup = async (req: Request) => {
    delete req.session.passkeySetup;
    await save(req);
  };

  const addPage: JourneyPage = {
    path: PATH,
    view: 'account/security-passkey.njk',
    signedIn: true,
    async context(req) {
      const options = await openSetup(req);
      return options ? { options: JSON.stringify(options), say: SAY } : {};
    },
  };

  const start = defineAction<null>({
    path: `${PATH}/start`,
    page: securityPage,
    form: 'passkeys',
    read: () => ({ input: null, values: {} }),
    async run(req, res) {
      const options = await account.startPasskeyRegistration(await accessToken(req));
      req.session.passkeySetup = await sealer.seal({ sub: signedIn(req).user.sub, options } satisfies Setup);
      await save(req);
      res.redirect(303, PATH);
    },
  });

  const complete = defineAction<PostedCredential>({
    path: PATH,
    page: addPage,
    form: 'passkey',
    // Each answer is checked by Cognito: count the refused ones like wrong codes.
    limit: 'check',
    read(body) {
      const credential = readPostedCredential(body);
      return credential ? { input: credential, values: {} } : { error: SAY.passkeyNotRead, values: {} };
    },
    async run(req, res, credential) {
      if (!(await openSetup(req))) return back(req, res, SAY.passkeySetUpStart);
      try {
        await account.completePasskeyRegistration(await accessToken(req), credential);
      } catch (err) {
        // Cognito has forgotten this challenge: the page offers to start again rather than retry a dead one.
        if (err instanceof AuthFailure && err.kind === 'passkey-setup-expired') await dropSetup(req);
        throw err;
      }
      await dropSetup(req);
      await back(req, res, SAY.passkeyAdded);
    },
  });

  const remove = defineAction<string>({
    path: `${PATH}/remove`,
    page: securityPage,
    form: 'passkeys',
    read(body) {
      const id = formField(body, 'id');
      return CREDENTIAL_ID.test(id) ? { input: id, values: {} } : { error: SAY.invalidInput, values: {} };
    },
    async run(req, res, id) {
      if (!deps.recent(req)) throw new AuthFailure('reauth-required', 'removing a passkey needs a recent sign-in');
      await account.deletePasskey(await accessToken(req), id);
      await back(req, res, SAY.passkeyRemoved);
    },
    say: { 'reauth-required': SAY.signInAgainToRemove },
  });

  return { pages: [addPage], actions: [start, complete, remove] };
}
