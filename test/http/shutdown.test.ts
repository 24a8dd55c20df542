import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Agent, request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { awsModeEnv, spawnBff } from '../support/bff-process.js';
import type { BffProcess } from '../support/bff-process.js';
import { agentFor, cookieHeader, signIn } from '../support/browserless.js';
import { fakeHttp } from '../support/faults.js';
import { startTestStack } from '../support/stack.js';
import type { TestStack } from '../support/stack.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const UPSTREAM_MS = 300;

interface Result {
  status?: number;
  connection?: string;
  /** The error, when the request got no answer. */
  code?: string;
  /** When the answer (or error) came, relative to the signal. */
  at: number;
}

/** One keep-alive GET on a shared agent, as a browser or load balancer would send it; never retried. */
function get(url: string, headers: Record<string, string>, agent: Agent | false): Promise<Omit<Result, 'at'>> {
  return new Promise((resolve) => {
    const req = request(url, { headers, agent }, (res) => {
      res.resume();
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, connection: String(res.headers['connection'] ?? 'keep-alive') }),
      );
      res.on('error', (err: NodeJS.ErrnoException) => resolve({ code: err.code ?? err.message }));
    });
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ code: err.code ?? err.message }));
    req.end();
  });
}

describe('SIGTERM under load', () => {
  let stack: TestStack;
  let upstream: Awaited<ReturnType<typeof fakeHttp>>;
  let env: Record<string, string>;
  let bff: BffProcess | undefined;

  before(async () => {
    stack = await startTestStack();
    upstream = await fakeHttp((_req, res) => {
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'), UPSTREAM_MS);
    });
    env = awsModeEnv(stack, {
      API_BASE_URL: `${upstream.url}/test`,
      // Far longer than the test waits: a forced close would show as a slow exit and cut requests.
      SHUTDOWN_TIMEOUT_MS: '20000',
    });
  });
  after(async () => {
    await bff?.stop('SIGKILL');
    await upstream.close();
    await stack.close();
  });

  async function signedIn(extra: Record<string, string> = {}) {
    bff = await spawnBff({ ...env, ...extra });
    const agent = agentFor(bff.url);
    await signIn(agent, 'bob', 'Bob-Passw0rd!');
    return { url: bff.url, headers: { cookie: cookieHeader(agent), 'x-csrf': '1' } };
  }

  it('finishes every request in flight, cuts none, and exits as soon as the last one is answered', async (t) => {
    const { url, headers } = await signedIn();
    const child = bff!.child;
    const agent = new Agent({ keepAlive: true, maxSockets: 24 });
    let signalAt = 0;
    let exited = false;
    const exit = once(child, 'exit').then(([code]) => {
      exited = true;
      return { code: code as number | null, at: performance.now() - signalAt };
    });
    const results: Result[] = [];
    const worker = async () => {
      // Each worker sends its next call as soon as the last is answered, until the BFF no longer takes connections.
      for (;;) {
        const result = await get(`${url}/api/slow`, headers, agent);
        results.push({ ...result, at: signalAt ? performance.now() - signalAt : -1 });
        if (result.code || exited) return;
      }
    };
    const workers = Array.from({ length: 24 }, worker);
    await sleep(1200);
    signalAt = performance.now();
    child.kill('SIGTERM');
    const { code, at: exitMs } = await exit;
    await Promise.all(workers);
    agent.destroy();

    const afterSignal = results.filter((r) => r.at >= 0);
    const answered = afterSignal.filter((r) => r.status !== undefined);
    const refused = afterSignal.filter((r) => r.code === 'ECONNREFUSED');
    const cut = afterSignal.filter((r) => r.code !== undefined && r.code !== 'ECONNREFUSED');
    const lastAnswer = Math.max(...answered.map((r) => r.at));
    t.diagnostic(
      `${results.length - afterSignal.length} calls before SIGTERM; after it: ${answered.length} answered, ` +
        `${refused.length} refused a new connection, ${cut.length} cut; last answer ${Math.round(lastAnswer)} ms ` +
        `after the signal, exit ${Math.round(exitMs)} ms after it (code ${code})`,
    );
    assert.equal(code, 0);
    assert.deepEqual(
      cut.map((r) => r.code),
      [],
      'no request that reached the BFF was cut',
    );
    assert.ok(answered.length >= 24, `the calls in flight at the signal were answered: ${answered.length}`);
    assert.deepEqual([...new Set(answered.map((r) => r.status))], [200]);
    assert.ok(
      answered.every((r) => r.connection === 'close' || r.at < UPSTREAM_MS),
      'answers to calls that arrived while stopping close their connection',
    );
    assert.ok(refused.length > 0, 'the listener was closed');
    assert.ok(
      exitMs < 4000,
      `exits soon after the last answer, not after SHUTDOWN_TIMEOUT_MS: ${Math.round(exitMs)} ms`,
    );
    bff = undefined;
  });

  it('with SHUTDOWN_DELAY_MS, keeps answering (not ready, Connection: close) for that long, then exits', async () => {
    const { url, headers } = await signedIn({ SHUTDOWN_DELAY_MS: '1500' });
    const child = bff!.child;
    const signalAt = performance.now();
    const exit = once(child, 'exit').then(([code]) => ({
      code: code as number | null,
      at: performance.now() - signalAt,
    }));
    child.kill('SIGTERM');
    let ready = await get(`${url}/readyz`, {}, false);
    for (let i = 0; i < 40 && ready.status === 200; i++) {
      await sleep(25);
      ready = await get(`${url}/readyz`, {}, false);
    }
    const notReadyAfter = performance.now() - signalAt;
    assert.equal(ready.status, 503, '/readyz fails once stopping');
    assert.equal(ready.connection, 'close');
    assert.ok(notReadyAfter < 1000, `at once: ${Math.round(notReadyAfter)} ms`);
    const call = await get(`${url}/api/slow`, headers, false);
    assert.equal(call.status, 200, 'calls are still answered during the delay');
    assert.equal(call.connection, 'close');
    const { code, at } = await exit;
    assert.equal(code, 0);
    assert.ok(at >= 1500 && at < 5000, `exits after the delay: ${Math.round(at)} ms`);
    bff = undefined;
  });
});
