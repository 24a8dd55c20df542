import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { startBff } from '../support/bff.js';
import type { TestBff } from '../support/bff.js';
import { assertNoSecretLogged, assertNoSecretSeen, launchBrowser, recordResponses } from '../support/browser.js';
import type { Seen } from '../support/browser.js';

const USERNAME = 'bob';
const PASSWORD = 'Bob-Passw0rd!';
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';

async function signIn(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/login`);
  await page.getByLabel('Username or email').fill(USERNAME);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${url}/`);
}

/** The responses without the session cookie the BFF sets: the one place a session id belongs. */
const withoutSetCookie = (seen: Seen[]): Seen[] =>
  seen.map((response) => {
    const headers = JSON.parse(response.headers) as Record<string, string>;
    delete headers['set-cookie'];
    return { ...response, headers: JSON.stringify(headers) };
  });

describe('the sessions page in a real browser', () => {
  let bff: TestBff;
  before(async () => {
    bff = await startBff({ env: { SIGN_IN_METHODS: 'password' } });
  });
  after(() => bff.close());

  it('two browsers signed in as one user: the first sees both, ends the other, and the other is signed out', async (t) => {
    const browser = await launchBrowser(t);
    if (!browser) return;
    try {
      const first = await browser.newContext();
      const second = await browser.newContext({ userAgent: FIREFOX });
      const one = recordResponses(first);
      const two = recordResponses(second);
      const mine = await first.newPage();
      const theirs = await second.newPage();
      await signIn(mine, bff.url);
      await signIn(theirs, bff.url);
      const held = await bff.sessions();
      assert.equal(held.length, 2);

      await mine.getByRole('link', { name: 'Your account' }).click();
      await mine.waitForURL('**/account');
      await mine.getByRole('link', { name: 'Your sessions: where you are signed in' }).click();
      await mine.waitForURL('**/account/sessions');
      assert.equal(await mine.getByRole('heading', { level: 1 }).innerText(), 'Your sessions');
      const items = mine.locator('#sessions > li');
      assert.equal(await items.count(), 2);
      const current = items.filter({ hasText: '(this browser)' });
      assert.equal(await current.count(), 1);
      assert.match(await current.innerText(), /^Chrome on Linux \(this browser\)/);
      assert.match(await current.innerText(), /Address\s+127\.0\.0\.1/);
      const other = items.filter({ hasText: 'Firefox on Linux' });
      assert.equal(await other.count(), 1);
      assert.equal(await current.getByRole('button').count(), 0, 'no button to end this one from the list');

      await other.getByRole('button', { name: /^Sign out Firefox on Linux/ }).click();
      await mine.getByRole('status').filter({ hasText: 'That session has been signed out.' }).waitFor();
      assert.equal(await mine.locator('#sessions > li').count(), 1);

      // The other browser's next request finds no session: the page sends it to sign in.
      await theirs.goto(`${bff.url}/account`);
      await theirs.waitForURL('**/login?returnTo=%2Faccount');
      const api = await second.request.post(`${bff.url}/api/`, { headers: { 'X-CSRF': '1' } });
      assert.equal(api.status(), 401, 'its API calls are refused too');
      assert.equal((await bff.sessions()).length, 1);

      await one.settled();
      await two.settled();
      const secrets: Record<string, string> = {
        clientSecret: bff.config.cognito.clientSecret ?? '',
        sessionSecret: bff.config.session.secret,
        password: PASSWORD,
      };
      held.forEach((s, i) => {
        secrets[`session id ${i}`] = s.sid;
        for (const [name, token] of Object.entries(s.tokens))
          if (typeof token === 'string') secrets[`${name} ${i}`] = token;
      });
      assertNoSecretSeen(withoutSetCookie([...one.seen, ...two.seen]), secrets);
      assertNoSecretLogged(bff.logs, secrets);
      await first.close();
      await second.close();
    } finally {
      await browser.close();
    }
  });
});
