import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { agentFor, formToken, postForm, sessionIdOf, signIn } from '../support/browserless.js';
import { startBff } from '../support/bff.js';
import type { TestBff } from '../support/bff.js';
import { dropPrefix, needRedis, REDIS_URL, testPrefix } from '../support/redis.js';
import { startTestStack } from '../support/stack.js';
import type { TestStack } from '../support/stack.js';

describe('health, readiness, metrics and logs', () => {
  let bff: TestBff;
  before(async () => {
    bff = await startBff({ env: { METRICS_TOKEN: 'metrics-token-0123456789' } });
  });
  after(() => bff.close());

  it('/healthz answers while the process is up; /readyz once the store answers and the JWKS is loaded', async () => {
    const health = await agentFor(bff.url).get('/healthz');
    assert.equal(health.status, 200);
    assert.deepEqual(health.body, { status: 'ok' });
    const ready = await agentFor(bff.url).get('/readyz');
    assert.equal(ready.status, 200);
    assert.deepEqual(ready.body.checks, { store: true, jwks: true });
  });

  it('/metrics wants the configured bearer token and counts sign-ins, refreshes and proxied calls', async () => {
    assert.equal((await agentFor(bff.url).get('/metrics')).status, 401);
    assert.equal(
      (await agentFor(bff.url).get('/metrics').set('Authorization', 'Bearer wrong-token-0123456789')).status,
      401,
    );
    const agent = agentFor(bff.url);
    await signIn(agent, 'bob', 'Bob-Passw0rd!');
    await postForm(agentFor(bff.url), '/login', { username: 'bob', password: 'nope' });
    const [signedIn] = (await bff.sessions()).filter((s) => s.sid === sessionIdOf(agent));
    assert.ok(signedIn);
    // An ID token about to expire, so the proxied call below refreshes it once.
    await bff.deps.backend.vault.put(
      signedIn.sid,
      { tokens: { ...signedIn.tokens, idTokenExpiresAt: Date.now() + 5_000 }, version: signedIn.version },
      60_000,
    );
    await agent.post('/api/').set('X-CSRF', '1');
    const res = await agentFor(bff.url).get('/metrics').set('Authorization', 'Bearer metrics-token-0123456789');
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'] ?? '', /text\/plain/);
    assert.match(res.text, /bff_sign_ins_total\{outcome="signed_in"\} 1/);
    assert.match(res.text, /bff_sign_ins_total\{outcome="bad-credentials"\} 1/);
    assert.match(res.text, /bff_proxied_requests_total\{status="200"\} 1/);
    assert.match(res.text, /bff_proxy_duration_seconds_bucket/);
    assert.match(res.text, /bff_proxy_duration_seconds_count 1\n/);
    assert.match(res.text, /bff_token_refreshes_total\{outcome="ok"\} 1\n/);
    assert.match(res.text, /bff_session_store_errors_total/);
  });

  it('writes JSON log lines with a request id, echoed to the client, and no credentials', async () => {
    const agent = agentFor(bff.url);
    const token = await formToken(agent, '/login');
    const res = await agent
      .post('/login')
      .type('form')
      .set('X-Request-Id', 'trace-abc-123')
      .send({
        _csrf: token ?? '',
        username: 'alice',
        password: 'Alice-Passw0rd!',
      });
    assert.equal(res.headers['x-request-id'], 'trace-abc-123');
    const line = bff.logs.map((l) => JSON.parse(l)).find((l) => l.req?.id === 'trace-abc-123');
    assert.ok(line, 'a log line with the request id');
    assert.equal(line.req.path, '/login');
    assert.equal(line.res.status, 303);
    const all = bff.logs.join('\n');
    assert.ok(!all.includes('Alice-Passw0rd!'));
    assert.ok(!all.includes(bff.config.cognito.clientSecret ?? 'x'));
    assert.ok(!/bff\.sid=s%3A/.test(all), 'no session cookie in the logs');
    const [session] = (await bff.sessions()).filter((s) => s.sid === sessionIdOf(agent));
    assert.ok(session, 'alice is signed in');
    assert.ok(!all.includes(session.sid), 'no session id in the logs');
    for (const token of [session.tokens.idToken, session.tokens.accessToken, session.tokens.refreshToken]) {
      assert.ok(!all.includes(token), 'no token in the logs');
    }
    const bogus = await agentFor(bff.url).get('/').set('X-Request-Id', 'bad id with spaces');
    assert.notEqual(bogus.headers['x-request-id'], 'bad id with spaces');
  });
});

for (const store of ['memory', 'redis'] as const) {
  describe(`idle timeout (${store})`, () => {
    it('each request keeps the session alive; left unused past SESSION_IDLE_TIMEOUT_SECONDS it ends', async (t) => {
      if (store === 'redis' && !(await needRedis(t))) return;
      const prefix = testPrefix();
      const env: Record<string, string> =
        store === 'redis' ? { SESSION_STORE: 'redis', REDIS_URL, REDIS_KEY_PREFIX: prefix } : {};
      const bff = await startBff({ env: { ...env, SESSION_IDLE_TIMEOUT_SECONDS: '2' } });
      try {
        const agent = agentFor(bff.url);
        await signIn(agent, 'bob', 'Bob-Passw0rd!');
        for (let i = 0; i < 3; i++) {
          await bff.fastForward(1200);
          assert.equal((await agent.get('/auth/me')).status, 200, `still alive after ${(i + 1) * 1.2} s of activity`);
        }
        await bff.fastForward(3100);
        assert.equal((await agent.get('/auth/me')).status, 401, 'gone after being idle');
      } finally {
        await bff.close();
        await dropPrefix(prefix);
      }
    });
  });
}

describe('/metrics on the public listener with NODE_ENV=production', () => {
  let stack: TestStack;
  const open: TestBff[] = [];
  before(async () => {
    stack = await startTestStack();
  });
  after(async () => {
    for (const bff of open) await bff.close();
    await stack.close();
  });
  const start = async (env: Record<string, string>) => {
    const bff = await startBff({ stack, env: { NODE_ENV: 'production', ...env } });
    open.push(bff);
    return bff;
  };

  it('is not served (404 like any unknown path) unless allowed; /healthz and /readyz still are', async () => {
    const bff = await start({});
    const metrics = await agentFor(bff.url).get('/metrics');
    assert.equal(metrics.status, 404);
    assert.doesNotMatch(metrics.text, /bff_/);
    const unknown = await agentFor(bff.url).get('/no-such-path');
    assert.equal(unknown.status, 404);
    assert.equal(metrics.headers['content-type'], unknown.headers['content-type'], 'the same kind of answer');
    assert.equal(metrics.text, unknown.text, 'the same answer as an unknown path');
    assert.equal((await agentFor(bff.url).get('/healthz')).status, 200);
    assert.equal((await agentFor(bff.url).get('/readyz')).status, 200);
  });

  it('is served with METRICS_PUBLIC=true, or behind the METRICS_TOKEN bearer token', async () => {
    const allowed = await start({ METRICS_PUBLIC: 'true' });
    const res = await agentFor(allowed.url).get('/metrics');
    assert.equal(res.status, 200);
    assert.match(res.text, /# HELP bff_sign_ins_total/);
    const guarded = await start({ METRICS_TOKEN: 'metrics-token-0123456789' });
    assert.equal((await agentFor(guarded.url).get('/metrics')).status, 401);
    const authorized = await agentFor(guarded.url)
      .get('/metrics')
      .set('Authorization', 'Bearer metrics-token-0123456789');
    assert.equal(authorized.status, 200);
  });
});
