import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { agentFor, cookieHeader, signIn } from '../support/browserless.js';
import { startBff } from '../support/bff.js';
import { fakeHttp } from '../support/faults.js';

interface Call {
  status: number;
  ms: number;
  error?: string;
  retryAfter: string | null;
}

async function call(url: string, cookie: string): Promise<Call> {
  const started = performance.now();
  const res = await fetch(url, { headers: { cookie, 'x-csrf': '1' } });
  const body = (await res.json()) as { error?: string };
  return { status: res.status, ms: performance.now() - started, retryAfter: res.headers.get('retry-after'), ...body };
}

const round = (ms: number) => Math.round(ms);

describe('one API path that hangs, with every connection to the API taken', () => {
  it('504s at the deadline from arrival; calls waiting for a connection get 503 with Retry-After; the rest recovers', async (t) => {
    const hung: (() => void)[] = [];
    const upstream = await fakeHttp((req, res) => {
      if (req.url?.startsWith('/test/slow')) hung.push(() => res.destroy());
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"fast":true}');
    });
    const bff = await startBff({
      apiBaseUrl: `${upstream.url}/test`,
      env: { PROXY_TIMEOUT_MS: '1500', PROXY_MAX_CONNECTIONS: '8', PROXY_QUEUE_TIMEOUT_MS: '300' },
    });
    try {
      const agent = agentFor(bff.url);
      await signIn(agent, 'bob', 'Bob-Passw0rd!');
      const cookie = cookieHeader(agent);
      const before = await call(`${bff.url}/api/fast`, cookie);
      assert.equal(before.status, 200);

      // 12 calls hang on one path: 8 hold every connection, 4 wait for one.
      const slow = Array.from({ length: 12 }, () => call(`${bff.url}/api/slow`, cookie));
      await new Promise((resolve) => setTimeout(resolve, 150));
      const fastBeside: Call[] = [];
      for (let i = 0; i < 4; i++) fastBeside.push(await call(`${bff.url}/api/fast`, cookie));
      const slowResults = await Promise.all(slow);

      const timedOut = slowResults.filter((r) => r.status === 504);
      const busy = slowResults.filter((r) => r.status === 503);
      t.diagnostic(
        `hung path: ${timedOut.length} × 504 after ${timedOut.map((r) => round(r.ms)).join(', ')} ms; ` +
          `${busy.length} × 503 after ${busy.map((r) => round(r.ms)).join(', ')} ms; a fast path beside it: ` +
          fastBeside.map((r) => `${r.status} in ${round(r.ms)} ms`).join(', '),
      );
      assert.equal(timedOut.length, 8, 'the calls holding a connection time out');
      for (const r of timedOut) {
        assert.equal(r.error, 'upstream_timeout');
        assert.ok(r.ms < 2200, `504 at PROXY_TIMEOUT_MS from arrival (1.5 s), not later: ${round(r.ms)} ms`);
      }
      assert.equal(busy.length, 4, 'the calls waiting for a connection are told the API is busy');
      for (const r of [...busy, ...fastBeside]) {
        assert.equal(r.status, 503);
        assert.equal(r.error, 'upstream_busy');
        assert.ok(Number(r.retryAfter) >= 1, 'with Retry-After');
        assert.ok(r.ms < 1000, `after PROXY_QUEUE_TIMEOUT_MS (0.3 s), not queued without bound: ${round(r.ms)} ms`);
      }

      const after = await call(`${bff.url}/api/fast`, cookie);
      assert.equal(after.status, 200, 'once the hung calls have timed out, the connections serve again');
      assert.ok(after.ms < 1000);
    } finally {
      for (const end of hung) end();
      await bff.close();
      await upstream.close();
    }
  });
});
