import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { agentFor, cookieHeader, formToken, postForm, signIn } from '../support/browserless.js';
import { startBff } from '../support/bff.js';
import type { TestBff } from '../support/bff.js';

describe('anti-forgery', () => {
  let bff: TestBff;
  before(async () => {
    bff = await startBff();
  });
  after(() => bff.close());

  it('refuses a sign-in form without the token, with a wrong one, or with another session’s, with 403 "form expired"', async () => {
    const agent = agentFor(bff.url);
    const token = await formToken(agent, '/login');
    assert.ok(token && token.length >= 32, 'the form carries a token');
    const other = await formToken(agentFor(bff.url), '/login');
    const attempts = [{}, { _csrf: 'guessed-token-value' }, { _csrf: other ?? '' }];
    for (const extra of attempts) {
      const res = await agent
        .post('/login')
        .type('form')
        .send({ username: 'bob', password: 'Bob-Passw0rd!', ...extra });
      assert.equal(res.status, 403, JSON.stringify(extra));
      assert.match(res.text, /This form has expired or did not come from this site/);
      assert.equal((await agent.get('/auth/me')).status, 401, 'not signed in');
    }
    const ok = await agent
      .post('/login')
      .type('form')
      .send({ username: 'bob', password: 'Bob-Passw0rd!', _csrf: token });
    assert.equal(ok.status, 303);
  });

  it('refuses a sign-out without the token, so another site cannot sign the user out', async () => {
    const agent = agentFor(bff.url);
    await signIn(agent, 'alice', 'Alice-Passw0rd!');
    const forged = await agent.post('/logout').type('form').send({});
    assert.equal(forged.status, 403);
    assert.equal((await agent.get('/auth/me')).status, 200, 'still signed in');
    assert.equal((await postForm(agent, '/logout', {})).status, 200);
  });

  it('a token is bound to its session: another browser’s token, planted with its own cookie, is refused', async () => {
    const victim = agentFor(bff.url);
    const preSignIn = await formToken(victim, '/login');
    const preSignInCookie = cookieHeader(victim, 'bff.csrf');
    await signIn(victim, 'alice', 'Alice-Passw0rd!');
    const attacker = agentFor(bff.url);
    await signIn(attacker, 'bob', 'Bob-Passw0rd!');
    const attackerToken = await formToken(attacker, '/logout');
    const anonymous = agentFor(bff.url);
    const anonymousToken = await formToken(anonymous, '/login');
    const pairs = [
      { cookie: cookieHeader(attacker, 'bff.csrf'), token: attackerToken },
      { cookie: cookieHeader(anonymous, 'bff.csrf'), token: anonymousToken },
      { cookie: preSignInCookie, token: preSignIn },
    ];
    for (const { cookie, token } of pairs) {
      const forged = await agentFor(bff.url)
        .post('/logout')
        .set('Cookie', `${cookieHeader(victim)}; ${cookie}`)
        .type('form')
        .send({ _csrf: token ?? '' });
      assert.equal(forged.status, 403, cookie);
      assert.match(forged.text, /This form has expired or did not come from this site/);
    }
    assert.equal((await victim.get('/auth/me')).status, 200, 'still signed in');
    assert.equal((await postForm(victim, '/logout', {})).status, 200, 'her own form works');
  });

  it('refuses unsafe requests another site sends, by Origin or Sec-Fetch-Site, even with a valid token', async () => {
    const agent = agentFor(bff.url);
    const token = await formToken(agent, '/login');
    const cases: Record<string, string>[] = [
      { Origin: 'https://evil.example' },
      { Origin: 'null' },
      { Origin: bff.url.replace('127.0.0.1', 'localhost') },
      { 'Sec-Fetch-Site': 'cross-site' },
      { 'Sec-Fetch-Site': 'same-site' },
      { 'Sec-Fetch-Site': 'cross-site', Origin: bff.url },
    ];
    for (const headers of cases) {
      const res = await agent
        .post('/login')
        .set(headers)
        .type('form')
        .send({ username: 'bob', password: 'Bob-Passw0rd!', _csrf: token ?? '' });
      assert.equal(res.status, 403, JSON.stringify(headers));
      assert.match(res.text, /came from another site/);
    }
    const same = await agent
      .post('/login')
      .set({ Origin: bff.url, 'Sec-Fetch-Site': 'same-origin' })
      .type('form')
      .send({ username: 'bob', password: 'Bob-Passw0rd!', _csrf: token ?? '' });
    assert.equal(same.status, 303);
  });

  it('the API proxy needs X-CSRF: 1 and refuses a cross-site Origin even with it', async () => {
    const agent = agentFor(bff.url);
    await signIn(agent, 'bob', 'Bob-Passw0rd!');
    assert.equal((await agent.post('/api/').send('x')).status, 401);
    const cross = await agent.post('/api/').set('X-CSRF', '1').set('Origin', 'https://evil.example');
    assert.equal(cross.status, 403);
    assert.equal(cross.body.error, 'cross_site_request');
    const fetchMeta = await agent.delete('/api/echo').set('X-CSRF', '1').set('Sec-Fetch-Site', 'cross-site');
    assert.equal(fetchMeta.status, 403);
    const ours = await agent
      .post('/api/')
      .set('X-CSRF', '1')
      .set('Origin', bff.url)
      .set('Sec-Fetch-Site', 'same-origin');
    assert.equal(ours.status, 200);
  });

  it('believes X-Forwarded-Proto for the Origin check only from a trusted proxy', async () => {
    const host = new URL(bff.url).host;
    const agent = agentFor(bff.url);
    await signIn(agent, 'bob', 'Bob-Passw0rd!');
    const behindTls = (path: string) =>
      agent.post(path).set('X-CSRF', '1').set('Origin', `https://${host}`).set('X-Forwarded-Proto', 'https');
    const untrusted = await behindTls('/api/');
    assert.equal(untrusted.status, 403, 'TRUST_PROXY is off: the header is ignored and https://host is not us');
    const trusting = await startBff({ stack: bff.stack, env: { TRUST_PROXY: 'loopback' } });
    try {
      const viaProxy = agentFor(trusting.url);
      await signIn(viaProxy, 'bob', 'Bob-Passw0rd!');
      const trustedHost = new URL(trusting.url).host;
      const res = await viaProxy
        .post('/api/')
        .set('X-CSRF', '1')
        .set('Origin', `https://${trustedHost}`)
        .set('X-Forwarded-Proto', 'https');
      assert.equal(res.status, 200);
      const spoofed = await viaProxy
        .post('/api/')
        .set('X-CSRF', '1')
        .set('Origin', `http://${trustedHost}`)
        .set('X-Forwarded-Proto', 'https');
      assert.equal(spoofed.status, 403, 'the browser was on https, so an http Origin is another site');
    } finally {
      await trusting.close();
    }
  });
});
