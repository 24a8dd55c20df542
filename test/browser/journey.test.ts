import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startBff } from '../support/bff.js';
import type { TestBff } from '../support/bff.js';
import { assertNoSecretLogged, assertNoSecretSeen, launchBrowser, recordResponses } from '../support/browser.js';

describe('the whole journey in a real browser', () => {
  let bff: TestBff;
  before(async () => {
    bff = await startBff();
  });
  after(() => bff.close());

  it('temporary password → new password → home → Call API → sign out → the API call now fails; no token ever reaches the browser', async (t) => {
    const browser = await launchBrowser(t);
    if (!browser) return;
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      // Every response, for the scan at the end.
      const { seen, settled } = recordResponses(page);

      await page.goto(bff.url);
      await page.getByRole('link', { name: 'Sign in' }).click();
      await page.getByLabel('Username or email').fill('demo');
      await page.getByLabel('Password').fill('Welcome-2-cognito!');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();

      await page.waitForURL('**/login/new-password');
      await page.getByLabel('New password', { exact: true }).fill('weak');
      await page.getByLabel('Confirm new password').fill('weak');
      await page.getByRole('button', { name: 'Set password and sign in' }).click();
      assert.match(await page.getByRole('alert').innerText(), /Password does not conform to policy/);
      await page.getByLabel('New password', { exact: true }).fill('Browser-passw0rd!');
      await page.getByLabel('Confirm new password').fill('Browser-passw0rd!');
      await page.getByRole('button', { name: 'Set password and sign in' }).click();

      await page.waitForURL(`${bff.url}/`);
      assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Signed in as demo');
      assert.equal(await page.locator('#who-email').innerText(), 'demo@example.com');
      assert.equal(await page.locator('#who-groups').innerText(), 'readers');
      assert.equal(await page.evaluate('document.cookie'), '', 'the session cookie is HttpOnly');

      const [session] = await bff.sessions();
      assert.ok(session, 'the server holds the session');
      const secrets = {
        idToken: session.tokens.idToken,
        accessToken: session.tokens.accessToken,
        refreshToken: session.tokens.refreshToken,
        clientSecret: bff.config.cognito.clientSecret ?? '',
        sessionSecret: bff.config.session.secret,
      };

      await page.getByRole('button', { name: 'Call API' }).click();
      await page.locator('#api-result.ok').waitFor();
      assert.equal(await page.locator('#api-result').innerText(), 'Hello from Lambda!');

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'You have signed out' }).waitFor();
      const after = await page.evaluate(async () => {
        const res = await fetch('/api/', { method: 'POST', headers: { 'X-CSRF': '1' } });
        return { status: res.status, body: await res.text() };
      });
      assert.equal(after.status, 401);
      assert.match(after.body, /unauthenticated/);
      await page.goto(`${bff.url}/`);
      assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Welcome');

      await settled();
      assert.ok(seen.length >= 8, `saw ${seen.length} responses`);
      assertNoSecretSeen(seen, secrets, 20);
      assertNoSecretLogged(bff.logs, secrets);
      for (const line of bff.logs) {
        assert.ok(
          !line.includes('Browser-passw0rd!') && !line.includes('Welcome-2-cognito!'),
          'a password in a log line',
        );
      }
      await context.close();
    } finally {
      await browser.close();
    }
  });
});
