import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { agentFor, cookieHeader, postForm, signIn } from '../support/browserless.js';
import { startBff } from '../support/bff.js';
import type { TestBff } from '../support/bff.js';
import { freePort } from '../support/faults.js';
import { startOwnRedis, testPrefix } from '../support/redis.js';
import type { OwnRedis } from '../support/redis.js';
import { startTestStack } from '../support/stack.js';
import type { TestStack } from '../support/stack.js';

/** Longer than any answer the BFF should give, shorter than the freeze: a request that waits for Redis. */
const GIVE_UP_MS = 3000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Answer {
  kind: string;
  status: number;
  ms: number;
  retryAfter: string | null;
}

/** What a browser would send: a page, an API call and the load balancer's readiness probe, round and round. */
const REQUESTS: Record<string, (cookie: string) => RequestInit & { path: string }> = {
  page: (cookie) => ({ path: '/', headers: { cookie, accept: 'text/html' } }),
  api: (cookie) => ({ path: '/api/echo', headers: { cookie, 'x-csrf': '1' } }),
  readyz: () => ({ path: '/readyz' }),
};

async function load(url: string, cookie: string, workers: number, until: () => boolean): Promise<Answer[]> {
  const answers: Answer[] = [];
  const kinds = Object.keys(REQUESTS);
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      for (let i = worker; !until(); i++) {
        const kind = kinds[i % kinds.length] ?? 'page';
        const { path, ...init } = REQUESTS[kind]?.(cookie) ?? { path: '/' };
        const started = performance.now();
        try {
          const res = await fetch(url + path, { ...init, redirect: 'manual', signal: AbortSignal.timeout(GIVE_UP_MS) });
          await res.arrayBuffer();
          answers.push({
            kind,
            status: res.status,
            ms: performance.now() - started,
            retryAfter: res.headers.get('retry-after'),
          });
        } catch {
          // No answer at all: the test gives up on it (status 0), so a hung BFF fails the test instead of hanging it.
          answers.push({ kind, status: 0, ms: performance.now() - started, retryAfter: null });
        }
      }
    }),
  );
  return answers;
}

/** Stops a load after `n` requests. */
const countdown = (n: number) => () => n-- <= 0;

const storeErrors = async (bff: TestBff) =>
  (await bff.deps.metrics.storeErrors.get()).values.reduce((sum, v) => sum + v.value, 0);

