import { randomUUID } from 'node:crypto';
import type { Redis } from '../redis/client.js';

export type Release = () => Promise<void>;

/** Serialises token refresh per session. `acquire` resolves to a release function, or undefined on timeout. */
export interface RefreshLock {
  acquire(key: string, ttlMs: number, waitMs: number): Promise<Release | undefined>;
}

/** One process: a holder and a queue of waiters per key; a waiter gives up after `waitMs`. */
export function memoryLock(): RefreshLock {
  const locks = new Map<string, { waiters: ((release: Release) => void)[] }>();
  const releaser = (key: string): Release => {
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      const lock = locks.get(key);
      const next = lock?.waiters.shift();
      if (next) next(releaser(key));
      else locks.delete(key);
    };
  };
  return {
    acquire(key, _ttlMs, waitMs) {
      const lock = locks.get(key);
      if (!lock) {
        locks.set(key, { waiters: [] });
        return Promise.resolve(releaser(key));
      }
      return new Promise((resolve) => {
        const waiter = (release: Release) => {
          clearTimeout(timer);
          resolve(release);
        };
        const timer = setTimeout(() => {
          lock.waiters.splice(lock.waiters.indexOf(waiter), 1);
          resolve(undefined);
        }, waitMs);
        lock.waiters.push(waiter);
      });
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
export function redisLock({ client, run }: Redis, prefix: string): RefreshLock {
  return {
    async acquire(key, ttlMs, waitMs) {
      const token = randomUUID();
      const name = `${prefix}lock:${key}`;
      const deadline = Date.now() + waitMs;
      for (let attempt = 0; ; attempt++) {
        const ok = await run(client.set(name, token, { condition: 'NX', expiration: { type: 'PX', value: ttlMs } }));
        if (ok === 'OK') {
          return async () => {
            await run(client.eval(RELEASE, { keys: [name], arguments: [token] }));
          };
        }
        if (Date.now() >= deadline) return undefined;
        await sleep(Math.min(10 * 2 ** Math.min(attempt, 3), 80));
      }
    },
  };
}
