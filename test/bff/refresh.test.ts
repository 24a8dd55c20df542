import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AdminUserGlobalSignOutCommand, CreateUserPoolClientCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { CreateUserPoolClientCommandInput } from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import request from 'supertest';
import type { Agent } from 'supertest';
import { agentFor, cookieHeader, sessionIdOf, signIn } from '../support/browserless.js';
import { startBff } from '../support/bff.js';
import type { TestBff } from '../support/bff.js';
import { fakeHttp, switchableProxy } from '../support/faults.js';
import type { Switchable } from '../support/faults.js';
import { dropPrefix, needRedis, REDIS_URL, testPrefix } from '../support/redis.js';
import { startTestStack } from '../support/stack.js';
import type { TestStack } from '../support/stack.js';
import { redactCredential } from '../../src/lambda/redact.js';

const refreshCalls = (stack: TestStack) =>
  (stack.state.calls.get('InitiateAuth') ?? 0) + (stack.state.calls.get('GetTokensFromRefreshToken') ?? 0);

/** Makes the agent's stored ID token look about to expire, as it would be 59 minutes after sign-in. */
async function ageTokens(bff: TestBff, agent: Agent, expiresInMs = 5_000, idToken?: string) {
  const sid = sessionIdOf(agent);
  const session = (await bff.sessions()).find((s) => s.sid === sid);
  assert.ok(session, 'the agent has a server-side session');
  await bff.deps.backend.vault.put(
    session.sid,
    {
      tokens: { ...session.tokens, idTokenExpiresAt: Date.now() + expiresInMs, ...(idToken ? { idToken } : {}) },
      version: session.version,
    },
    60_000,
  );
  return session;
}

/** A BFF on a new confidential app client of the stack's pool, with the client settings given. */
async function bffOnNewClient(
  stack: TestStack,
  settings: Omit<CreateUserPoolClientCommandInput, 'UserPoolId'>,
  env: Record<string, string>,
): Promise<TestBff> {
  const { UserPoolClient } = await stack.cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: stack.poolId,
      GenerateSecret: true,
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      ...settings,
    }),
  );
  const client = stack.pool().clients.get(UserPoolClient?.ClientId ?? '');
  assert.ok(client?.ClientSecret);
  return startBff({ stack: { ...stack, secretClient: client as typeof stack.secretClient }, env });
}

