import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { startBff } from '../support/bff.js';
import type { TestBff } from '../support/bff.js';
import {
  assertNoSecretLogged,
  assertNoSecretSeen,
  codeFromOutbox,
  launchBrowser,
  recordResponses,
} from '../support/browser.js';

const USERNAME = 'paula';
const EMAIL = 'paula@example.com';
const PASSWORD = 'Paula-Passw0rd!';

/** From the home page: sign out, then back to the sign-in form, username typed, "Sign in another way". */
async function signOutAndChoose(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'You have signed out' }).waitFor();
  await page.getByRole('link', { name: 'Sign in again' }).click();
  await page.waitForURL('**/login');
  await page.getByLabel('Username or email').fill(USERNAME);
  await page.getByRole('button', { name: 'Sign in another way' }).click();
  await page.waitForURL('**/login/choose');
}

describe('passkeys in a real browser (Chromium virtual authenticator), as a new user', () => {
  let bff: TestBff;
  before(async () => {
    bff = await startBff();
  });
  after(() => bff.close());

  it('sign up with an emailed code → add a passkey → sign out → passkey alone → emailed code → refused and cancelled passkeys; nothing secret reaches the browser', async (t) => {
    const browser = await launchBrowser(t);
    if (!browser) return;
    // WebAuthn needs a secure context: http://localhost is one, http://127.0.0.1 is not a valid RP ID.
    const site = bff.url.replace('127.0.0.1', 'localhost');
    const tokens = new Set<string>();
    const collectTokens = async () => {
      for (const { tokens: set } of await bff.sessions()) {
        for (const token of [set.idToken, set.accessToken, set.refreshToken]) if (token) tokens.add(token);
      }
    };
    const signedIn = async (page: Page) => {
      await page.waitForURL(`${site}/`);
      assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), `Signed in as ${USERNAME}`);
      assert.equal(await page.evaluate('document.cookie'), '', 'the session cookie is HttpOnly');
      await collectTokens();
    };
    try {
      const context = await browser.newContext();
      // Every response of every tab of the context (the outbox tabs too), for the scan at the end.
      const { seen, settled } = recordResponses(context);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
      page.on('pageerror', (err) => errors.push(err.message));
      const cdp = await context.newCDPSession(page);
      await cdp.send('WebAuthn.enable');
      const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
        options: {
          protocol: 'ctap2',
          transport: 'internal',
          hasResidentKey: true,
          hasUserVerification: true,
          isUserVerified: true,
        },
      });

      // 1. Sign up; the emailed code confirms the account and signs the new user in, on the security page.
      await page.goto(`${site}/signup`);
      await page.getByLabel('Username').fill(USERNAME);
      await page.getByLabel('Email address').fill(EMAIL);
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByLabel('Confirm password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.waitForURL('**/signup/confirm');
      await page
        .getByLabel('Confirmation code')
        .fill((await codeFromOutbox(context, page, USERNAME, 'Sign-up code')).code);
      await page.getByRole('button', { name: 'Confirm account' }).click();
      await page.waitForURL('**/account/security');
      const passkeys = page.getByRole('region', { name: 'Passkeys' });
      assert.equal(await passkeys.locator('#no-passkeys').innerText(), 'You have no passkeys yet.');
      await collectTokens();

      // 2. Add a passkey: the browser creates it on the (virtual) platform authenticator.
      await passkeys.getByRole('button', { name: 'Add a passkey' }).click();
      await page.waitForURL('**/account/security/passkey');
      assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Add a passkey');
      await page.getByRole('button', { name: 'Create a passkey' }).click();
      await page.waitForURL('**/account/security');
      await page
        .getByRole('status')
        .filter({ hasText: 'Your passkey is added. You can sign in with it instead of a password or a code.' })
        .waitFor();
      const listed = await passkeys.locator('li.passkey').innerText();
      assert.match(listed, /^Passkey on this device: Built into a device, added \d{1,2} \w+ \d{4}/);
      const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
      assert.equal(credentials.length, 1, 'the authenticator holds one passkey');
      assert.equal(credentials[0]?.rpId, 'localhost');

      // 3. Sign out; sign in with the passkey alone: username, "Use a passkey", the browser's prompt.
      await page.goto(`${site}/`);
      await signOutAndChoose(page);
      await page.getByRole('button', { name: 'Use a passkey' }).click();
      await page.waitForURL('**/login/passkey');
      assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Use your passkey');
      await page.getByRole('button', { name: 'Use my passkey' }).click();
      await signedIn(page);

      // 4. Sign out; sign in with a code from the outbox.
      await signOutAndChoose(page);
      await page.getByRole('button', { name: 'Email me a code' }).click();
      await page.waitForURL('**/login/email-code');
      const emailed = (await codeFromOutbox(context, page, USERNAME, 'Sign-in code')).code;
      await page.getByLabel('6-digit code').fill(emailed);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await signedIn(page);

      // 5. A passkey Cognito refuses (a bad signature) sends the user back to sign in, told so; a ceremony that
      // ends without a passkey (none left on the device) says so on the page and offers to try again.
      await page.goto(`${site}/`);
      await signOutAndChoose(page);
      await page.getByRole('button', { name: 'Use a passkey' }).click();
      await page.waitForURL('**/login/passkey');
      await cdp.send('WebAuthn.setResponseOverrideBits', { authenticatorId, isBogusSignature: true });
      await page.getByRole('button', { name: 'Use my passkey' }).click();
      await page.waitForURL('**/login/passkey');
      assert.equal(
        await page.getByRole('alert').innerText(),
        'That passkey was not accepted, or this sign-in has expired. Sign in again, or choose another way to sign in.',
      );
      await cdp.send('WebAuthn.setResponseOverrideBits', { authenticatorId, isBogusSignature: false });
      await page.getByRole('button', { name: 'Sign in another way' }).click();
      await page.waitForURL('**/login/choose');
      await page.getByRole('button', { name: 'Use a passkey' }).click();
      await page.waitForURL('**/login/passkey');
      await cdp.send('WebAuthn.clearCredentials', { authenticatorId });
      await page.getByRole('button', { name: 'Use my passkey' }).click();
      await page.locator('#passkey-problem:not([hidden])').waitFor({ timeout: 20_000 });
      assert.equal(
        await page.locator('#passkey-problem').innerText(),
        'The passkey request was cancelled or timed out. Try again when you are ready.',
      );
      assert.ok(await page.getByRole('button', { name: 'Try again' }).isEnabled());
      assert.equal((await page.request.get(`${site}/auth/me`)).status(), 401, 'not signed in');

      // 6. No script failed or was refused (a CSP refusal shows as a console error); nothing secret reached the browser.
      await settled();
      const missing = seen.filter((r) => r.status === 404).map((r) => new URL(r.url).pathname);
      assert.deepEqual(
        missing.filter((path) => path !== '/favicon.ico'),
        [],
        'every page part was found',
      );
      assert.deepEqual(
        // Pages answered 401 or 404 on purpose log "Failed to load resource"; a CSP refusal reads "Refused to ...".
        errors.filter((e) => !/^Failed to load resource: the server responded with a status of 40[14]/.test(e)),
        [],
        'no script errors',
      );
      assert.ok(
        seen.some((r) => r.url.endsWith('/static/vendor/simplewebauthn-browser.js') && r.status === 200),
        'the WebAuthn library came from our origin',
      );
      assert.ok(seen.length >= 20, `saw ${seen.length} responses`);
      const secrets: Record<string, string> = {
        clientSecret: bff.config.cognito.clientSecret ?? '',
        sessionSecret: bff.config.session.secret,
        password: PASSWORD,
      };
      [...tokens].forEach((token, i) => (secrets[`token ${i}`] = token));
      assert.ok(tokens.size >= 6, `collected ${tokens.size} tokens`);
      assertNoSecretSeen(seen, secrets);
      assertNoSecretLogged(bff.logs, secrets);
      await context.close();
    } finally {
      await browser.close();
    }
  });
});
