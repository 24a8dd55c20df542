import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { awsModeEnv, spawnBff } from '../support/bff-process.js';
import type { BffProcess } from '../support/bff-process.js';
import { startTestStack } from '../support/stack.js';
import type { TestStack } from '../support/stack.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