describe('token refresh', () => {
  let stack: TestStack;
  let bff: TestBff;
  before(async () => {
    stack = await startTestStack();
    bff = await startBff({ stack });
  });
  after(async () => {
    await bff.close();
    await stack.close();
  });

  it('refreshes before proxying when the ID token expires within the skew, with the hash on cognito:username', async () => {
    const agent = agentFor(bff.url);
    await signIn(agent, 'bob', 'Bob-Passw0rd!');
    const old = await ageTokens(bff, agent);
    const before = refreshCalls(stack);
    const res = await agent.get('/api/echo').set('X-CSRF', '1');
    assert.equal(res.status, 200);
    assert.equal(refreshCalls(stack), before + 1);
    const [now] = (await bff.sessions()).filter((s) => s.user.username === 'bob');
    assert.ok(now && now.tokens.idToken !== old.tokens.idToken, 'a new ID token');
    assert.equal(now.tokens.refreshToken, old.tokens.refreshToken, 'the same refresh token');
    assert.deepEqual(
      res.body.headers['authorization'],
      [redactCredential(`Bearer ${now.tokens.idToken}`)],
      'the new token went upstream',
    );

    // Signed in by email, the typed name is not cognito:username: a hash on the typed name would be refused.
    stack.pool().UsernameAttributes.push('email');
    try {
      const byEmail = agentFor(bff.url);
      await signIn(byEmail, 'bob@example.com', 'Bob-Passw0rd!');
      const typed = await ageTokens(bff, byEmail);
      assert.equal(decodeJwt(typed.tokens.idToken)['cognito:username'], 'bob');
      const beforeEmail = refreshCalls(stack);
      assert.equal((await byEmail.get('/api/echo').set('X-CSRF', '1')).status, 200);
      assert.equal(refreshCalls(stack), beforeEmail + 1, 'refreshed');
      const after = (await bff.sessions()).find((x) => x.sid === typed.sid);
      assert.ok(after && after.tokens.idToken !== typed.tokens.idToken, 'a new ID token for the email sign-in');
    } finally {
      stack.pool().UsernameAttributes.pop();
    }
  });

  it('20 concurrent calls on an expiring session make exactly one refresh, and all succeed', async () => {
    const agent = agentFor(bff.url);
    await signIn(agent, 'alice', 'Alice-Passw0rd!');
    await ageTokens(bff, agent);
    const before = refreshCalls(stack);
    const results = await Promise.all(Array.from({ length: 20 }, () => agent.get('/api/echo').set('X-CSRF', '1')));
    assert.deepEqual(
      results.map((r) => r.status),
      Array(20).fill(200),
    );
    assert.equal(refreshCalls(stack), before + 1);
    const tokens = new Set(results.map((r) => r.body.headers['authorization'][0]));
    assert.equal(tokens.size, 1, 'every call used the one new token');
  });

  it('refreshes on /auth/me too', async () => {
    const agent = agentFor(bff.url);
    await signIn(agent, 'alice', 'Alice-Passw0rd!');
    await ageTokens(bff, agent);
    const before = refreshCalls(stack);
    assert.equal((await agent.get('/auth/me')).status, 200);
    assert.equal(refreshCalls(stack), before + 1);
  });

  it('a refresh Cognito refuses ends the session: API 401 session_expired, pages go to sign-in with a message', async () => {
    const api = agentFor(bff.url);
    await signIn(api, 'bob', 'Bob-Passw0rd!');
    await stack.cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId: stack.poolId, Username: 'bob' }));
    await ageTokens(bff, api);
    const res = await api.get('/api/echo').set('X-CSRF', '1');
    assert.equal(res.status, 401);
    assert.equal(res.body.error, 'session_expired');
    assert.equal((await api.get('/auth/me')).status, 401, 'the session is gone');

    const page = agentFor(bff.url);
    await signIn(page, 'bob', 'Bob-Passw0rd!');
    await stack.cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId: stack.poolId, Username: 'bob' }));
    await ageTokens(bff, page);
    const home = await page.get('/');
    assert.equal(home.status, 303);
    assert.equal(home.headers['location'], '/login?reason=session-expired&returnTo=%2F');
    const login = await page.get(home.headers['location'] ?? '');
    assert.match(login.text, /Your session has ended\. Please sign in again\./);
  });

  it('a GET the upstream answers 401 is retried once after a forced refresh; a POST is not', async () => {
    const agent = agentFor(bff.url);
    await signIn(agent, 'alice', 'Alice-Passw0rd!');
    const session = await ageTokens(bff, agent, 30 * 60_000, 'not.a.valid-token');
    const before = refreshCalls(stack);
    const get = await agent.get('/api/echo').set('X-CSRF', '1');
    assert.equal(get.status, 200);
    assert.equal(refreshCalls(stack), before + 1);
    assert.notDeepEqual(get.body.headers['authorization'], [redactCredential('Bearer not.a.valid-token')]);

    await ageTokens(bff, agent, 30 * 60_000, 'not.a.valid-token');
    const post = await agent.post('/api/echo').set('X-CSRF', '1').send({ a: 1 });
    assert.equal(post.status, 401, 'the upstream 401 passes through');
    assert.deepEqual(post.body, { message: 'Unauthorized' });
    assert.equal(refreshCalls(stack), before + 1);
    assert.ok(session);
  });
});

describe('an API path that answers 401 whatever the token', () => {
  it('forces one refresh per set of tokens: 20 GETs make one refresh, and all get the 401', async () => {
    const api = await fakeHttp((_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"Unauthorized"}');
    });
    const bff = await startBff({ apiBaseUrl: api.url });
    try {
      const agent = agentFor(bff.url);
      await signIn(agent, 'bob', 'Bob-Passw0rd!');
      const before = refreshCalls(bff.stack);
      const statuses = [];
      for (let i = 0; i < 20; i++) statuses.push((await agent.get('/api/admin').set('X-CSRF', '1')).status);
      assert.deepEqual([...new Set(statuses)], [401]);
      assert.equal(
        refreshCalls(bff.stack) - before,
        1,
        'the tokens refreshed because of a 401 are not refreshed again',
      );

      // Tokens from the next ordinary refresh get their one forced refresh again.
      await ageTokens(bff, agent, 1_000);
      const afterExpiry = refreshCalls(bff.stack);
      assert.equal((await agent.get('/api/admin').set('X-CSRF', '1')).status, 401);
      assert.equal(refreshCalls(bff.stack) - afterExpiry, 2, 'the ordinary refresh, then one forced by the 401');
    } finally {
      await bff.close();
      await api.close();
    }
  });
});

