import type { Clock } from '../../src/shared/clock.js';

export interface TestClock extends Clock {
  /** Moves the clock forward: from now on it reads `ms` later than before. */
  advance(ms: number): void;
}

/**
 * The real time plus however far the test has moved it. It keeps ticking with the real time, so the parts that
 * read it agree with the parts that cannot (express-session's cookie dates, timers) until the test moves it.
 */
export function testClock(): TestClock {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    advance(ms) {
      offset += ms;
    },
  };
}
