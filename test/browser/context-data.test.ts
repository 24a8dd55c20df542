import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startBff } from '../support/bff.js';
import type { TestBff } from '../support/bff.js';
import { launchBrowser } from '../support/browser.js';
import { fakeHttp } from '../support/faults.js';
import { contextOf, startTestStack } from '../support/stack.js';
import type { TestStack } from '../support/stack.js';

const SCRIPT_PATH = '/amazon-cognito-advanced-security-data.min.js';
/** Stands in for Amazon's script: getData answers a recognisable base64 string naming what it was asked for. */
const FAKE_SCRIPT = `window.AmazonCognitoAdvancedSecurityData = {
  getData: function (username, poolId, clientId) { return btoa('fake:' + username + ':' + poolId + ':' + clientId); },
};`;

const scriptSrcOf = (csp: string | undefined) =>
  /(?:^|;)\s*script-src ([^;]*)/
    .exec(csp ?? '')?.[1]
    ?.trim()
    .split(/\s+/) ?? [];

describe('Amazon’s context-data script on the sign-in page (COGNITO_ADVANCED_SECURITY_SCRIPT)', () => {
  let stack: TestStack;
  let script: Awaited<ReturnType<typeof fakeHttp>>;
  let withScript: TestBff;
  let without: TestBff;
  before(async () => {
    stack = await startTestStack();
    script = await fakeHttp((req, res) => {
      if (req.url !== SCRIPT_PATH) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(FAKE_SCRIPT);
    });
    withScript = await startBff({ stack, env: { COGNITO_ADVANCED_SECURITY_SCRIPT: `${script.url}${SCRIPT_PATH}` } });
    without = await startBff({ stack });
  });
  after(async () => {
    await withScript.close();
    await without.close();
    await script.close();
    await stack.close();
  });

  it('signing in through the real login page sends getData’s EncodedData to Cognito; the CSP names exactly that script', async (t) => {
    const browser = await launchBrowser(t);
    if (!browser) return;
    try {
      const page = await browser.newPage();
      const loaded = await page.goto(`${withScript.url}/login`);
      const scriptUrl = `${script.url}${SCRIPT_PATH}`;
      assert.deepEqual(scriptSrcOf(loaded?.headers()['content-security-policy']), ["'self'", scriptUrl]);
      assert.equal(await page.locator(`script[src="${scriptUrl}"]`).count(), 1);

      await page.getByLabel('Username or email').fill('alice');
      await page.getByLabel('Password').fill('Alice-Passw0rd!');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.waitForURL(`${withScript.url}/`);

      const { userPoolId, clientId } = withScript.config.cognito;
      const context = await contextOf(stack, 'alice');
      assert.equal(context?.operation, 'InitiateAuth');
      assert.equal(
        Buffer.from(context?.encodedData ?? '', 'base64').toString('utf8'),
        `fake:alice:${userPoolId}:${clientId}`,
      );
    } finally {
      await browser.close();
    }
  });

  it('without the setting the page loads no such script, the CSP is unchanged, and sign-in sends no EncodedData', async (t) => {
    const browser = await launchBrowser(t);
    if (!browser) return;
    try {
      const page = await browser.newPage();
      const loaded = await page.goto(`${without.url}/login`);
      assert.deepEqual(scriptSrcOf(loaded?.headers()['content-security-policy']), ["'self'"]);
      assert.equal(await page.locator('script').count(), 0);

      await page.getByLabel('Username or email').fill('bob');
      await page.getByLabel('Password').fill('Bob-Passw0rd!');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.waitForURL(`${without.url}/`);
      const context = await contextOf(stack, 'bob');
      assert.equal(context?.ipAddress, '127.0.0.1');
      assert.equal(context?.encodedData, undefined);
    } finally {
      await browser.close();
    }
  });
});