describe('token refresh when Cognito is down', () => {
  let stack: TestStack;
  let gate: Switchable;
  let bff: TestBff;
  before(async () => {
    stack = await startTestStack();
    gate = await switchableProxy(stack.cognitoEndpoint);
    bff = await startBff({ stack, cognitoEndpoint: gate.url });
  });
  after(async () => {
    await bff.close();
    await gate.close();
    await stack.close();
  });
  const unavailableRefreshes = async () =>
    (await bff.deps.metrics.refreshes.get()).values.find((v) => v.labels.outcome === 'unavailable')?.value ?? 0;

  it('uses a token that is still valid while the failed refresh waits out its Retry-After: one attempt for 60 calls', async (t) => {
    gate.up = true;
    const agent = agentFor(bff.url);
    await signIn(agent, 'alice', 'Alice-Passw0rd!');
    const session = await ageTokens(bff, agent, 30_000);
    gate.up = false;
    const attemptsBefore = gate.refused;
    const failedBefore = await unavailableRefreshes();
    const results = [];
    for (let batch = 0; batch < 6; batch++) {
      results.push(...(await Promise.all(Array.from({ length: 10 }, () => agent.get('/api/echo').set('X-CSRF', '1')))));
    }
    t.diagnostic(`connections to Cognito for 60 calls: ${gate.refused - attemptsBefore}`);
    assert.deepEqual(
      [...new Set(results.map((r) => r.status))],
      [200],
      'the calls go through with the current ID token',
    );
    assert.deepEqual(
      [...new Set(results.map((r) => r.body.headers['authorization'][0]))],
      [redactCredential(`Bearer ${session.tokens.idToken}`)],
    );
    assert.equal((await unavailableRefreshes()) - failedBefore, 1, 'one refresh attempt');
    assert.ok(gate.refused - attemptsBefore <= 2, 'at most the SDK retry of that one attempt reached Cognito');
  });

  it('an expiring token: 503 with Retry-After, no attempt before it is over, and the same session works after', async (t) => {
    gate.up = true;
    const agent = agentFor(bff.url);
    await signIn(agent, 'bob', 'Bob-Passw0rd!');
    await ageTokens(bff, agent, 1_000);
    gate.up = false;
    const attemptsBefore = gate.refused;
    const down = await agent.get('/api/echo').set('X-CSRF', '1');
    assert.equal(down.status, 503);
    assert.equal(down.body.error, 'refresh_unavailable');
    assert.equal(down.headers['retry-after'], '5');
    const failedAt = bff.clock.now();
    const more = [];
    for (let i = 0; i < 40; i++) more.push(await agent.get('/api/echo').set('X-CSRF', '1'));
    assert.deepEqual([...new Set(more.map((r) => r.status))], [503]);
    for (const r of more) assert.ok(Number(r.headers['retry-after']) >= 1 && Number(r.headers['retry-after']) <= 5);
    t.diagnostic(`connections to Cognito for 41 calls: ${gate.refused - attemptsBefore}`);
    assert.ok(gate.refused - attemptsBefore <= 2, 'one attempt (and its SDK retry), not one per call');

    gate.up = true;
    const refreshesBefore = refreshCalls(stack);
    const early = await agent.get('/api/echo').set('X-CSRF', '1');
    assert.equal(early.status, 503, 'Cognito is back, but the session waits out its Retry-After');
    assert.equal(refreshCalls(stack), refreshesBefore);
    await bff.fastForward(failedAt + 5_100 - bff.clock.now());
    const back = await agent.get('/api/echo').set('X-CSRF', '1');
    assert.equal(back.status, 200, 'the same session works once the wait is over');
    assert.equal(refreshCalls(stack), refreshesBefore + 1);
  });
});

