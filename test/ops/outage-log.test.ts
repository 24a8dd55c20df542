import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { createLogger } from '../../src/http/logger.js';
import { createOutageLog } from '../../src/ops/outage-log.js';

function harness() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      cb();
    },
  });
  let now = 1_000_000;
  const log = createOutageLog({
    logger: createLogger('warn', sink),
    dependency: 'redis',
    summaryEveryMs: 10_000,
    settleMs: 1_000,
    now: () => now,
  });
  return {
    log,
    lines,
    /** Moves the clock, running the periodic check each second as its timer would. */
    advance(ms: number) {
      for (let step = 0; step < ms; step += 1000) {
        now += Math.min(1000, ms - step);
        log.check();
      }
    },
  };
}

const timeout = () => Object.assign(new Error('redis did not answer within 500 ms'), { name: 'DeadlineError' });

describe('outage log', () => {
  it('logs a 3-second outage with 10,000 failed calls in two lines: down, and back with its length', () => {
    const { log, lines, advance } = harness();
    for (let i = 0; i < 10_000; i++) {
      log.failed(timeout());
      if (i % 3334 === 0) advance(1000);
    }
    log.succeeded();
    advance(2000);
    try {
      assert.equal(lines.length, 2, JSON.stringify(lines));
      assert.equal(lines[0]?.['msg'], 'redis unavailable');
      assert.equal((lines[0]?.['err'] as { name: string }).name, 'DeadlineError');
      assert.equal(lines[1]?.['msg'], 'redis available again');
      assert.equal(lines[1]?.['failures'], 10_000);
      assert.equal(lines[1]?.['downForMs'], 3000);
    } finally {
      log.close();
    }
  });

  it('while an outage lasts, writes the count of failures at most every 10 s, by error', () => {
    const { log, lines, advance } = harness();
    log.failed(timeout());
    for (let second = 0; second < 30; second++) {
      for (let i = 0; i < 100; i++) log.failed(Object.assign(new Error('offline'), { name: 'ClientOfflineError' }));
      advance(1000);
    }
    log.close();
    const summaries = lines.filter((l) => l['msg'] === 'redis still unavailable');
    assert.equal(lines[0]?.['msg'], 'redis unavailable');
    assert.equal(summaries.length, 3);
    assert.deepEqual(
      summaries.map((l) => l['failures']),
      [1000, 1000, 1000],
    );
    assert.deepEqual(summaries[0]?.['byError'], { ClientOfflineError: 1000 });
  });

  it('is not back while failures go on between successes, and says nothing while the dependency is up', () => {
    const { log, lines, advance } = harness();
    for (let i = 0; i < 100; i++) log.succeeded();
    assert.equal(lines.length, 0);
    for (let second = 0; second < 5; second++) {
      log.failed(timeout());
      log.succeeded();
      advance(500);
    }
    assert.equal(lines.length, 1, 'only the first failure is logged while calls keep failing now and then');
    advance(2000);
    assert.equal(lines.at(-1)?.['msg'], 'redis available again');
    log.close();
  });
});
