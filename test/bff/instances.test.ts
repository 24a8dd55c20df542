import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import request from 'supertest';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/http/logger.js';
import { createBackend } from '../../src/session/backend.js';
import type { Backend } from '../../src/session/backend.js';
import { awsModeEnv, spawnBff } from '../support/bff-process.js';
import { agentFor, postForm } from '../support/browserless.js';
import type { BffProcess } from '../support/bff-process.js';
import { dropPrefix, needRedis, REDIS_URL, testPrefix } from '../support/redis.js';
import { startTestStack } from '../support/stack.js';
import type { TestStack } from '../support/stack.js';
import { redactCredential } from '../../src/lambda/redact.js';

const KEY = Buffer.alloc(32, 9);

describe('several BFF instances on one Redis', () => {
  let stack: TestStack;
  let a: BffProcess | undefined;
  let b: BffProcess | undefined;
  let backend: Backend | undefined;
  const prefix = testPrefix();
  let env: Record<string, string>;

  before(async () => {
    stack = await startTestStack();
    env = awsModeEnv(stack, {
      SESSION_SECRET: 'shared-session-secret-for-both-instances-0123',
      TOKEN_ENCRYPTION_KEY: KEY.toString('base64'),
      SESSION_STORE: 'redis',
      REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
    });
  });
  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await backend?.close();
    await stack.close();
    await dropPrefix(prefix);
  });

  async function start(t: TestContext): Promise<boolean> {
    if (!(await needRedis(t))) return false;
    if (!a || !b) [a, b] = await Promise.all([spawnBff(env), spawnBff(env)]);
    backend ??= await createBackend(
      loadConfig(
        { LOG_LEVEL: 'silent', SESSION_STORE: 'redis', REDIS_URL, REDIS_KEY_PREFIX: prefix },
        {
          region: 'us-east-1',
          userPoolId: stack.poolId,
          clientId: stack.secretClient.ClientId,
          endpoint: stack.cognitoEndpoint,
          apiBaseUrl: stack.apiBaseUrl,
          sessionSecret: env['SESSION_SECRET'] ?? '',
          tokenEncryptionKey: KEY,
        },
      ),
      createLogger('silent'),
      { onStoreError: () => undefined },
    );
    return true;
  }

  async function signInOn(url: string, username: string, password: string) {
    const res = await postForm(agentFor(url), '/login', { username, password });
    assert.equal(res.status, 303);
    const cookie = (res.headers['set-cookie'] as unknown as string[])[0]?.split(';')[0] ?? '';
    const sid =
      decodeURIComponent(cookie.split('=')[1] ?? '')
        .slice(2)
        .split('.')[0] ?? '';
    return { cookie, sid };
  }

  it('a session made on A works on B', async (t) => {
    if (!(await start(t)) || !a || !b) return;
    const { cookie } = await signInOn(a.url, 'bob', 'Bob-Passw0rd!');
    const me = await request(b.url).get('/auth/me').set('Cookie', cookie);
    assert.equal(me.status, 200);
    assert.equal(me.body.username, 'bob');
    const api = await request(b.url).post('/api/').set('Cookie', cookie).set('X-CSRF', '1');
    assert.equal(api.status, 200);
    assert.equal(api.text, '"Hello from Lambda!"');
  });

  it('20 concurrent calls over A and B on an expiring session make exactly one refresh, and all use the new token', async (t) => {
    if (!(await start(t)) || !a || !b || !backend) return;
    const { cookie, sid } = await signInOn(a.url, 'alice', 'Alice-Passw0rd!');
    const stored = await backend.vault.get(sid);
    assert.ok(stored, 'the tokens are in Redis');
    await backend.vault.put(
      sid,
      { ...stored, tokens: { ...stored.tokens, idTokenExpiresAt: Date.now() + 5_000 } },
      60_000,
    );
    const before = stack.state.calls.get('InitiateAuth') ?? 0;
    const urls = [a.url, b.url];
    const pick = (i: number) => urls[i % 2] ?? '';
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => request(pick(i)).get('/api/echo').set('Cookie', cookie).set('X-CSRF', '1')),
    );
    assert.deepEqual(
      results.map((r) => r.status),
      Array(20).fill(200),
    );
    const refreshes = (stack.state.calls.get('InitiateAuth') ?? 0) - before;
    t.diagnostic(`refresh calls seen by the emulator: ${refreshes}`);
    assert.equal(refreshes, 1);
    const after = await backend.vault.get(sid);
    assert.equal(after?.version, stored.version + 1);
    const used = new Set(results.map((r) => r.body.headers['authorization'][0]));
    assert.deepEqual([...used], [redactCredential(`Bearer ${after?.tokens.idToken}`)]);
  });

  it('signing out on A ends the session on B', async (t) => {
    if (!(await start(t)) || !a || !b) return;
    const { cookie } = await signInOn(a.url, 'bob', 'Bob-Passw0rd!');
    assert.equal((await request(b.url).get('/auth/me').set('Cookie', cookie)).status, 200);
    // The sign-out form comes from B and goes to A: the instances share the key its token is signed with.
    const home = await request(b.url).get('/').set('Cookie', cookie);
    const token = /name="_csrf" value="([^"]+)"/.exec(home.text)?.[1] ?? '';
    const formCookie = ([] as string[])
      .concat(home.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith('bff.csrf='))
      ?.split(';')[0];
    const out = await request(a.url)
      .post('/logout')
      .set('Cookie', `${cookie}; ${formCookie ?? ''}`)
      .type('form')
      .send({ _csrf: token });
    assert.equal(out.status, 200);
    const next = await request(b.url).post('/api/').set('Cookie', cookie).set('X-CSRF', '1');
    assert.equal(next.status, 401);
  });

  it('a session ended from the sessions list on A is gone on B at once', async (t) => {
    if (!(await start(t)) || !a || !b) return;
    const first = await signInOn(a.url, 'alice', 'Alice-Passw0rd!');
    const second = await signInOn(b.url, 'alice', 'Alice-Passw0rd!');
    assert.equal((await request(b.url).get('/auth/me').set('Cookie', second.cookie)).status, 200);
    const list = await request(a.url).get('/auth/sessions').set('Cookie', first.cookie);
    const other = (list.body as { sessions: { id: string; current: boolean }[] }).sessions.find((s) => !s.current);
    assert.ok(other, 'the session made on B is listed on A');
    const ended = await request(a.url)
      .delete(`/auth/sessions/${other.id}`)
      .set('Cookie', first.cookie)
      .set('X-CSRF', '1');
    assert.equal(ended.status, 204);
    assert.equal((await request(b.url).post('/api/').set('Cookie', second.cookie).set('X-CSRF', '1')).status, 401);
    assert.equal((await request(b.url).get('/auth/me').set('Cookie', second.cookie)).status, 401);
    assert.equal((await request(b.url).get('/auth/me').set('Cookie', first.cookie)).status, 200, "A's own goes on");
  });

  it('stops on SIGTERM with exit code 0', async (t) => {
    if (!(await start(t)) || !a) return;
    const code = await a.stop('SIGTERM');
    a = undefined;
    assert.equal(code, 0);
  });
});
