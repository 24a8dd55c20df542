import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { agentFor, lastMessage, pageMessages, postForm, sessionIdOf, signIn } from '../support/browserless.js';
import { startBff } from '../support/bff.js';
import { switchableProxy } from '../support/faults.js';
import { dropPrefix, needRedis, pttls, rawEntries, REDIS_URL, redisAnswers, testPrefix } from '../support/redis.js';
import { startTestStack } from '../support/stack.js';
import type { TestStack } from '../support/stack.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('sessions in Redis', () => {
  let stack: TestStack;
  const prefixes: string[] = [];
  before(async () => {
    stack = await startTestStack();
  });
  after(async () => {
    await stack.close();
    for (const prefix of prefixes) await dropPrefix(prefix);
  });
  const redisEnv = () => {
    const prefix = testPrefix();
    prefixes.push(prefix);
    return { prefix, env: { SESSION_STORE: 'redis', REDIS_URL, REDIS_KEY_PREFIX: prefix } };
  };

  it('keeps no token, no claim value and no client secret in the raw Redis values', async (t) => {
    if (!(await needRedis(t))) return;
    const { prefix, env } = redisEnv();
    const bff = await startBff({ stack, env });
    try {
      const agent = agentFor(bff.url);
      await signIn(agent, 'bob', 'Bob-Passw0rd!');
      assert.equal((await agent.post('/api/').set('X-CSRF', '1')).status, 200);
      const [session] = await bff.sessions();
      assert.ok(session);
      const raw = await rawEntries(prefix);
      assert.ok(raw.size >= 2, `a session record and a token record, got ${[...raw.keys()].join(', ')}`);
      const forbidden = {
        idToken: session.tokens.idToken,
        accessToken: session.tokens.accessToken,
        refreshToken: session.tokens.refreshToken,
        clientSecret: bff.config.cognito.clientSecret ?? '',
        sub: session.user.sub,
        email: 'bob@example.com',
        username: '"bob"',
        group: 'admins',
      };
      for (const [key, value] of raw) {
        for (const [name, secret] of Object.entries(forbidden)) {
          assert.ok(!value.includes(secret), `${name} found in ${key}`);
          // JWTs are base64url: also look for a token's payload part on its own (not an email's "com").
          const parts = secret.split('.');
          if (parts.length === 3 && parts[1]) assert.ok(!value.includes(parts[1]), `${name} payload found in ${key}`);
        }
      }
    } finally {
      await bff.close();
    }
  });

  it('the account journeys work on Redis, across instances, and the store holds no username or address in clear', async (t) => {
    if (!(await needRedis(t))) return;
    const { prefix, env } = redisEnv();
    const one = await startBff({ stack, env });
    const two = await startBff({ stack, env });
    try {
      // The sign-up form on one instance, the confirm page on the other: the journey lives in the shared store.
      const agent = agentFor(one.url);
      const password = 'Redis-Passw0rd!';
      const res = await postForm(agent, '/signup', {
        username: 'redisuser',
        attr_email: 'redisuser@example.com',
        newPassword: password,
        confirmPassword: password,
      });
      assert.equal(res.status, 303);
      const other = agentFor(two.url);
      other.jar.setCookies(
        agent.jar.getCookies({ domain: '127.0.0.1', path: '/', secure: false, script: false }).map(String),
      );
      const confirm = await other.get('/signup/confirm');
      assert.match(pageMessages(confirm.text).notice ?? '', /^We have sent a code to r\*\*\*@e\*\*\*\./);
      assert.match(confirm.text, /name="username"[^>]*value="redisuser"/);
      const raw = await rawEntries(prefix);
      assert.ok(raw.size >= 1);
      for (const [key, value] of raw) {
        assert.ok(!value.includes('redisuser'), `the username in clear in ${key}`);
        assert.ok(!value.includes(password), `the password in ${key}`);
      }
      const code = (await lastMessage(stack.outboxUrl, 'redisuser'))?.code ?? '';
      const confirmed = await postForm(other, '/signup/confirm', { username: 'redisuser', code });
      assert.equal(confirmed.status, 303);
      // Passkeys are on in local mode: the new user lands, signed in, where they can add one.
      assert.equal(confirmed.headers['location'], '/account/security', 'confirming signs the new user in');
      const signedIn = await other.get('/account/security');
      assert.equal(
        pageMessages(signedIn.text).notice,
        'Your account is confirmed and you are signed in. Add a passkey below to sign in next time without a password or a code.',
      );
    } finally {
      await one.close();
      await two.close();
    }
  });

  it('a Redis outage gives 503 pages and JSON and a failing /readyz; when Redis returns, the same session works', async (t) => {
    if (!(await needRedis(t))) return;
    const gate = await switchableProxy(REDIS_URL.replace('redis://', 'http://'));
    const { env } = redisEnv();
    const bff = await startBff({ stack, env: { ...env, REDIS_URL: gate.url.replace('http://', 'redis://') } });
    try {
      const agent = agentFor(bff.url);
      await signIn(agent, 'alice', 'Alice-Passw0rd!');
      assert.equal((await agent.get('/readyz')).status, 200);

      gate.up = false;
      await sleep(100);
      const page = await agent.get('/').set('Accept', 'text/html');
      assert.equal(page.status, 503);
      assert.match(page.text, /temporarily unavailable/);
      assert.ok(page.headers['retry-after']);
      const api = await agent.post('/api/').set('X-CSRF', '1');
      assert.equal(api.status, 503);
      assert.equal(api.body.error, 'session_store_unavailable');
      const ready = await agent.get('/readyz');
      assert.equal(ready.status, 503);
      assert.equal(ready.body.checks.store, false);
      assert.equal((await agent.get('/healthz')).status, 200, 'the process itself is fine');

      gate.up = true;
      let back = 503;
      for (let i = 0; i < 50 && back !== 200; i++) {
        await sleep(100);
        back = (await agent.get('/readyz')).status;
      }
      assert.equal(back, 200, 'ready again without a restart');
      const me = await agent.get('/auth/me');
      assert.equal(me.status, 200, 'the session survived');
      assert.equal(me.body.username, 'alice');
      assert.equal((await agent.post('/api/').set('X-CSRF', '1')).status, 200);
    } finally {
      await bff.close();
      await gate.close();
    }
  });

  it('the token record (refresh token included) expires with its session at the idle timeout, after a refresh too', async (t) => {
    if (!(await needRedis(t))) return;
    const { prefix, env } = redisEnv();
    const bff = await startBff({ stack, env: { ...env, SESSION_IDLE_TIMEOUT_SECONDS: '2' } });
    try {
      const agent = agentFor(bff.url);
      await signIn(agent, 'bob', 'Bob-Passw0rd!');
      const sid = sessionIdOf(agent);
      const [session] = await bff.sessions();
      assert.ok(session);
      // An ID token about to expire: the next API call refreshes and writes the token record again.
      await bff.deps.backend.vault.put(
        sid,
        { tokens: { ...session.tokens, idTokenExpiresAt: Date.now() + 5_000 }, version: session.version },
        60_000,
      );
      assert.equal((await agent.get('/api/echo').set('X-CSRF', '1')).status, 200);
      assert.equal((await bff.sessions())[0]?.version, session.version + 1, 'refreshed');
      const ttls = await pttls([`${prefix}sess:${sid}`, `${prefix}tok:${sid}`]);
      t.diagnostic(`time to live after the refresh: session ${ttls[0]} ms, tokens ${ttls[1]} ms`);
      for (const ttl of ttls)
        assert.ok(ttl > 0 && ttl <= 2000, `both live at most the idle timeout: ${ttls.join(', ')}`);

      await bff.fastForward(2500);
      assert.deepEqual(await pttls([`${prefix}sess:${sid}`, `${prefix}tok:${sid}`]), [-2, -2], 'both are gone');
      assert.equal((await agent.get('/auth/me')).status, 401);
    } finally {
      await bff.close();
    }
  });

  it('starts, and reports not ready, when Redis is not there at all', async (t) => {
    if (!(await redisAnswers())) t.diagnostic('Redis not needed for this one');
    const bff = await startBff({ stack, env: { SESSION_STORE: 'redis', REDIS_URL: 'redis://127.0.0.1:1' } });
    try {
      const ready = await agentFor(bff.url).get('/readyz');
      assert.equal(ready.status, 503);
      const login = await postForm(agentFor(bff.url), '/login', { username: 'bob', password: 'Bob-Passw0rd!' });
      assert.equal(login.status, 503);
    } finally {
      await bff.close();
    }
  });
});
