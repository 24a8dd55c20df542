import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { AdminCreateUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { agentFor, formToken, postForm } from '../support/browserless.js';
import { startBff } from '../support/bff.js';
import type { TestBff } from '../support/bff.js';
import { dropPrefix, needRedis, REDIS_URL, testPrefix } from '../support/redis.js';
import { startTestStack } from '../support/stack.js';

describe('brute-force limits', () => {
  const open: TestBff[] = [];
  const prefixes: string[] = [];
  after(async () => {
    for (const bff of open) await bff.close();
    for (const p of prefixes) await dropPrefix(p);
  });
  const start = async (env: Record<string, string>, stack?: TestBff['stack']) => {
    const bff = await startBff({ env, ...(stack ? { stack } : {}) });
    open.push(bff);
    return bff;
  };
  const attempt = (bff: TestBff, username: string, password: string) =>
    postForm(agentFor(bff.url), '/login', { username, password });
  /** A sign-in from its own browser at `address`, as a proxy named in TRUST_PROXY reports it. */
  const attemptFrom = async (bff: TestBff, address: string, username: string, password: string) => {
    const agent = agentFor(bff.url);
    const token = (await formToken(agent, '/login')) ?? '';
    return agent.post('/login').set('X-Forwarded-For', address).type('form').send({ _csrf: token, username, password });
  };

  it('per username from one address: past the limit, 429 with Retry-After and a page saying when to try again, even with the right password', async () => {
    const bff = await start({ SIGN_IN_LIMIT_PER_USERNAME: '3', SIGN_IN_LIMIT_PER_IP: '100' });
    for (let i = 0; i < 3; i++) assert.equal((await attempt(bff, 'bob', `Wrong-${i}-passw0rd!`)).status, 401);
    const blocked = await attempt(bff, 'bob', 'Bob-Passw0rd!');
    assert.equal(blocked.status, 429);
    const retryAfter = Number(blocked.headers['retry-after']);
    assert.ok(retryAfter > 0 && retryAfter <= 900, `Retry-After ${retryAfter}`);
    assert.match(blocked.text, /Too many sign-in attempts\. Try again in 15 minutes\./);
    assert.equal((await attempt(bff, 'BOB ', 'Bob-Passw0rd!')).status, 429, 'the same username in another spelling');
    assert.equal((await attempt(bff, 'alice', 'Alice-Passw0rd!')).status, 303, 'other users are not affected');
  });

  it('failures from one address do not lock the owner out: the right password from another address signs in', async () => {
    const bff = await start({ TRUST_PROXY: 'loopback', SIGN_IN_LIMIT_PER_USERNAME: '3', SIGN_IN_LIMIT_PER_IP: '100' });
    const attacker = '203.0.113.7';
    for (let i = 0; i < 3; i++) {
      assert.equal((await attemptFrom(bff, attacker, 'bob', `Wrong-${i}-passw0rd!`)).status, 401);
    }
    assert.equal((await attemptFrom(bff, attacker, 'bob', 'Bob-Passw0rd!')).status, 429, 'that address is stopped');
    const owner = await attemptFrom(bff, '198.51.100.20', 'bob', 'Bob-Passw0rd!');
    assert.equal(owner.status, 303, 'the owner, elsewhere, signs in');
    assert.equal(owner.headers['location'], '/');
  });

  it('per account: failures spread over many addresses stop the username from every address', async () => {
    const bff = await start({
      TRUST_PROXY: 'loopback',
      SIGN_IN_LIMIT_PER_USERNAME: '2',
      SIGN_IN_LIMIT_PER_ACCOUNT: '5',
      SIGN_IN_LIMIT_PER_IP: '100',
    });
    const statuses: number[] = [];
    for (const address of ['203.0.113.1', '203.0.113.2', '203.0.113.3']) {
      for (let i = 0; i < 2; i++)
        statuses.push((await attemptFrom(bff, address, 'bob', `Wrong-${i}-passw0rd!`)).status);
    }
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429], 'the sixth failure, from a third address, is over 5');
    const owner = await attemptFrom(bff, '198.51.100.20', 'bob', 'Bob-Passw0rd!');
    assert.equal(owner.status, 429, 'the account is held for the window, whatever the address');
    assert.match(owner.text, /Too many sign-in attempts\. Try again in 15 minutes\./);
    assert.equal((await attemptFrom(bff, '198.51.100.20', 'alice', 'Alice-Passw0rd!')).status, 303, 'others sign in');
  });

  it('per client IP: many usernames from one address are stopped, and X-Forwarded-For cannot dodge it without TRUST_PROXY', async () => {
    const bff = await start({ SIGN_IN_LIMIT_PER_USERNAME: '100', SIGN_IN_LIMIT_PER_IP: '4' });
    for (let i = 0; i < 4; i++) {
      const agent = agentFor(bff.url);
      const token = /name="_csrf" value="([^"]+)"/.exec((await agent.get('/login')).text)?.[1] ?? '';
      const res = await agent
        .post('/login')
        .set('X-Forwarded-For', `203.0.113.${i}`)
        .type('form')
        .send({ _csrf: token, username: `user-${i}`, password: 'Wrong-passw0rd!' });
      assert.equal(res.status, 401);
    }
    assert.equal((await attempt(bff, 'someone-else', 'Wrong-passw0rd!')).status, 429);
  });

  it('per client IP behind one proxy (TRUST_PROXY=1): a rotating X-Forwarded-For from the client cannot dodge it', async () => {
    const bff = await start({ SIGN_IN_LIMIT_PER_USERNAME: '100', SIGN_IN_LIMIT_PER_IP: '4', TRUST_PROXY: '1' });
    // The proxy appends the address it saw (198.51.100.7) to whatever the client wrote.
    const viaProxy = async (i: number) => {
      const agent = agentFor(bff.url);
      const token = /name="_csrf" value="([^"]+)"/.exec((await agent.get('/login')).text)?.[1] ?? '';
      return agent
        .post('/login')
        .set('X-Forwarded-For', `203.0.113.${i}, 198.51.100.7`)
        .type('form')
        .send({ _csrf: token, username: `user-${i}`, password: 'Wrong-passw0rd!' });
    };
    for (let i = 0; i < 4; i++) assert.equal((await viaProxy(i)).status, 401);
    assert.equal((await viaProxy(4)).status, 429);
  });

  it('limits challenge answers too', async () => {
    const stack = await startTestStack();
    try {
      await stack.cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: stack.poolId,
          Username: 'limited',
          TemporaryPassword: 'Temporary-passw0rd!',
          MessageAction: 'SUPPRESS',
        }),
      );
      const bff = await start({ SIGN_IN_LIMIT_PER_USERNAME: '2', SIGN_IN_LIMIT_PER_IP: '100' }, stack);
      const agent = agentFor(bff.url);
      assert.equal(
        (await postForm(agent, '/login', { username: 'limited', password: 'Temporary-passw0rd!' })).status,
        303,
      );
      for (let i = 0; i < 2; i++) {
        const weak = await postForm(agent, '/login/new-password', { newPassword: 'weak', confirmPassword: 'weak' });
        assert.equal(weak.status, 400);
      }
      const blocked = await postForm(agent, '/login/new-password', {
        newPassword: 'Strong-passw0rd!',
        confirmPassword: 'Strong-passw0rd!',
      });
      assert.equal(blocked.status, 429);
    } finally {
      await stack.close();
    }
  });

  it('with Redis, the limit holds across instances', async (t) => {
    if (!(await needRedis(t))) return;
    const prefix = testPrefix();
    prefixes.push(prefix);
    const env = { SESSION_STORE: 'redis', REDIS_URL, REDIS_KEY_PREFIX: prefix, SIGN_IN_LIMIT_PER_USERNAME: '3' };
    const a = await start(env);
    const b = await start(env, a.stack);
    assert.equal((await attempt(a, 'bob', 'Wrong-1-passw0rd!')).status, 401);
    assert.equal((await attempt(b, 'bob', 'Wrong-2-passw0rd!')).status, 401);
    assert.equal((await attempt(a, 'bob', 'Wrong-3-passw0rd!')).status, 401);
    assert.equal((await attempt(b, 'bob', 'Bob-Passw0rd!')).status, 429);
  });
});
