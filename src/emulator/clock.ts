/** Milliseconds since the epoch. Injected so tests can move time forward without waiting. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

/** A clock that tests can advance; it starts at the real time. */
export function manualClock(start = Date.now()): Clock & { advance(ms: number): void } {
  let now = start;
  const clock = (() => now) as Clock & { advance(ms: number): void };
  clock.advance = (ms: number) => {
    now += ms;
  };
  return clock;
}
