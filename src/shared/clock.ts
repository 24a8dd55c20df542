/**
 * Where the BFF reads the time for decisions it makes itself: session lifetimes kept in JS, token expiry, the
 * sign-in challenge's timeout. Passed in with the other parts so tests move time forward instead of waiting.
 * Timers (setTimeout) and the libraries' own clocks are not behind it. A type only; the real clock is ops/clock.ts.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}
