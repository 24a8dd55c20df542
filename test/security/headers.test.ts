import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { agentFor, signIn } from '../support/browserless.js';
import { startBff } from '../support/bff.js';
import type { TestBff } from '../support/bff.js';

describe('security headers', () => {
  let bff: TestBff;
  let https: TestBff;
  before(async () => {
    bff = await startBff();
    https = await startBff({ env: { BASE_URL: 'https://app.example.com', TRUST_PROXY: 'loopback' } });
  });
  after(async () => {
    await bff?.close();
    await https?.close();
  });

  it('every page: a CSP with no unsafe-inline, no framing, a referrer policy, no X-Powered-By, nosniff', async () => {
    const agent = agentFor(bff.url);
    for (const path of ['/', '/login', '/nothing-here', '/auth/me', '/login/new-password']) {
      const res = await agent.get(path);
      const csp = res.headers['content-security-policy'] ?? '';
      assert.match(csp, /default-src 'self'/, path);
      assert.match(csp, /script-src 'self'(;|$)/, path);
      assert.match(csp, /style-src 'self'(;|$)/, path);
      assert.match(csp, /frame-ancestors 'none'/, path);
      assert.match(csp, /object-src 'none'/, path);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, path);
      assert.equal(res.headers['x-frame-options'], 'SAMEORIGIN', path);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', path);
      assert.equal(res.headers['referrer-policy'], 'same-origin', path);
      assert.equal(res.headers['x-powered-by'], undefined, path);
    }
  });

  it('Cache-Control: no-store on every page and endpoint that shows user data or a form', async () => {
    const agent = agentFor(bff.url);
    await signIn(agent, 'bob', 'Bob-Passw0rd!');
    for (const path of ['/', '/auth/me', '/login?returnTo=/x']) {
      const res = await agent.get(path);
      assert.equal(res.headers['cache-control'], 'no-store', path);
    }
    const anonymous = agentFor(bff.url);
    for (const path of ['/', '/login', '/nothing-here', '/auth/me']) {
      assert.equal((await anonymous.get(path)).headers['cache-control'], 'no-store', path);
    }
    const api = await agent.post('/api/');
    assert.equal(api.headers['cache-control'], 'no-store');
  });

  it('with an https BASE_URL: HSTS, and the form and session cookies are Secure and __Host- prefixed', async () => {
    const page = await agentFor(https.url).get('/login').set('X-Forwarded-Proto', 'https');
    assert.match(page.headers['strict-transport-security'] ?? '', /max-age=31536000; includeSubDomains/);
    const cookies = (res: { headers: Record<string, unknown> }) =>
      ([] as string[]).concat((res.headers['set-cookie'] as string[] | undefined) ?? []);
    const formCookie = cookies(page).find((c) => c.startsWith('__Host-bff.csrf='));
    assert.ok(formCookie, 'the login form’s anti-forgery cookie');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    // The test client keeps Secure cookies off plain http, so the cookie goes back by hand, as a browser would.
    const signedIn = await agentFor(https.url)
      .post('/login')
      .set('X-Forwarded-Proto', 'https')
      .set('Cookie', formCookie.split(';')[0] ?? '')
      .type('form')
      .send({ _csrf: token, username: 'bob', password: 'Bob-Passw0rd!' });
    assert.equal(signedIn.status, 303);
    const sessionCookie = cookies(signedIn).find((c) => c.startsWith('__Host-bff.sid='));
    assert.ok(sessionCookie, 'the session cookie');
    for (const cookie of [formCookie, sessionCookie]) {
      assert.match(cookie, /; Secure/);
      assert.match(cookie, /; HttpOnly/);
      assert.match(cookie, /; SameSite=Lax/);
      assert.match(cookie, /; Path=\//);
      assert.doesNotMatch(cookie, /Domain=/i, '__Host- cookies are host-only');
    }
    assert.equal((await agentFor(bff.url).get('/login')).headers['strict-transport-security'], undefined);
  });
});
