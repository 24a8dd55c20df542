import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { awsModeEnv, spawnBff } from '../support/bff-process.js';
import type { BffProcess } from '../support/bff-process.js';
import { startTestStack } from '../support/stack.js';
import type { TestStack } from '../support/stack.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Answer {
  status: number;
  connection: string;
  body: string;
}

/** One GET on a connection of its own, as a probe or a scraper sends it. */
function get(url: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, connection: String(res.headers['connection'] ?? ''), body }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** Waits (generously) for a line of the process's start-up output. */
async function outputMatching(bff: BffProcess, pattern: RegExp): Promise<RegExpExecArray> {
  for (let i = 0; i < 100; i++) {
    const match = pattern.exec(bff.output());
    if (match) return match;
    await sleep(50);
  }
  assert.fail(`no line matching ${pattern} in:\n${bff.output()}`);
}

describe('listeners and start-up output (the real process)', () => {
  let stack: TestStack;
  const running: BffProcess[] = [];
  before(async () => {
    stack = await startTestStack();
  });
  after(async () => {
    for (const bff of running) await bff.stop('SIGKILL');
    await stack.close();
  });
  const spawn = async (overrides: Record<string, string>) => {
    const bff = await spawnBff(awsModeEnv(stack, overrides));
    running.push(bff);
    return bff;
  };

  it('with OPS_PORT, the operations listener serves /healthz, /readyz and /metrics; the public one no /metrics', async () => {
    const bff = await spawn({ OPS_PORT: '0', SHUTDOWN_DELAY_MS: '1000' });
    const [, opsUrl = ''] = await outputMatching(
      bff,
      /Operations listener \(\/healthz, \/readyz, \/metrics; open\) at (http:\/\/127\.0\.0\.1:\d+)\//,
    );
    assert.notEqual(opsUrl, bff.url);
    const metrics = await get(`${opsUrl}/metrics`);
    assert.equal(metrics.status, 200);
    assert.match(metrics.body, /# HELP bff_sign_ins_total/);
    assert.equal((await get(`${opsUrl}/readyz`)).status, 200);
    assert.equal((await get(`${opsUrl}/healthz`)).status, 200);
    assert.equal((await get(`${opsUrl}/login`)).status, 404, 'nothing else is served there');

    const publicMetrics = await get(`${bff.url}/metrics`);
    assert.equal(publicMetrics.status, 404);
    assert.doesNotMatch(publicMetrics.body, /bff_/);
    assert.equal((await get(`${bff.url}/healthz`)).status, 200, 'load balancers still probe the public listener');
    assert.equal((await get(`${bff.url}/readyz`)).status, 200);

    // SIGTERM stops both: the operations listener answers not-ready and closes its connections, then both close.
    const exit = once(bff.child, 'exit');
    bff.child.kill('SIGTERM');
    let ready = await get(`${opsUrl}/readyz`);
    for (let i = 0; i < 40 && ready.status === 200; i++) {
      await sleep(25);
      ready = await get(`${opsUrl}/readyz`);
    }
    assert.equal(ready.status, 503);
    assert.equal(ready.connection, 'close');
    const [code] = (await exit) as [number | null];
    assert.equal(code, 0);
    await assert.rejects(get(`${opsUrl}/healthz`), { code: 'ECONNREFUSED' });
  });

  it('with NODE_ENV=production and no allowance, says /metrics is not served, and how to serve it', async () => {
    const bff = await spawn({ NODE_ENV: 'production' });
    await outputMatching(bff, /Metrics are not served on the public listener with NODE_ENV=production: set OPS_PORT/);
    assert.equal((await get(`${bff.url}/metrics`)).status, 404);
    await bff.stop();
  });

  it('OPS_PORT taken: exits 1 with a message naming OPS_PORT', async () => {
    const taken = createServer().listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const { port } = taken.address() as AddressInfo;
    try {
      await assert.rejects(
        spawn({ OPS_PORT: String(port) }),
        /exited with 1:[\s\S]*Port \d+ on 127\.0\.0\.1 is already in use\. Set OPS_PORT to another port/,
      );
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('TRUST_PROXY=true with an http BASE_URL starts, with one warning line naming the risk and the fix', async () => {
    const bff = await spawn({ TRUST_PROXY: 'true' });
    await outputMatching(bff, /"setting":"TRUST_PROXY"/);
    const warnings = bff
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: number; setting?: string; msg: string })
      .filter((line) => line.setting === 'TRUST_PROXY');
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]?.level, 40, 'a warning');
    assert.match(warnings[0]?.msg ?? '', /any client can choose its own address and escape the per-IP sign-in limit/);
    assert.match(warnings[0]?.msg ?? '', /the hop count to your proxy \(usually 1\) or its addresses/);
    await bff.stop();

    const quiet = await spawn({ TRUST_PROXY: '1' });
    await outputMatching(quiet, /running at/);
    assert.doesNotMatch(quiet.output(), /TRUST_PROXY/);
    await quiet.stop();
  });
});
