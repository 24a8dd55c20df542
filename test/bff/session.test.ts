import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { agentFor, sessionCookie, signIn, postForm } from '../support/browserless.js';
import { startBff } from '../support/bff.js';
import type { TestBff } from '../support/bff.js';

describe('session endpoint, sign-out and headers', () => {
  let bff: TestBff;
  before(async () => {
    bff = await startBff();
  });
  after(() => bff.close());

  it('GET /auth/me: 401 {"error":"unauthenticated"} when anonymous, never cached', async () => {
    const res = await agentFor(bff.url).get('/auth/me');
    assert.equal(res.status, 401);
    assert.deepEqual(res.body, { error: 'unauthenticated' });
    assert.equal(res.headers['cache-control'], 'no-store');
  });

  it('GET /auth/me: who is signed in and until when, and no token', async () => {
    const agent = agentFor(bff.url);
    await signIn(agent, 'bob', 'Bob-Passw0rd!');
    const res = await agent.get('/auth/me');
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body).sort(), [
      'email',
      'expiresAt',
      'groups',
      'sessionExpiresIn',
      'sub',
      'username',
    ]);
    assert.equal(res.body.username, 'bob');
    assert.equal(res.body.email, 'bob@example.com');
    assert.deepEqual(res.body.groups, ['admins', 'readers']);
    assert.match(res.body.sub, /^[0-9a-f-]{36}$/);
    const expiresAt = Date.parse(res.body.expiresAt);
    assert.ok(expiresAt > Date.now() && expiresAt <= Date.now() + 8 * 3600_000 + 1000);
    assert.equal(res.headers['cache-control'], 'no-store');
    const [session] = await bff.sessions();
    assert.ok(session);
    for (const token of Object.values(session.tokens)) assert.ok(!res.text.includes(String(token)));
  });

  it('the cookie lifetime ends no later than the configured session maximum', async () => {
    const res = await postForm(agentFor(bff.url), '/login', { username: 'bob', password: 'Bob-Passw0rd!' });
    const cookie = sessionCookie(res) ?? '';
    const expires = Date.parse(/Expires=([^;]+)/.exec(cookie)?.[1] ?? '');
    assert.ok(expires <= Date.now() + bff.config.session.maxAgeSeconds * 1000 + 1000);
    assert.ok(bff.config.session.maxAgeSeconds <= bff.config.cognito.refreshTokenValiditySeconds);
  });

  it('POST /logout revokes at Cognito, destroys the session, clears the cookie; the old cookie gets nothing', async () => {
    const agent = agentFor(bff.url);
    const login = await postForm(agent, '/login', { username: 'alice', password: 'Alice-Passw0rd!' });
    const oldCookie = (sessionCookie(login) ?? '').split(';')[0] ?? '';
    const [session] = (await bff.sessions()).filter((s) => s.user.username === 'alice');
    assert.ok(session);
    const out = await postForm(agent, '/logout', {});
    assert.equal(out.status, 200);
    assert.match(out.text, /You have signed out/);
    const cleared = sessionCookie(out) ?? '';
    assert.match(cleared, /Expires=Thu, 01 Jan 1970/);
    const replay = await agentFor(bff.url).get('/auth/me').set('Cookie', oldCookie);
    assert.equal(replay.status, 401);
    const apiReplay = await agentFor(bff.url).post('/api/').set('Cookie', oldCookie).set('X-CSRF', '1');
    assert.equal(apiReplay.status, 401);
    const grant = bff.stack.state.refreshGrants.get(session.tokens.refreshToken);
    assert.equal(grant?.revoked, true, 'the refresh token is revoked at Cognito');
    const left = await new Promise((resolve, reject) =>
      bff.deps.backend.store.get(session.sid, (err, s) => (err ? reject(err) : resolve(s))),
    );
    assert.equal(left ?? undefined, undefined, 'the server-side session is gone');
    assert.equal(await bff.deps.tokens.peek(session.sid), undefined, 'its tokens are gone');
  });

  it('POST /logout without a session still answers "You have signed out"', async () => {
    const res = await postForm(agentFor(bff.url), '/logout', {});
    assert.equal(res.status, 200);
    assert.match(res.text, /You have signed out/);
  });

  it('the home page offers sign-in to anonymous visitors', async () => {
    const res = await agentFor(bff.url).get('/');
    assert.equal(res.status, 200);
    assert.match(res.text, /<a class="button" href="\/login">Sign in<\/a>/);
  });

  it('sends a strict CSP, no framing, no X-Powered-By, and a JSON 404 for unknown API-like paths', async () => {
    const res = await agentFor(bff.url).get('/login');
    const csp = res.headers['content-security-policy'] ?? '';
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.equal(res.headers['x-powered-by'], undefined);
    assert.equal(res.headers['referrer-policy'], 'same-origin');
    assert.equal(res.headers['strict-transport-security'], undefined, 'no HSTS over plain http');
    const missing = await agentFor(bff.url).get('/auth/nothing');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error, 'not_found');
    const page = await agentFor(bff.url).get('/nothing').set('Accept', 'text/html');
    assert.equal(page.status, 404);
    assert.match(page.text, /Page not found/);
  });

  it('survives malformed cookies and URLs', async () => {
    const cases = [
      agentFor(bff.url).get('/').set('Cookie', 'bff.sid=%E0%A4%A; other=\u00ff'),
      agentFor(bff.url).get('/auth/me').set('Cookie', 'bff.sid=s%3Aforged.signature'),
      agentFor(bff.url).get('/%E0%A4%A'),
      agentFor(bff.url).get('/login').set('Cookie', 'bff.csrf=j:{"a":1}'),
      agentFor(bff.url).get('/login').set('Cookie', 'bff.csrf=%E0%A4%A; bff.csrf=x'),
      agentFor(bff.url).post('/login').set('Cookie', 'bff.csrf=j:[1]').type('form').send({ _csrf: '[1]' }),
    ];
    for (const res of await Promise.all(cases)) assert.ok(res.status < 500, `got ${res.status}`);
  });
});
