import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AdminUserGlobalSignOutCommand, CreateUserPoolClientCommand } from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import type { Agent } from 'supertest';
import { agentFor, sessionIdOf, signIn } from '../support/browserless.js';
import { startBff } from '../support/bff.js';
import type { TestBff } from '../support/bff.js';
import { switchableProxy } from '../support/faults.js';
import { startTestStack } from '../support/stack.js';
import type { TestStack } from '../support/stack.js';

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
      [`Bearer ${now.tokens.idToken}`],
      'the new token went upstream',
    );
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
    assert.notDeepEqual(get.body.headers['authorization'], ['Bearer not.a.valid-token']);

    await ageTokens(bff, agent, 30 * 60_000, 'not.a.valid-token');
    const post = await agent.post('/api/echo').set('X-CSRF', '1').send({ a: 1 });
    assert.equal(post.status, 401, 'the upstream 401 passes through');
    assert.deepEqual(post.body, { message: 'Unauthorized' });
    assert.equal(refreshCalls(stack), before + 1);
    assert.ok(session);
  });
});

describe('token refresh when Cognito is down', () => {
  it('keeps the session and answers 503 with Retry-After; works again when Cognito is back', async () => {
    const stack = await startTestStack();
    const gate = await switchableProxy(stack.cognitoEndpoint);
    const bff = await startBff({ stack, cognitoEndpoint: gate.url });
    try {
      const agent = agentFor(bff.url);
      await signIn(agent, 'bob', 'Bob-Passw0rd!');
      await ageTokens(bff, agent);
      gate.up = false;
      const down = await agent.get('/api/echo').set('X-CSRF', '1');
      assert.equal(down.status, 503);
      assert.equal(down.body.error, 'refresh_unavailable');
      assert.ok(down.headers['retry-after']);
      gate.up = true;
      const back = await agent.get('/api/echo').set('X-CSRF', '1');
      assert.equal(back.status, 200, 'the same session works once Cognito answers');
    } finally {
      await bff.close();
      await gate.close();
      await stack.close();
    }
  });
});

describe('refresh token rotation', () => {
  it('uses GetTokensFromRefreshToken and stores the new refresh token', async () => {
    const stack = await startTestStack();
    const { UserPoolClient } = await stack.cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: stack.poolId,
        ClientName: 'rotating',
        GenerateSecret: true,
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 },
      }),
    );
    const rotating = stack.pool().clients.get(UserPoolClient?.ClientId ?? '');
    assert.ok(rotating?.ClientSecret);
    const bff = await startBff({
      stack: { ...stack, secretClient: rotating as typeof stack.secretClient },
      env: { COGNITO_REFRESH_TOKEN_ROTATION: 'true' },
    });
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