describe('token refresh when Cognito is down, two instances on Redis', () => {
  it('the wait is shared through the store: one attempt in all for calls spread over both', async (t) => {
    if (!(await needRedis(t))) return;
    const stack = await startTestStack();
    const gate = await switchableProxy(stack.cognitoEndpoint);
    const prefix = testPrefix();
    const env = { SESSION_STORE: 'redis', REDIS_URL, REDIS_KEY_PREFIX: prefix };
    const a = await startBff({ stack, cognitoEndpoint: gate.url, env });
    const b = await startBff({ stack, cognitoEndpoint: gate.url, env });
    try {
      const agent = agentFor(a.url);
      await signIn(agent, 'bob', 'Bob-Passw0rd!');
      await ageTokens(a, agent, 1_000);
      const cookie = cookieHeader(agent);
      gate.up = false;
      const results = [];
      for (let i = 0; i < 40; i++) {
        results.push(
          await request(i % 2 ? b.url : a.url)
            .get('/api/echo')
            .set('Cookie', cookie)
            .set('X-CSRF', '1'),
        );
      }
      t.diagnostic(`connections to Cognito for 40 calls over two instances: ${gate.refused}`);
      assert.deepEqual([...new Set(results.map((r) => r.status))], [503]);
      assert.ok(gate.refused <= 2, `one attempt (and its SDK retry) in all: ${gate.refused}`);
    } finally {
      await Promise.all([a.close(), b.close()]);
      await gate.close();
      await stack.close();
      await dropPrefix(prefix);
    }
  });
});

describe('refresh skew and short-lived ID tokens', () => {
  it('caps TOKEN_REFRESH_SKEW_SECONDS at a quarter of a 5-minute ID token: no refresh on every call', async (t) => {
    const stack = await startTestStack();
    const bff = await bffOnNewClient(
      stack,
      { ClientName: 'short-lived', IdTokenValidity: 5, TokenValidityUnits: { IdToken: 'minutes' } },
      { TOKEN_REFRESH_SKEW_SECONDS: '3000' },
    );
    try {
      const agent = agentFor(bff.url);
      await signIn(agent, 'alice', 'Alice-Passw0rd!');
      const before = refreshCalls(stack);
      for (let i = 0; i < 50; i++) assert.equal((await agent.get('/api/echo').set('X-CSRF', '1')).status, 200);
      t.diagnostic(`refreshes for 50 calls with 5-minute ID tokens and a 3000 s skew: ${refreshCalls(stack) - before}`);
      assert.equal(refreshCalls(stack), before, 'a 5-minute token is used for most of its life');
      const capped = bff.logs.filter((l) => l.includes('TOKEN_REFRESH_SKEW_SECONDS'));
      assert.equal(capped.length, 1, 'the cap is logged once');
      assert.equal(JSON.parse(capped[0] ?? '{}').effectiveSkewSeconds, 75);

      await ageTokens(bff, agent, 70_000);
      assert.equal((await agent.get('/api/echo').set('X-CSRF', '1')).status, 200);
      assert.equal(refreshCalls(stack), before + 1, 'refreshed within a quarter of the lifetime (75 s) of expiry');
      for (let i = 0; i < 10; i++) await agent.get('/api/echo').set('X-CSRF', '1');
      assert.equal(refreshCalls(stack), before + 1, 'and then not again');
      assert.equal(bff.logs.filter((l) => l.includes('TOKEN_REFRESH_SKEW_SECONDS')).length, 1, 'still logged once');
    } finally {
      await bff.close();
      await stack.close();
    }
  });
});

describe('refresh token rotation', () => {
  it('uses GetTokensFromRefreshToken and stores the new refresh token', async () => {
    const stack = await startTestStack();
    const bff = await bffOnNewClient(
      stack,
      { ClientName: 'rotating', RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 } },
      { COGNITO_REFRESH_TOKEN_ROTATION: 'true' },
    );
    try {
      const agent = agentFor(bff.url);
      await signIn(agent, 'bob', 'Bob-Passw0rd!');
      const old = await ageTokens(bff, agent);
      const res = await agent.get('/api/echo').set('X-CSRF', '1');
      assert.equal(res.status, 200);
      assert.equal(stack.state.calls.get('GetTokensFromRefreshToken'), 1);
      const [now] = await bff.sessions();
      assert.ok(now && now.tokens.refreshToken !== old.tokens.refreshToken, 'the rotated refresh token is kept');
      assert.equal(decodeJwt(now.tokens.idToken)['cognito:username'], 'bob');
    } finally {
      await bff.close();
      await stack.close();
    }
  });
});