describe('a Redis that stops answering (SIGSTOP) under load', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack();
  });
  after(() => stack.close());

  it('pages and API calls answer 503 with Retry-After, /readyz 503, within the deadline; the session works after', async (t) => {
    const redis = await startOwnRedis(t);
    if (!redis) return;
    const bff = await startBff({
      stack,
      env: { SESSION_STORE: 'redis', REDIS_URL: redis.url, REDIS_KEY_PREFIX: testPrefix(), LOG_LEVEL: 'warn' },
    });
    try {
      const agent = agentFor(bff.url);
      await signIn(agent, 'alice', 'Alice-Passw0rd!');
      const cookie = cookieHeader(agent);
      const before = await load(bff.url, cookie, 1, countdown(3));
      assert.deepEqual(
        before.map((a) => a.status),
        [200, 200, 200],
        'all answer before the freeze',
      );
      const logsBefore = bff.logs.length;
      const errorsBefore = await storeErrors(bff);

      redis.freeze();
      const frozenFor = 4000;
      const frozenAt = performance.now();
      const during = await load(bff.url, cookie, 8, () => performance.now() - frozenAt > frozenFor);
      redis.thaw();

      const longest = Math.max(...during.map((a) => a.ms));
      const byKind = (kind: string) => during.filter((a) => a.kind === kind);
      t.diagnostic(
        `Redis frozen ${frozenFor} ms: ${during.length} answers, longest ${Math.round(longest)} ms; ` +
          `longest page ${Math.round(Math.max(...byKind('page').map((a) => a.ms)))} ms, ` +
          `API ${Math.round(Math.max(...byKind('api').map((a) => a.ms)))} ms, ` +
          `/readyz ${Math.round(Math.max(...byKind('readyz').map((a) => a.ms)))} ms`,
      );
      assert.ok(during.length >= 24, `a real load: ${during.length} answers`);
      assert.deepEqual(
        [...new Set(during.map((a) => a.status))],
        [503],
        'every answer with Redis frozen is a 503 (store deadline 500 ms)',
      );
      assert.ok(longest < 2000, `no answer waits for Redis: the longest took ${Math.round(longest)} ms`);
      for (const a of during.filter((x) => x.kind !== 'readyz')) assert.ok(Number(a.retryAfter) > 0, 'Retry-After');

      // Back: the same session works again without a restart.
      let back: Answer | undefined;
      for (let i = 0; i < 100 && back?.status !== 200; i++) {
        [back] = await load(bff.url, cookie, 1, countdown(1));
        if (back?.status !== 200) await sleep(100);
      }
      assert.equal(back?.status, 200, 'the same session works once Redis answers again');
      const api = await fetch(`${bff.url}/api/echo`, { headers: { cookie, 'x-csrf': '1' } });
      assert.equal(api.status, 200);

      // The log tells the outage, not each failure; the metrics count every failure.
      for (let i = 0; i < 50 && !bff.logs.slice(logsBefore).some((l) => l.includes('available again')); i++) {
        await sleep(100);
      }
      const lines = bff.logs.slice(logsBefore).map((l) => JSON.parse(l) as Record<string, unknown>);
      t.diagnostic(
        `log lines for the outage at LOG_LEVEL=warn: ${lines.length} (${lines.map((l) => l['msg']).join('; ')})`,
      );
      assert.equal(lines[0]?.['msg'], 'redis unavailable');
      const backLine = lines.find((l) => l['msg'] === 'redis available again');
      assert.ok(backLine, 'a line when Redis is back');
      // Counted from the first failure (one deadline into the freeze) to the first answer after it.
      const downFor = Number(backLine['downForMs']);
      assert.ok(downFor >= frozenFor - 1000 && downFor <= frozenFor + 2000, `outage length ${downFor} ms`);
      assert.ok(lines.length <= 5, `a handful of lines, not one per failed request: ${lines.length}`);
      const failedCalls = during.filter((a) => a.kind !== 'readyz').length;
      assert.ok(
        (await storeErrors(bff)) - errorsBefore >= failedCalls,
        'bff_session_store_errors_total counts every failed call',
      );
    } finally {
      redis.thaw();
      await bff.close();
      await redis.stop();
    }
  });
});

describe('a Redis that is not there when the BFF starts', () => {
  it('the BFF starts not ready, and once Redis is up, sessions and the sign-in limits work', async (t) => {
    const port = await freePort();
    const stack = await startTestStack();
    const bff = await startBff({
      stack,
      env: {
        SESSION_STORE: 'redis',
        REDIS_URL: `redis://127.0.0.1:${port}`,
        REDIS_KEY_PREFIX: testPrefix(),
        SIGN_IN_LIMIT_PER_USERNAME: '2',
      },
    });
    let redis: OwnRedis | undefined;
    try {
      const early = await postForm(agentFor(bff.url), '/login', { username: 'bob', password: 'wrong' });
      assert.equal(early.status, 503, 'an attempt that cannot be counted does not reach Cognito');
      assert.ok(Number(early.headers['retry-after']) > 0, 'Retry-After');
      assert.equal((await fetch(`${bff.url}/readyz`)).status, 503, 'not ready while Redis is not there');
      redis = await startOwnRedis(t, port);
      if (!redis) return;
      let ready = 503;
      for (let i = 0; i < 60 && ready !== 200; i++) {
        await sleep(100);
        ready = (await fetch(`${bff.url}/readyz`)).status;
      }
      assert.equal(ready, 200, 'ready once Redis answers');
      const attempts = [];
      for (let i = 0; i < 3; i++) {
        attempts.push((await postForm(agentFor(bff.url), '/login', { username: 'bob', password: 'wrong' })).status);
      }
      assert.deepEqual(attempts, [401, 401, 429], 'the per-username limit holds');
      const agent = agentFor(bff.url);
      await signIn(agent, 'alice', 'Alice-Passw0rd!');
      assert.equal((await agent.get('/api/echo').set('X-CSRF', '1')).status, 200);
      assert.ok(
        !bff.logs.some((l) => l.includes('error from store')),
        'limiter store failures are not logged per request',
      );
    } finally {
      await bff.close();
      await redis?.stop();
      await stack.close();
    }
  });
});
