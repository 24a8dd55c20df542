import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SetUserPoolMfaConfigCommand } from '@aws-sdk/client-cognito-identity-provider';
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
import { totpCode } from '../support/stack.js';

/** A walkthrough user with no second factor yet (src/emulator/walkthrough.json). */
const USERNAME = 'alice';
const PASSWORD = 'Alice-Passw0rd!';

async function signIn(page: Page): Promise<void> {
  await page.getByLabel('Username or email').fill(USERNAME);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

async function signOutAndBackToLogin(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'You have signed out' }).waitFor();
  await page.getByRole('link', { name: 'Sign in again' }).click();
  await page.waitForURL('**/login');
}

describe('multi-factor sign-in in a real browser, as a new user (pool MFA ON)', () => {
  let bff: TestBff;
  before(async () => {
    bff = await startBff({ env: { MFA_ISSUER_NAME: 'Example Corp' } });
    await bff.stack.cognito.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: bff.stack.poolId,
        MfaConfiguration: 'ON',
        SoftwareTokenMfaConfiguration: { Enabled: true },
        EmailMfaConfiguration: { Subject: 'Your sign-in code', Message: 'Your sign-in code is {####}.' },
      }),
    );
  });
  after(() => bff.close());

  it('set up an app at sign-in → signed in → sign out → app code → signed in → email codes preferred → emailed code → signed in; no token or key leaks', async (t) => {
    const browser = await launchBrowser(t);
    if (!browser) return;
    const tokens = new Set<string>();
    const collectTokens = async () => {
      const sessions = await bff.sessions();
      assert.ok(sessions.length > 0, 'the server holds the session');
      for (const { tokens: set } of sessions) {
        for (const token of [set.idToken, set.accessToken, set.refreshToken]) if (token) tokens.add(token);
      }
    };
    const signedIn = async (page: Page) => {
      await page.waitForURL(`${bff.url}/`);
      assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), `Signed in as ${USERNAME}`);
      assert.equal(await page.evaluate('document.cookie'), '', 'the session cookie is HttpOnly');
      await collectTokens();
    };
    try {
      const context = await browser.newContext();
      // Every response of every tab of the context (the outbox tabs too), for the scan at the end.
      const { seen, settled } = recordResponses(context);
      const page = await context.newPage();

      // 1. The password is right, and the account must now set up an authenticator app.
      await page.goto(bff.url);
      await page.getByRole('link', { name: 'Sign in' }).click();
      await page.waitForURL('**/login');
      await signIn(page);
      await page.waitForURL('**/login/mfa-setup');
      assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Set up an authenticator app');
      assert.equal(await page.locator('figure.qr svg').count(), 1, 'a QR code to scan');
      assert.equal(await page.locator('figure.qr figcaption').innerText(), 'Example Corp');

      // 2. "Cannot scan?": the person types the key shown into their app, which then shows a code.
      const shownKey = await page.locator('#totp-secret').innerText();
      assert.match(shownKey, /^[A-Z2-7 ]+$/, 'the key is readable: base32 letters and digits, maybe in groups');
      const key = shownKey.replace(/\s+/g, '');
      assert.ok(key.length >= 16, `a key of ${key.length} characters`);
      await page.getByLabel('6-digit code').fill(totpCode(key, bff.stack.clock()));
      await page.getByLabel('Name for this app (optional)').fill('phone');
      await page.getByRole('button', { name: 'Turn on and sign in' }).click();
      await signedIn(page);

      // 3. The next sign-in asks for the app's code. A code is single-use per 30-second step: wait for the next one.
      await signOutAndBackToLogin(page);
      bff.stack.clock.advance(30_000);
      await signIn(page);
      await page.waitForURL('**/login/totp');
      assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Enter your code');
      assert.match(await page.locator('#code-intro').innerText(), /authenticator app/);
      await page.getByLabel('6-digit code').fill(totpCode(key, bff.stack.clock()));
      await page.getByRole('button', { name: 'Sign in' }).click();
      await signedIn(page);

      // 4. Switch to email codes on the account's security page: turn them on, then make them preferred.
      await page.getByRole('link', { name: 'Your account' }).click();
      await page.waitForURL('**/account');
      await page.getByRole('link', { name: 'Security: sign-in codes' }).click();
      await page.waitForURL('**/account/security');
      assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Security: sign-in codes');
      assert.equal(await page.locator('#factor-SOFTWARE_TOKEN_MFA').innerText(), 'Authenticator app: on, preferred');
      assert.equal(await page.locator('#factor-EMAIL_OTP').innerText(), 'Email codes: off');
      await page
        .getByRole('region', { name: 'Email codes' })
        .getByRole('button', { name: 'Turn on email codes' })
        .click();
      await page
        .getByRole('status')
        .filter({ hasText: 'Email codes are on. Sign-ins use your preferred way, shown below.' })
        .waitFor();
      assert.equal(await page.locator('#factor-EMAIL_OTP').innerText(), 'Email codes: on');
      const preferred = page.getByRole('region', { name: 'Preferred' });
      await preferred.getByRole('radio', { name: 'Email codes' }).check();
      await preferred.getByRole('button', { name: 'Save preferred' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: 'Your preferred way to confirm sign-ins is changed.' })
        .waitFor();
      assert.equal(await page.locator('#factor-EMAIL_OTP').innerText(), 'Email codes: on, preferred');
      assert.equal(await page.locator('#factor-SOFTWARE_TOKEN_MFA').innerText(), 'Authenticator app: on');
      await collectTokens();

      // 5. The next sign-in sends a code by email; the page says where (masked); the outbox has it.
      await page.getByRole('link', { name: 'Back to your account' }).click();
      await page.waitForURL('**/account');
      await page.getByRole('link', { name: 'Back to the home page' }).click();
      await page.waitForURL(`${bff.url}/`);
      await signOutAndBackToLogin(page);
      await signIn(page);
      await page.waitForURL('**/login/email-code');
      assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Enter your code');
      assert.equal(
        await page.locator('#code-intro').innerText(),
        'We have sent a 6-digit code to a***@e***. Enter it to finish signing in.',
      );
      const message = await codeFromOutbox(context, page, USERNAME, 'Sign-in code');
      assert.match(message.text, /alice@example\.com \(email\)/);
      const emailed = message.code;
      await page.getByLabel('6-digit code').fill(emailed);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await signedIn(page);

      // 6. Nothing secret ever reached the browser; the app's key only on the set-up page.
      await settled();
      assert.ok(seen.length >= 25, `saw ${seen.length} responses`);
      const secrets: Record<string, string> = {
        clientSecret: bff.config.cognito.clientSecret ?? '',
        sessionSecret: bff.config.session.secret,
        password: PASSWORD,
      };
      [...tokens].forEach((token, i) => (secrets[`token ${i}`] = token));
      assert.ok(tokens.size >= 6, `collected ${tokens.size} tokens`);
      const keys = { key, shownKey };
      assertNoSecretSeen(seen, secrets);
      // The key may appear in one place only: the set-up page that shows it.
      let setupPages = 0;
      for (const response of seen) {
        const setupPage = new URL(response.url).pathname === '/login/mfa-setup' && response.status === 200;
        if (setupPage) {
          setupPages++;
          assert.ok(response.body.includes(shownKey), 'the scan reads the bodies: the set-up page has the key');
        }
        for (const [name, value] of Object.entries(keys)) {
          assert.ok(!response.headers.includes(value), `the TOTP ${name} in the headers of ${response.url}`);
          if (!setupPage) assert.ok(!response.body.includes(value), `the TOTP ${name} in the body of ${response.url}`);
        }
      }
      assert.equal(setupPages, 1, 'the key was shown once, on the set-up page');
      assertNoSecretLogged(bff.logs, { ...secrets, ...keys });
      for (const line of bff.logs) {
        assert.doesNotMatch(line, new RegExp(`\\b${emailed}\\b`), 'the emailed code in a log line');
      }
      await context.close();
    } finally {
      await browser.close();
    }
  });
});
