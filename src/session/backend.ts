import { RedisStore } from 'connect-redis';
import type { Store as RateLimitStore } from 'express-rate-limit';
import type { SessionData, Store } from 'express-session';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { createOutageLog } from '../ops/outage-log.js';
import { connectRedis, createRedis } from '../redis/client.js';
import { systemClock } from '../ops/clock.js';
import type { Clock } from '../shared/clock.js';
import type { Redis } from '../redis/client.js';
import { RedisLimitStore } from '../redis/rate-limit-store.js';
import { memoryLock, redisLock } from '../tokens/lock.js';
import type { RefreshLock } from '../tokens/lock.js';
import { createSealer } from '../tokens/sealer.js';
import type { Sealer } from '../tokens/sealer.js';
import { createTokenVault, memoryKeyValue, vaultKey } from '../tokens/vault.js';
import type { KeyValue, TokenVault } from '../tokens/vault.js';
import { refuse } from '../http/refusals.js';
import { GuardedStore } from './guarded-store.js';
import { PruningMemoryStore } from './memory-store.js';
import { IndexedStore } from './indexed-store.js';
import { TokenLinkedStore } from './token-linked-store.js';
import { parseSession } from './record.js';
import { memoryIndex, redisIndex } from './user-index.js';
import type { SessionIndex } from './user-index.js';

/** Everything that holds state: sessions, sealed tokens and the refresh lock, in memory or in Redis. */
export interface Backend {
  kind: 'memory' | 'redis';
  store: Store;
  vault: TokenVault;
  lock: RefreshLock;
  sealer: Sealer;
  /** Each user's signed-in sessions (the sessions page; ending them all), in the same store. */
  index: SessionIndex;
  /**
   * What an API call needs, in one store round trip: the session record and, beside it, its sealed tokens. The
   * session is only to be read. Throws the store's 503 when the store cannot answer.
   */
  readForApi(sid: string): Promise<ApiRecord>;
  /** A rate-limit store shared by all instances, or undefined for the in-process one. */
  rateLimitStore?: (prefix: string) => RateLimitStore;
  /** True when the store answers (readiness). */
  ready(): Promise<boolean>;
  close(): Promise<void>;
}

export interface ApiRecord {
  session: Readonly<SessionData> | undefined;
  sealedTokens: string | undefined;
}

/**
 * How long a session record lives from now, in seconds: the idle timeout, but never past the absolute end
 * (`auth.expiresAt`, or the cookie's expiry before sign-in).
 */
export function sessionTtlSeconds(session: SessionData, idleTimeoutSeconds: number, now = Date.now()): number {
  const end =
    session.auth?.expiresAt ?? (session.cookie?.expires ? new Date(session.cookie.expires).getTime() : undefined);
  const remaining = end === undefined ? idleTimeoutSeconds : Math.ceil((end - now) / 1000);
  return Math.max(0, Math.min(idleTimeoutSeconds, remaining));
}

function redisKeyValue({ client, run }: Redis, prefix: string): KeyValue {
  return {
    async get(key) {
      return (await run(client.get(prefix + key))) ?? undefined;
    },
    async set(key, value, ttlMs) {
      await run(client.set(prefix + key, value, { expiration: { type: 'PX', value: ttlMs } }));
    },
    async expire(key, ttlMs) {
      await run(client.pExpire(prefix + key, ttlMs));
    },
    async del(key) {
      await run(client.del(prefix + key));
    },
  };
}

/** What connect-redis calls on its client, each command through the deadline. */
function sessionClient({ client, run }: Redis) {
  return {
    get: (key: string) => run(client.get(key)),
    set: (key: string, value: string, options: Parameters<typeof client.set>[2]) =>
      run(client.set(key, value, options)),
    expire: (key: string, seconds: number) => run(client.expire(key, seconds)),
    del: (keys: string[]) => run(client.del(keys)),
    mGet: (keys: string[]) => run(client.mGet(keys)),
    async *scanIterator(options: { MATCH: string; COUNT: number }) {
      let cursor = '0';
      do {
        const reply = await run(client.scan(cursor, options));
        cursor = reply.cursor;
        yield reply.keys;
      } while (cursor !== '0');
    },
  };
}

export interface BackendHooks {
  /** Counts a failed store call (metrics); Redis outages are logged by the Redis connection itself. */
  onStoreError(operation: string, err: unknown): void;
}

/** `clock` gives the time lifetimes are counted from; Redis counts a TTL down on its own clock once it is set. */
export async function createBackend(
  config: Config,
  logger: Logger,
  hooks: BackendHooks,
  clock: Clock = systemClock,
): Promise<Backend> {
  const sealer = createSealer(config.tokens.encryptionKey, config.tokens.oldKeys);
  const now = () => clock.now();
  const ttl = (session: SessionData) => sessionTtlSeconds(session, config.session.idleTimeoutSeconds, now());
  switch (config.session.store) {
    case 'memory': {
      const store = new PruningMemoryStore(ttl, undefined, now);
      const kv = memoryKeyValue(now);
      const index = memoryIndex(config.session.secret, (sid) => store.peek(sid), now);
      return {
        kind: 'memory',
        store: new GuardedStore(new IndexedStore(new TokenLinkedStore(store, kv, ttl), index, now), hooks.onStoreError),
        vault: createTokenVault(kv, sealer),
        lock: memoryLock(),
        sealer,
        index,
        async readForApi(sid) {
          return { session: store.peek(sid), sealedTokens: await kv.get(vaultKey(sid)) };
        },
        ready: () => Promise.resolve(true),
        close: async () => {
          store.close();
          index.close();
        },
      };
    }
    case 'redis': {
      if (!config.redis) throw new Error('SESSION_STORE=redis needs REDIS_URL');
      const redis = createRedis({
        url: config.redis.url,
        commandTimeoutMs: config.redis.commandTimeoutMs,
        outage: createOutageLog({ logger, dependency: 'redis' }),
      });
      await connectRedis(redis, logger);
      const { client, run } = redis;
      const prefix = config.redis.keyPrefix;
      const sessionPrefix = `${prefix}sess:`;
      const kv = redisKeyValue(redis, prefix);
      const store = new RedisStore({ client: sessionClient(redis), prefix: sessionPrefix, ttl, serializer: JSON });
      const index = redisIndex(config.session.secret, redis, prefix, sessionPrefix, now);
      return {
        kind: 'redis',
        store: new GuardedStore(new IndexedStore(new TokenLinkedStore(store, kv, ttl), index, now), hooks.onStoreError),
        vault: createTokenVault(kv, sealer),
        lock: redisLock(redis, prefix),
        sealer,
        index,
        async readForApi(sid) {
          let values: (string | null)[];
          try {
            values = await run(client.mGet([sessionPrefix + sid, prefix + vaultKey(sid)]));
          } catch (err) {
            hooks.onStoreError('api_read', err);
            throw refuse.storeUnavailable();
          }
          const [session, sealedTokens] = values;
          return { session: session ? parseSession(session) : undefined, sealedTokens: sealedTokens ?? undefined };
        },
        rateLimitStore: (name) => new RedisLimitStore(redis, `${prefix}${name}`),
        ready: () => redis.ping(),
        close: () => redis.close(),
      };
    }
  }
}
