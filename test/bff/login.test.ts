import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { agentFor, sessionCookie, signIn, postForm } from '../support/browserless.js';
import { startBff } from '../support/bff.js';
import type { TestBff } from '../support/bff.js';

describe('sign-in form (confidential client, SECRET_HASH computed by the server)', () => {
  let bff: TestBff;
  before(async () => {
    bff = await startBff();
  });
  after(() => bff.close());

  it('shows a labelled form that needs no JavaScript', async () => {
    const res = await agentFor(bff.url).get('/login');
    assert.equal(res.status, 200);
    assert.match(res.text, /<label for="username">/);
    assert.match(res.text, /<input id="password" name="password" type="password"/);
    assert.match(res.text, /<form method="post" action="\/login"/);
    assert.doesNotMatch(res.text, /<script(?! src)/, 'no inline script');
    assert.doesNotMatch(res.text, /style=/, 'no inline style');
    assert.equal(res.headers['cache-control'], 'no-store');
  });

  it('signs in: 303 to /, an HttpOnly SameSite=Lax cookie, and the home page shows who you are', async () => {
    const agent = agentFor(bff.url);
    const res = await postForm(agent, '/login', { username: 'bob', password: 'Bob-Passw0rd!' });
    assert.equal(res.status, 303);
    assert.equal(res.headers['location'], '/');
    const cookie = sessionCookie(res);
    assert.ok(cookie, 'a session cookie');
    assert.match(cookie, /; HttpOnly/);
    assert.match(cookie, /; SameSite=Lax/);
    assert.match(cookie, /; Path=\//);
    assert.doesNotMatch(cookie, /; Secure/, 'plain http in tests');
    const home = await agent.get('/');
    assert.equal(home.status, 200);
    assert.match(home.text, /Signed in as bob/);
    assert.match(home.text, /bob@example\.com/);
    assert.match(home.text, /admins, readers/);
    assert.match(home.text, /Session ends/);
    assert.equal(home.headers['cache-control'], 'no-store');
  });

  it('answers a wrong password with 401, the message, the username kept and the password not', async () => {
    const res = await postForm(agentFor(bff.url), '/login', { username: 'bob', password: 'Wrong-passw0rd!' });
    assert.equal(res.status, 401);
    assert.match(res.text, /Incorrect username or password\./);
    assert.match(res.text, /value="bob"/);
    assert.doesNotMatch(res.text, /Wrong-passw0rd!/);
    assert.equal(sessionCookie(res), undefined, 'no session for a failed sign-in');
  });

  it('answers an unknown user exactly as a wrong password', async () => {
    const wrong = await postForm(agentFor(bff.url), '/login', { username: 'bob', password: 'Wrong-passw0rd!' });
    const unknown = await postForm(agentFor(bff.url), '/login', { username: 'nobody', password: 'Wrong-passw0rd!' });
    assert.equal(unknown.status, wrong.status);
    const normalise = (html: string) => html.replace(/name="_csrf" value="[^"]+"/, 'name="_csrf" value=""');
    assert.equal(normalise(unknown.text.replace('value="nobody"', 'value="bob"')), normalise(wrong.text));
  });

  it('marks the field that is missing as invalid, described by the page error', async () => {
    const res = await postForm(agentFor(bff.url), '/login', { username: 'bob', password: '' });
    assert.equal(res.status, 400);
    assert.match(res.text, /<input id="password" [^>]*aria-invalid="true" aria-describedby="login-error"/);
    assert.doesNotMatch(res.text, /<input id="username" [^>]*aria-invalid/);
  });

  it('asks for both fields and limits their length', async () => {
    const empty = await postForm(agentFor(bff.url), '/login', { username: '', password: '' });
    assert.equal(empty.status, 400);
    assert.match(empty.text, /Enter your username and password\./);
    const long = await postForm(agentFor(bff.url), '/login', { username: 'x'.repeat(500), password: 'p' });
    assert.equal(long.status, 400);
    assert.match(long.text, /at most 128 characters/);
    const longPassword = await postForm(agentFor(bff.url), '/login', { username: 'bob', password: 'p'.repeat(500) });
    assert.equal(longPassword.status, 400);
    assert.match(longPassword.text, /passwords at most \d+/);
  });

  it('refuses a form body over 10 KB with 413 and a page, not a stack trace', async () => {
    const res = await postForm(agentFor(bff.url), '/login', { username: 'bob', password: 'x'.repeat(20_000) });
    assert.equal(res.status, 413);
    assert.match(res.text, /too large/i);
    assert.doesNotMatch(res.text, /at \w+ \(|node_modules/);
  });

  it('returns to a same-site returnTo, and to / for anything else', async () => {
    const cases: [string, string][] = [
      ['/auth/me', '/auth/me'],
      ['/some/page?x=1', '/some/page?x=1'],
      ['//evil.example', '/'],
      ['/\\evil.example', '/'],
      ['https://evil.example/', '/'],
      ['javascript:alert(1)', '/'],
      ['/%2F%2Fevil.example', '/'],
      ['%2F%2Fevil.example', '/'],
      ['/.//evil.example/phish', '/'],
      ['/a/..//evil.example', '/'],
    ];
    for (const [returnTo, expected] of cases) {
      const res = await postForm(agentFor(bff.url), '/login', {
        username: 'alice',
        password: 'Alice-Passw0rd!',
        returnTo,
      });
      assert.equal(res.status, 303, returnTo);
      assert.equal(res.headers['location'], expected, returnTo);
    }
  });

  it('sends a signed-in user away from the login page', async () => {
    const agent = agentFor(bff.url);
    await signIn(agent, 'alice', 'Alice-Passw0rd!');
    const res = await agent.get('/login?returnTo=/auth/me');
    assert.equal(res.status, 303);
    assert.equal(res.headers['location'], '/auth/me');
  });

  it('sends a signed-in user to this site even when dot segments would collapse returnTo into //evil', async () => {
    const agent = agentFor(bff.url);
    await signIn(agent, 'alice', 'Alice-Passw0rd!');
    for (const returnTo of [
      '/.//evil.example/phish',
      '/..//evil.example',
      '/%2e//evil.example',
      '/a/..//evil.example',
      '/%2e%2e//evil.example',
      '/a/%2e%2e//evil.example',
      '/./%2f%2fevil.example',
      '/%252e//evil.example',
    ]) {
      const res = await agent.get(`/login?returnTo=${encodeURIComponent(returnTo)}`);
      assert.equal(res.status, 303, returnTo);
      const location = res.headers['location'] ?? '';
      assert.ok(location.startsWith('/') && !location.startsWith('//'), `${returnTo} → ${location}`);
      assert.equal(new URL(location, bff.url).origin, bff.url, `${returnTo} → ${location}`);
    }
    // The browser's own address bar form, unencoded, as in the report.
    const res = await agent.get('/login?returnTo=/.//evil.example/phish');
    assert.equal(res.status, 303);
    assert.equal(res.headers['location'], '/');
  });

  it('sends SECRET_HASH: the emulator, which refuses calls without it, saw exactly our sign-ins succeed', async () => {
    const before = bff.stack.state.calls.get('InitiateAuth') ?? 0;
    const agent = agentFor(bff.url);
    await signIn(agent, 'alice', 'Alice-Passw0rd!');
    assert.equal(bff.stack.state.calls.get('InitiateAuth'), before + 1);
  });
});

describe('sign-in with a public client (no secret, no SECRET_HASH)', () => {
  let bff: TestBff;
  before(async () => {
    bff = await startBff({ client: 'public' });
  });
  after(() => bff.close());

  it('signs in and shows the user', async () => {
    assert.equal(bff.config.cognito.clientSecret, undefined);
    const agent = agentFor(bff.url);
    await signIn(agent, 'bob', 'Bob-Passw0rd!');
    const me = await agent.get('/auth/me');
    assert.equal(me.status, 200);
    assert.equal(me.body.username, 'bob');
  });
});
