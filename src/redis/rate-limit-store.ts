import type { ClientRateLimitInfo, IncrementResponse, Options, Store } from 'express-rate-limit';
import { RedisStore } from 'rate-limit-redis';
import type { Redis } from './client.js';

/**
 * express-rate-limit's counters in Redis (rate-limit-redis), every command through the Redis deadline, and able to
 * recover from a Redis that was not there at start-up: rate-limit-redis loads its scripts once, in `init`, and when
 * that fails every later count fails with it, so the limits stayed off (each request let through) until a restart,
 * even with Redis back. Here a failed load is tried again on the next count.
 */
export class RedisLimitStore implements Store {
  private readonly inner: RedisStore;
  private options: Options | undefined;
  private loaded: Promise<void> | undefined;

  constructor(
    redis: Redis,
    /** Also what express-rate-limit tells its stores apart by (one store per limiter). */
    readonly prefix: string,
  ) {
    this.inner = new RedisStore({
      prefix,
      sendCommand: (...args: string[]) => redis.run(redis.client.sendCommand(args)) as Promise<never>,
    });
  }

  private load(): Promise<void> {
    if (!this.options) return Promise.resolve();
    this.loaded ??= this.inner.init(this.options).catch((err: unknown) => {
      this.loaded = undefined;
      throw err;
    });
    return this.loaded;
  }

  init(options: Options): void {
    this.options = options;
    // A failure here is retried on the next count; the Redis connection logs the outage.
    this.load().catch(() => undefined);
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    await this.load();
    return this.inner.get(key);
  }

  async increment(key: string): Promise<IncrementResponse> {
    await this.load();
    return this.inner.increment(key);
  }

  async decrement(key: string): Promise<void> {
    await this.load();
    await this.inner.decrement(key);
  }

  async resetKey(key: string): Promise<void> {
    await this.load();
    await this.inner.resetKey(key);
  }
}
