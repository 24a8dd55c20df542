import type { Clock } from '../shared/clock.js';

/** The real time, for everything outside tests. */
export const systemClock: Clock = { now: () => Date.now() };
