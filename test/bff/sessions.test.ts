import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { SessionData } from 'express-session';
import type { Agent } from 'supertest';
import { agentFor, lastMessage, pageMessages, postForm, sessionIdOf, signIn } from '../support/browserless.js';
import { startBff } from '../support/bff.js';
import type { TestBff } from '../support/bff.js';
import { confirmedUser, hashFor } from '../support/stack.js';

const PASSWORD = 'Sessions-Passw0rd!';
const CHROME_LINUX =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const FIREFOX_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:133.0) Gecko/20100101 Firefox/133.0';

interface Listed {
  id: string;
  current: boolean;
  browser: string;
  address: string;
  startedAt: string;
  lastUsedAt: string;
}

describe('sessions a user can see and end', () => {
  let bff: TestBff;
  let users = 0;
  before(async () => {
    bff = await startBff();
  });
  after(() => bff.close());

  /** A confirmed user of their own with a verified email, so tests never share sessions or passwords. */
  async function newUser(): Promise<{ username: string; email: string }> {
    const username = `sessions${++users}`;
    const email = `${username}@example.com`;
    await confirmedUser(bff.stack, username, PASSWORD, { email, email_verified: 'true' });
    return { username, email };
  }

  /** An agent signed in as `username` with a browser's User-Agent. */
  async function signedIn(username: string, userAgent = CHROME_LINUX): Promise<Agent> {
    const agent = agentFor(bff.url).set('User-Agent', userAgent);
    await signIn(agent, username, PASSWORD);
    return agent;
  }

  const listOf = async (agent: Agent): Promise<Listed[]> => {
    const res = await agent.get('/auth/sessions');
    assert.equal(res.status, 200);
    assert.equal(res.headers['cache-control'], 'no-store');
    return (res.body as { sessions: Listed[] }).sessions;
  };

  /** Whether Cognito still honours a refresh token (REFRESH_TOKEN_AUTH on the BFF's confidential client). */
  async function refreshWorks(username: string, refreshToken: string): Promise<boolean> {
    const client = bff.stack.secretClient;
    try {
      await bff.stack.cognito.send(
        new InitiateAuthCommand({
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          ClientId: client.ClientId,
          AuthParameters: {
            REFRESH_TOKEN: refreshToken,
            SECRET_HASH: hashFor(username, client.ClientId, client.ClientSecret ?? ''),
          },
        }),
      );
      return true;
    } catch (err) {
      assert.equal((err as Error).name, 'NotAuthorizedException');
      return false;
    }
  }

  const readRecord = (sid: string) =>
    new Promise<SessionData>((resolve, reject) =>
      bff.deps.backend.store.get(sid, (err, s) => (err || !s ? reject(err) : resolve(s))),
    );
  const writeRecord = (sid: string, record: SessionData) =>
    new Promise<void>((resolve, reject) =>
      bff.deps.backend.store.set(sid, record, (err) => (err ? reject(err) : resolve())),
    );

  const refreshTokenOf = async (agent: Agent) => {
    const stored = await bff.deps.tokens.peek(sessionIdOf(agent));
    assert.ok(stored, 'the session has tokens');
    return stored.tokens.refreshToken;
  };

  it('lists both sessions of a user, marks the current one, and names them by handles, never by session ids', async () => {
    const { username } = await newUser();
    const one = await signedIn(username, CHROME_LINUX);
    const two = await signedIn(username, FIREFOX_MAC);
    const list = await listOf(one);
    assert.equal(list.length, 2);
    const [current, other] = list;
    assert.ok(current && other);
    assert.deepEqual(
      { current: current.current, browser: current.browser, address: current.address },
      { current: true, browser: 'Chrome on Linux', address: '127.0.0.1' },
    );
    assert.deepEqual(
      { current: other.current, browser: other.browser },
      { current: false, browser: 'Firefox on macOS' },
    );
    for (const s of list) {
      assert.match(s.id, /^[A-Za-z0-9_-]{22}$/);
      assert.ok(Date.parse(s.startedAt) <= Date.parse(s.lastUsedAt));
      assert.ok(Date.now() - Date.parse(s.startedAt) < 60_000);
    }
    const sids = [sessionIdOf(one), sessionIdOf(two)];
    const res = await one.get('/auth/sessions');
    const page = await one.get('/account/sessions');
    for (const sid of sids) {
      assert.ok(!res.text.includes(sid), 'no session id in the JSON');
      assert.ok(!page.text.includes(sid), 'no session id in the page');
      assert.ok(!list.some((s) => s.id === sid));
    }
    // The other browser sees the same two, itself as current.
    const seenByTwo = await listOf(two);
    assert.deepEqual(
      seenByTwo.map((s) => [s.id, s.current]).sort(),
      [
        [current.id, false],
        [other.id, true],
      ].sort(),
    );
    // The page shows them too: this browser marked, a button for the other.
    assert.equal(page.status, 200);
    assert.match(page.text, /Chrome on Linux<\/span> <strong class="session-current">\(this browser\)<\/strong>/);
    assert.match(page.text, /Firefox on macOS/);
    assert.match(page.text, new RegExp(`name="id" value="${other.id}"`));
    assert.doesNotMatch(page.text, new RegExp(`name="id" value="${current.id}"`));
  });

  it('DELETE ends the other session at once: its /auth/me and /api calls are 401 and its refresh token is revoked', async () => {
    const { username } = await newUser();
    const one = await signedIn(username);
    const two = await signedIn(username, FIREFOX_MAC);
    const twoRefresh = await refreshTokenOf(two);
    const oneRefresh = await refreshTokenOf(one);
    assert.equal((await two.get('/auth/me')).status, 200);
    const other = (await listOf(one)).find((s) => !s.current);
    assert.ok(other);
    const res = await one.delete(`/auth/sessions/${other.id}`).set('X-CSRF', '1');
    assert.equal(res.status, 204);
    assert.equal((await two.get('/auth/me')).status, 401);
    assert.equal((await two.post('/api/').set('X-CSRF', '1')).status, 401);
    assert.equal(await refreshWorks(username, twoRefresh), false, 'the ended session cannot refresh at Cognito');
    assert.equal(await refreshWorks(username, oneRefresh), true, 'this one still can');
    assert.equal((await one.get('/auth/me')).status, 200);
    assert.deepEqual(
      (await listOf(one)).map((s) => s.current),
      [true],
    );
    // Already over: 404.
    assert.equal((await one.delete(`/auth/sessions/${other.id}`).set('X-CSRF', '1')).status, 404);
  });

  it("DELETE needs X-CSRF and a same-site Origin; another user's or an unknown handle is 404; anonymous is 401", async () => {
    const { username } = await newUser();
    const stranger = await newUser();
    const one = await signedIn(username);
    await signedIn(username, FIREFOX_MAC);
    const theirs = await signedIn(stranger.username);
    const other = (await listOf(one)).find((s) => !s.current);
    assert.ok(other);

    const noHeader = await one.delete(`/auth/sessions/${other.id}`);
    assert.equal(noHeader.status, 401);
    assert.equal(noHeader.body.error, 'csrf_header_missing');
    const crossSite = await one
      .delete(`/auth/sessions/${other.id}`)
      .set('X-CSRF', '1')
      .set('Origin', 'https://evil.example');
    assert.equal(crossSite.status, 403);
    assert.equal(crossSite.body.error, 'cross_site_request');
    const byStranger = await theirs.delete(`/auth/sessions/${other.id}`).set('X-CSRF', '1');
    assert.equal(byStranger.status, 404);
    assert.equal(byStranger.body.error, 'not_found');
    for (const id of ['A'.repeat(22), 'not-a-handle', encodeURIComponent(sessionIdOf(one))]) {
      const unknown = await one.delete(`/auth/sessions/${id}`).set('X-CSRF', '1');
      assert.equal(unknown.status, 404, id);
    }
    assert.equal((await listOf(one)).length, 2, 'nothing was ended');

    const anonymous = agentFor(bff.url);
    const list = await anonymous.get('/auth/sessions');
    assert.equal(list.status, 401);
    assert.deepEqual(list.body, { error: 'unauthenticated' });
    assert.equal((await anonymous.delete(`/auth/sessions/${other.id}`).set('X-CSRF', '1')).status, 401);
  });

  it('DELETE of the current session signs this browser out and clears its cookie', async () => {
    const { username } = await newUser();
    const one = await signedIn(username);
    const two = await signedIn(username, FIREFOX_MAC);
    const current = (await listOf(one)).find((s) => s.current);
    assert.ok(current);
    const res = await one.delete(`/auth/sessions/${current.id}`).set('X-CSRF', '1');
    assert.equal(res.status, 204);
    assert.match(String(res.headers['set-cookie']), /bff\.sid=;.*Expires=Thu, 01 Jan 1970/);
    assert.equal((await one.get('/auth/me')).status, 401);
    assert.equal((await two.get('/auth/me')).status, 200, 'the other session goes on');
  });

  it('/auth/me says how long the session has left if unused: the idle timeout, or less near the absolute end', async () => {
    const { username } = await newUser();
    const agent = await signedIn(username);
    const idle = bff.config.session.idleTimeoutSeconds;
    const me = await agent.get('/auth/me');
    assert.equal(me.status, 200);
    assert.ok(Number.isInteger(me.body.sessionExpiresIn));
    assert.equal(me.body.sessionExpiresIn, Math.min(idle, bff.config.session.maxAgeSeconds));
    // Near the absolute end, what is left of it.
    const sid = sessionIdOf(agent);
    const record = await readRecord(sid);
    record.auth.expiresAt = bff.clock.now() + 90_500;
    await writeRecord(sid, record);
    const near = await agent.get('/auth/me');
    assert.ok(near.body.sessionExpiresIn >= 89 && near.body.sessionExpiresIn <= 90, `${near.body.sessionExpiresIn}`);
  });

  it('a session signed in before sessions were listed joins the list on its next page, and can be ended', async () => {
    const { username } = await newUser();
    const one = await signedIn(username);
    const old = await signedIn(username, FIREFOX_MAC);
    // As a session written by the previous version: no owner, handle or device, and not in the user's list.
    const sid = sessionIdOf(old);
    const record = await readRecord(sid);
    const owner = record.auth.owner ?? '';
    delete record.auth.owner;
    delete record.auth.handle;
    delete record.auth.sealedDevice;
    await writeRecord(sid, record);
    await bff.deps.backend.index.remove(owner, sid);
    assert.equal((await listOf(one)).length, 1, 'not listed yet');

    assert.equal((await old.get('/')).status, 200);
    const listed = await listOf(one);
    const other = listed.find((s) => !s.current);
    assert.ok(other, 'listed once it was used');
    assert.equal(other.browser, 'Firefox on macOS');
    assert.equal((await one.delete(`/auth/sessions/${other.id}`).set('X-CSRF', '1')).status, 204);
    assert.equal((await old.get('/auth/me')).status, 401);
  });

  it('sign-out ends only this session: the other one goes on and its refresh token still works', async () => {
    const { username } = await newUser();
    const one = await signedIn(username);
    const two = await signedIn(username, FIREFOX_MAC);
    const oneRefresh = await refreshTokenOf(one);
    const twoRefresh = await refreshTokenOf(two);
    assert.equal((await postForm(one, '/logout', {})).status, 200);
    assert.equal((await one.get('/auth/me')).status, 401);
    assert.equal(await refreshWorks(username, oneRefresh), false, 'this session is revoked at Cognito');
    assert.equal(await refreshWorks(username, twoRefresh), true, 'the other is not');
    assert.equal((await two.get('/auth/me')).status, 200);
    assert.equal((await two.post('/api/').set('X-CSRF', '1')).status, 200);
    assert.deepEqual(
      (await listOf(two)).map((s) => s.current),
      [true],
    );
  });

  it('the sessions page ends another session, all others, or every session with sign-out everywhere', async () => {
    const { username } = await newUser();
    const one = await signedIn(username);
    const two = await signedIn(username, FIREFOX_MAC);
    const three = await signedIn(username, FIREFOX_MAC);
    const four = await signedIn(username, FIREFOX_MAC);
    const twoHandle = (await listOf(two)).find((s) => s.current)?.id ?? '';
    const ended = await postForm(one, '/account/sessions/end', { id: twoHandle });
    assert.equal(ended.status, 303);
    assert.equal(ended.headers['location'], '/account/sessions');
    assert.equal(pageMessages((await one.get('/account/sessions')).text).notice, 'That session has been signed out.');
    assert.equal((await two.get('/auth/me')).status, 401);

    const others = await postForm(one, '/account/sessions/others', {});
    assert.equal(others.status, 303);
    assert.equal(pageMessages((await one.get('/account/sessions')).text).notice, 'Signed out 2 other sessions.');
    assert.equal((await three.get('/auth/me')).status, 401);
    assert.equal((await four.get('/auth/me')).status, 401);
    assert.equal((await one.get('/auth/me')).status, 200);

    const five = await signedIn(username, FIREFOX_MAC);
    const fiveRefresh = await refreshTokenOf(five);
    const everywhere = await postForm(one, '/account/sessions/everywhere', {});
    assert.equal(everywhere.status, 200);
    assert.match(everywhere.text, /You have signed out everywhere/);
    assert.equal(pageMessages(everywhere.text).notice, undefined, 'Cognito was told: nothing to warn of');
    assert.equal((await one.get('/auth/me')).status, 401);
    assert.equal((await five.get('/auth/me')).status, 401);
    assert.equal(await refreshWorks(username, fiveRefresh), false);
    assert.ok((bff.stack.state.calls.get('GlobalSignOut') ?? 0) >= 1, 'GlobalSignOut was called');
  });

  it('a password change with "Sign out everywhere else" ends the other session and keeps this one', async () => {
    const { username } = await newUser();
    const one = await signedIn(username);
    const two = await signedIn(username, FIREFOX_MAC);
    const form = await one.get('/account');
    assert.match(form.text, /<input type="checkbox" name="signOutOthers" value="on" checked> Sign out everywhere else/);
    const next = 'Changed-Sessions-Passw0rd!';
    const res = await postForm(one, '/account/password', {
      currentPassword: PASSWORD,
      newPassword: next,
      confirmPassword: next,
      signOutOthers: 'on',
    });
    assert.equal(res.status, 303);
    assert.equal(
      pageMessages((await one.get('/account')).text).notice,
      'Your password has been changed, and your other sessions have been signed out.',
    );
    assert.equal((await two.get('/auth/me')).status, 401);
    assert.equal((await one.get('/auth/me')).status, 200);

    // Unticked, the other sessions go on.
    const three = await signedIn(username, FIREFOX_MAC).catch(() => undefined);
    assert.equal(three, undefined, 'the old password no longer signs in');
    const agentThree = agentFor(bff.url);
    await signIn(agentThree, username, next);
    const again = await postForm(one, '/account/password', {
      currentPassword: next,
      newPassword: PASSWORD,
      confirmPassword: PASSWORD,
    });
    assert.equal(again.status, 303);
    assert.equal(pageMessages((await one.get('/account')).text).notice, 'Your password has been changed.');
    assert.equal((await agentThree.get('/auth/me')).status, 200);
  });

  /**
   * The session list failing at the one moment no real fault can be timed to: after Cognito has changed the password
   * (the store answered the request's own reads a moment before). Restored afterwards.
   */
  async function withIndexFailing<T>(during: () => Promise<T>): Promise<T> {
    const index = bff.deps.backend.index;
    const { list, ownerByName } = index;
    const down = () => Promise.reject(new Error('the store did not answer'));
    index.list = down;
    index.ownerByName = down;
    try {
      return await during();
    } finally {
      index.list = list;
      index.ownerByName = ownerByName;
    }
  }

  it('a password change whose other sessions cannot be ended says so, and the new password stands', async () => {
    const { username } = await newUser();
    const one = await signedIn(username);
    const two = await signedIn(username, FIREFOX_MAC);
    const next = 'Changed-Faulty-Passw0rd!';
    const res = await withIndexFailing(() =>
      postForm(one, '/account/password', {
        currentPassword: PASSWORD,
        newPassword: next,
        confirmPassword: next,
        signOutOthers: 'on',
      }),
    );
    assert.equal(res.status, 303, 'not a 503: the password did change');
    assert.equal(
      pageMessages((await one.get('/account')).text).notice,
      'Your password has been changed, but your other sessions could not be signed out just now. Sign them out under Your sessions.',
    );
    await signIn(agentFor(bff.url), username, next);
    assert.equal((await two.get('/auth/me')).status, 200, 'still signed in, as the page said');
  });

  it('a password reset whose sessions cannot be ended says so on the sign-in page', async () => {
    const user = await newUser();
    const one = await signedIn(user.username);
    const agent = agentFor(bff.url);
    assert.equal((await postForm(agent, '/password/forgot', { username: user.username })).status, 303);
    const code = (await lastMessage(bff.stack.outboxUrl, user.username))?.code ?? '';
    const next = 'Reset-Faulty-Passw0rd!';
    const reset = await withIndexFailing(() =>
      postForm(agent, '/password/reset', { username: user.username, code, newPassword: next, confirmPassword: next }),
    );
    assert.equal(reset.status, 303);
    assert.equal(reset.headers['location'], '/login');
    assert.equal(
      pageMessages((await agent.get('/login')).text).notice,
      'Your password has been changed. Sessions still signed in could not be signed out just now: after signing in, sign them out under Your sessions.',
    );
    assert.equal((await one.get('/auth/me')).status, 200);
  });

  it("a password reset ends every session of the user, and no one else's", async () => {
    // (The pointer from an email typed instead of the username is in the backend contract suite: the local pool
    // does not take emails as usernames.)
    const user = await newUser();
    const one = await signedIn(user.username);
    const two = await signedIn(user.username, FIREFOX_MAC);
    const bystander = await signedIn((await newUser()).username);
    const agent = agentFor(bff.url);
    assert.equal((await postForm(agent, '/password/forgot', { username: user.username })).status, 303);
    const code = (await lastMessage(bff.stack.outboxUrl, user.username))?.code ?? '';
    const next = 'Reset-Sessions-Passw0rd!';
    const reset = await postForm(agent, '/password/reset', {
      username: user.username,
      code,
      newPassword: next,
      confirmPassword: next,
    });
    assert.equal(reset.status, 303);
    assert.equal(reset.headers['location'], '/login');
    assert.equal((await one.get('/auth/me')).status, 401);
    assert.equal((await two.get('/auth/me')).status, 401);
    assert.equal((await bystander.get('/auth/me')).status, 200, "another user's session goes on");
  });
});
