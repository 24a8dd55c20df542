import { randomUUID } from 'node:crypto';
import type { RedisClient } from '../redis/client.js';

export type Release = () => Promise<void>;

/** Serialises token refresh per session. `acquire` resolves to a release function, or undefined on timeout. */
export interface RefreshLock {
  acquire(key: string, ttlMs: number, waitMs: number): Promise<Release | undefined>;
}

/** One process: a queue per key. */
export function memoryLock(): RefreshLock {
  const tails = new Map<string, Promise<void>>();
  return {
    async acquire(key) {
      const previous = tails.get(key) ?? Promise.resolve();
      let release!: () => void;
      const mine = new Promise<void>((resolve) => (release = resolve));
      const tail = previous.then(() => mine);
      tails.set(key, tail);
      await previous;
      return async () => {
        release();
        if (tails.get(key) === tail) tails.delete(key);
      };
    },
  };
}

// Deletes the lock only if it still holds our token, so a lock that expired and was taken by another instance is
// never released by us.
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Across instances: `SET key token NX PX ttl`, retried until `waitMs`; released only by its owner (compare and
 * delete in one script). The TTL bounds how long a crashed holder blocks others.
 */
export function redisLock(client: RedisClient, prefix: string): RefreshLock {
  return {
    async acquire(key, ttlMs, waitMs) {
      const token = randomUUID();
      const name = `${prefix}lock:${key}`;
      const deadline = Date.now() + waitMs;
      for (let attempt = 0; ; attempt++) {
        const ok = await client.set(name, token, { condition: 'NX', expiration: { type: 'PX', value: ttlMs } });
        if (ok === 'OK') {
          return async () => {
            await client.eval(RELEASE, { keys: [name], arguments: [token] });
          };
        }
        if (Date.now() >= deadline) return undefined;
        await sleep(Math.min(10 * 2 ** Math.min(attempt, 3), 80));
      }
    },
  };
}
