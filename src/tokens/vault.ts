import type { TokenSet } from '../cognito/auth-client.js';
import type { Sealer } from './sealer.js';

/** A session's tokens with a version that grows on every refresh. */
export interface StoredTokens {
  tokens: TokenSet;
  version: number;
  /**
   * After a refresh Cognito could not answer, no instance tries again before this time (epoch ms): the session
   * waits the Retry-After it was given instead of adding to Cognito's load.
   */
  refreshBlockedUntil?: number;
  /** These tokens come from a refresh forced by the API's 401: a 401 to them is passed on, not refreshed again. */
  forced?: true;
}

/**
 * Where a session's tokens live: beside the session record, under their own key, so a request that saves the
 * session (express-session writes the whole record) can never put back tokens older than a concurrent refresh
 * stored. Only the refresh path, holding the refresh lock, writes here. Everything is sealed at rest.
 */
export interface TokenVault {
  get(sid: string): Promise<StoredTokens | undefined>;
  /** Opens a value read from the store by other means (the API proxy reads it together with the session). */
  open(sealed: string): Promise<StoredTokens>;
  put(sid: string, value: StoredTokens, ttlMs: number): Promise<void>;
  delete(sid: string): Promise<void>;
}

/** The raw key-value operations a vault needs; memory and Redis implement them. */
export interface KeyValue {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** A new time to live for a key, if it exists. */
  expire(key: string, ttlMs: number): Promise<void>;
  del(key: string): Promise<void>;
}

/** Where a session's sealed tokens are kept in the key-value store. */
export const vaultKey = (sid: string) => `tok:${sid}`;

export function createTokenVault(kv: KeyValue, sealer: Sealer): TokenVault {
  return {
    async get(sid) {
      const sealed = await kv.get(vaultKey(sid));
      return sealed === undefined ? undefined : sealer.open<StoredTokens>(sealed);
    },
    open: (sealed) => sealer.open<StoredTokens>(sealed),
    async put(sid, value, ttlMs) {
      await kv.set(vaultKey(sid), await sealer.seal(value), Math.max(1, Math.floor(ttlMs)));
    },
    async delete(sid) {
      await kv.del(vaultKey(sid));
    },
  };
}

/** In-process key-value with expiry, pruned as it goes. */
export function memoryKeyValue(now: () => number = Date.now): KeyValue {
  const entries = new Map<string, { value: string; expiresAt: number }>();
  let writes = 0;
  return {
    async get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAt <= now()) {
        entries.delete(key);
        return undefined;
      }
      return entry.value;
    },
    async set(key, value, ttlMs) {
      entries.set(key, { value, expiresAt: now() + ttlMs });
      if (++writes % 1000 === 0) {
        const t = now();
        for (const [k, e] of entries) if (e.expiresAt <= t) entries.delete(k);
      }
    },
    async expire(key, ttlMs) {
      const entry = entries.get(key);
      if (entry && entry.expiresAt > now()) entry.expiresAt = now() + ttlMs;
    },
    async del(key) {
      entries.delete(key);
    },
  };
}
