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

const USERNAME = 'newcomer';
const EMAIL = 'newcomer@example.com';
const NEW_EMAIL = 'newcomer.two@example.org';
const FIRST_PASSWORD = 'Newcomer-Passw0rd!';
const CHANGED_PASSWORD = 'Changed-Passw0rd!';
const RESET_PASSWORD = 'Reset-Passw0rd!';

async function signIn(page: Page, password: string): Promise<void> {
  await page.getByLabel('Username or email').fill(USERNAME);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe('the account journeys in a real browser, as a new user', () => {
  let bff: TestBff;
  before(async () => {
    // Password sign-in only, as a pool without choice-based sign-in has it: confirming leads to the sign-in form.
    // (With USER_AUTH on, confirming signs the user in at once: test/bff/sign-up.test.ts.)
    bff = await startBff({ env: { SIGN_IN_METHODS: 'password' } });
  });
  after(() => bff.close());

  it('sign up → confirm → change password → sign out → forgot password → reset → change and verify email; no token or password ever reaches the browser', async (t) => {
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
    try {
      const context = await browser.newContext();
      // Every response of every tab of the context (the outbox tabs too), for the scan at the end.
      const { seen, settled } = recordResponses(context);
      const page = await context.newPage();

      // 1. Create an account.
      await page.goto(bff.url);
      await page.getByRole('link', { name: 'Sign in' }).click();
      await page.waitForURL('**/login');
      await page.getByRole('link', { name: 'Create an account' }).click();
      await page.waitForURL('**/signup');
      assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Create an account');
      await page.getByLabel('Username').fill(USERNAME);
      await page.getByLabel('Email address').fill(EMAIL);
      await page.getByLabel('Password', { exact: true }).fill(FIRST_PASSWORD);
      await page.getByLabel('Confirm password').fill(FIRST_PASSWORD);
      await page.getByRole('button', { name: 'Create account' }).click();

      // 2. Confirm it with the code from the outbox.
      await page.waitForURL('**/signup/confirm');
      assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Confirm your account');
      assert.equal(
        await page.getByRole('status').innerText(),
        'We have sent a code to n***@e***. Enter it below to confirm your account.',
      );
      assert.equal(await page.getByLabel('Username').inputValue(), USERNAME);
      const signUpCode = (await codeFromOutbox(context, page, USERNAME, 'Sign-up code')).code;
      await page.getByLabel('Confirmation code').fill(signUpCode);
      await page.getByRole('button', { name: 'Confirm account' }).click();

      // 3. Sign in: the login page says so and has the username filled in.
      await page.waitForURL('**/login');
      assert.equal(await page.getByRole('status').innerText(), 'Your account is confirmed. Sign in to continue.');
      assert.equal(await page.getByLabel('Username or email').inputValue(), USERNAME);
      await page.getByLabel('Password').fill(FIRST_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${bff.url}/`);
      assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), `Signed in as ${USERNAME}`);
      assert.equal(await page.locator('#who-email').innerText(), EMAIL);
      assert.equal(await page.evaluate('document.cookie'), '', 'the session cookie is HttpOnly');
      await collectTokens();

      // 4. Change the password on the account page.
      await page.getByRole('link', { name: 'Your account' }).click();
      await page.waitForURL('**/account');
      assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Your account');
      const passwordSection = page.getByRole('region', { name: 'Password' });
      await passwordSection.getByLabel('Current password').fill(FIRST_PASSWORD);
      await passwordSection.getByLabel('New password', { exact: true }).fill(CHANGED_PASSWORD);
      await passwordSection.getByLabel('Confirm new password').fill(CHANGED_PASSWORD);
      await passwordSection.getByRole('button', { name: 'Change password' }).click();
      await page.getByRole('status').filter({ hasText: 'Your password has been changed.' }).waitFor();
      assert.equal(new URL(page.url()).pathname, '/account');
      await collectTokens();

      // 5. Sign out.
      await page.getByRole('link', { name: 'Back to the home page' }).click();
      await page.waitForURL(`${bff.url}/`);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'You have signed out' }).waitFor();

      // 6. "Forgot your password?", with the code from the outbox.
      await page.getByRole('link', { name: 'Sign in again' }).click();
      await page.waitForURL('**/login');
      await page.getByRole('link', { name: 'Forgot your password?' }).click();
      await page.waitForURL('**/password/forgot');
      assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Forgot your password?');
      await page.getByLabel('Username or email').fill(USERNAME);
      await page.getByRole('button', { name: 'Send a code' }).click();
      await page.waitForURL('**/password/reset');
      assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Choose a new password');
      assert.match(
        await page.getByRole('status').innerText(),
        /^If an account exists with that username, we have sent/,
      );
      assert.equal(await page.getByLabel('Username or email').inputValue(), USERNAME);
      const resetCode = (await codeFromOutbox(context, page, USERNAME, 'Password reset code')).code;
      await page.getByLabel('Code', { exact: true }).fill(resetCode);
      await page.getByLabel('New password', { exact: true }).fill(RESET_PASSWORD);
      await page.getByLabel('Confirm new password').fill(RESET_PASSWORD);
      await page.getByRole('button', { name: 'Change password' }).click();

      // 7. The changed password no longer works; the new one does.
      await page.waitForURL('**/login');
      assert.equal(
        await page.getByRole('status').innerText(),
        'Your password has been changed. Sign in with your new password.',
      );
      await signIn(page, CHANGED_PASSWORD);
      assert.equal(await page.getByRole('alert').innerText(), 'Incorrect username or password.');
      await signIn(page, RESET_PASSWORD);
      await page.waitForURL(`${bff.url}/`);
      assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), `Signed in as ${USERNAME}`);
      await collectTokens();

      // 8. Change the email address, then verify it with the code from the outbox.
      await page.getByRole('link', { name: 'Your account' }).click();
      await page.waitForURL('**/account');
      const emailSection = page.getByRole('region', { name: 'Email address' });
      await emailSection.getByLabel('New email address').fill(NEW_EMAIL);
      await emailSection.getByRole('button', { name: 'Change email' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: 'We have sent a code to n***@e***. Enter it below to verify your new email address.' })
        .waitFor();
      assert.equal(
        await emailSection.locator('#email-unverified').innerText(),
        `${NEW_EMAIL} is not verified yet. Enter the code we sent to it.`,
      );
      const verifyCode = (await codeFromOutbox(context, page, USERNAME, 'Verification code')).code;
      await emailSection.getByLabel('Verification code').fill(verifyCode);
      await emailSection.getByRole('button', { name: 'Verify email' }).click();
      await page.getByRole('status').filter({ hasText: 'Your email address is verified.' }).waitFor();
      assert.doesNotMatch(await page.getByRole('main').innerText(), /not verified/);
      assert.match(await page.locator('#attributes').innerText(), new RegExp(NEW_EMAIL.replaceAll('.', '\\.')));
      await collectTokens();
      await page.getByRole('link', { name: 'Back to the home page' }).click();
      await page.waitForURL(`${bff.url}/`);
      assert.equal(
        await page.locator('#who-email').innerText(),
        NEW_EMAIL,
        'the home page shows the new email at once',
      );
      assert.equal(await page.evaluate('document.cookie'), '', 'the session cookie is HttpOnly');

      // 9. Signed in again, the home page shows the new, verified email.
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'You have signed out' }).waitFor();
      await page.getByRole('link', { name: 'Sign in again' }).click();
      await page.waitForURL('**/login');
      await signIn(page, RESET_PASSWORD);
      await page.waitForURL(`${bff.url}/`);
      assert.equal(await page.locator('#who-email').innerText(), NEW_EMAIL);
      await collectTokens();

      // 10. Nothing secret ever reached the browser.
      await settled();
      assert.ok(seen.length >= 25, `saw ${seen.length} responses`);
      const secrets: Record<string, string> = {
        clientSecret: bff.config.cognito.clientSecret ?? '',
        sessionSecret: bff.config.session.secret,
        firstPassword: FIRST_PASSWORD,
        changedPassword: CHANGED_PASSWORD,
        resetPassword: RESET_PASSWORD,
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
