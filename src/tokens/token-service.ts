import type { Logger } from 'pino';
import type { CognitoAuth, TokenSet } from '../cognito/auth-client.js';
import { AuthFailure } from '../cognito/errors.js';
import { REFRESH_RETRY_AFTER_SECONDS, refuse } from '../http/refusals.js';
import type { Metrics } from '../ops/metrics.js';
import type { SignedIn } from '../shared/session.js';
import type { RefreshLock } from './lock.js';
import type { StoredTokens, TokenVault } from './vault.js';

const { sessionExpired, refreshUnavailable } = refuse;
/** The vault is part of the session store: its outage is answered the same way. */
const vaultUnavailable = refuse.storeUnavailable;

/**
 * The refresh skew is never more than this share of an ID token's lifetime: an app client can issue 5-minute ID
 * tokens, and a skew of minutes would then refresh on nearly every call.
 */
const MAX_SKEW_SHARE = 0.25;
/** While a session waits out a failed refresh, an ID token still valid this long is used as it is. */
const STILL_VALID_MS = 5_000;

export interface TokenServiceOptions {
  vault: TokenVault;
  lock: RefreshLock;
  cognito: CognitoAuth;
  metrics: Metrics;
  logger: Logger;
  /** Refresh when the ID token expires within this many ms (capped per token, see MAX_SKEW_SHARE). */
  skewMs: number;
  /** The session idle timeout: the token record lives exactly as long as its session record. */
  idleTimeoutMs: number;
  /** How long a refresh may hold the lock; bounds the wait behind a crashed holder. */
  lockTtlMs?: number;
  /** How long a request waits for another's refresh before answering 503. */
  lockWaitMs?: number;
  now?: () => number;
}

export interface TokenService {
  /** Stores the tokens of a new sign-in. */
  start(sid: string, tokens: TokenSet, expiresAt: number): Promise<void>;
  /**
   * Tokens for the session, refreshed first when the ID token is about to expire, or when `staleVersion` says the
   * caller's tokens were refused upstream (the new tokens are then marked `forced`). Throws 401 session_expired when Cognito refuses the refresh, 503 with
   * Retry-After when Cognito or the store cannot answer.
   */
  tokensFor(sid: string, session: SignedIn, staleVersion?: number): Promise<StoredTokens>;
  /** As tokensFor, for tokens the caller read from the vault itself (undefined: it had none, the session is over). */
  freshen(sid: string, session: SignedIn, current: StoredTokens | undefined): Promise<StoredTokens>;
  /** The tokens as stored, without refreshing (sign-out). */
  peek(sid: string): Promise<StoredTokens | undefined>;
  end(sid: string): Promise<void>;
}

/**
 * Refresh without races and without storms. In one process, concurrent requests of a session share one in-flight
 * refresh; across instances the refresh lock serialises it, and whoever waited re-reads the vault and uses the
 * tokens it finds when they are fresh. Tokens are written only here, under the lock, so no request can overwrite
 * newer ones. A refresh Cognito could not answer is recorded in the vault record itself, so every instance (each
 * reads that record on every call anyway) waits the Retry-After before trying again; meanwhile an ID token that is
 * still valid is used as it is.
 */
export function createTokenService(options: TokenServiceOptions): TokenService {
  const { vault, lock, cognito, metrics, logger, skewMs, idleTimeoutMs } = options;
  const now = options.now ?? Date.now;
  const lockTtlMs = options.lockTtlMs ?? 15_000;
  const lockWaitMs = options.lockWaitMs ?? 10_000;
  const inFlight = new Map<string, Promise<StoredTokens>>();
  let skewCapLogged = false;

  /** The token record expires with its session record: the idle timeout, never past the absolute end. */
  const ttlMs = (expiresAt: number) => Math.max(1, Math.min(idleTimeoutMs, expiresAt - now()));
  const skewFor = (tokens: TokenSet) =>
    tokens.idTokenLifetimeMs === undefined ? skewMs : Math.min(skewMs, tokens.idTokenLifetimeMs * MAX_SKEW_SHARE);
  const usable = (stored: StoredTokens, staleVersion?: number) =>
    stored.tokens.idTokenExpiresAt - now() > skewFor(stored.tokens) &&
    (staleVersion === undefined || stored.version > staleVersion);
  const waitingOut = (stored: StoredTokens) =>
    stored.refreshBlockedUntil !== undefined && stored.refreshBlockedUntil > now();

  /** While a failed refresh is waited out: the tokens if still valid (and not refused upstream), else 503. */
  function whileWaiting(stored: StoredTokens, staleVersion?: number): StoredTokens {
    if (staleVersion === undefined && stored.tokens.idTokenExpiresAt - now() > STILL_VALID_MS) return stored;
    const seconds = Math.ceil(((stored.refreshBlockedUntil ?? now()) - now()) / 1000);
    throw refreshUnavailable(Math.max(1, seconds));
  }

  function noteLifetime(tokens: TokenSet): void {
    if (skewCapLogged || skewFor(tokens) >= skewMs || tokens.idTokenLifetimeMs === undefined) return;
    skewCapLogged = true;
    logger.warn(
      {
        configuredSkewSeconds: skewMs / 1000,
        idTokenLifetimeSeconds: tokens.idTokenLifetimeMs / 1000,
        effectiveSkewSeconds: skewFor(tokens) / 1000,
      },
      'TOKEN_REFRESH_SKEW_SECONDS is over a quarter of the ID token lifetime; refreshing a quarter before expiry',
    );
  }

  async function read(sid: string): Promise<StoredTokens | undefined> {
    try {
      return await vault.get(sid);
    } catch {
      metrics.storeErrors.inc({ operation: 'vault_get' });
      throw vaultUnavailable();
    }
  }

  async function refreshUnderLock(sid: string, session: SignedIn, staleVersion?: number): Promise<StoredTokens> {
    const release = await lock.acquire(`refresh:${sid}`, lockTtlMs, lockWaitMs).catch(() => {
      metrics.storeErrors.inc({ operation: 'lock' });
      throw vaultUnavailable();
    });
    try {
      const latest = await read(sid);
      if (!latest) throw sessionExpired();
      if (usable(latest, staleVersion)) return latest;
      if (waitingOut(latest)) return whileWaiting(latest, staleVersion);
      if (!release) throw refreshUnavailable();
      let tokens: TokenSet;
      try {
        tokens = await cognito.refresh(latest.tokens, session.user.username);
      } catch (err) {
        if (!(err instanceof AuthFailure)) throw err;
        if (err.kind === 'refresh-rejected') {
          metrics.refreshes.inc({ outcome: 'rejected' });
          logger.info({ detail: err.detail }, 'refresh rejected; session ended');
          await vault.delete(sid).catch(() => undefined);
          throw sessionExpired();
        }
        // Cognito is down or throttling (its outage is logged where Cognito is called): record the wait, so no
        // instance tries again before it is over.
        metrics.refreshes.inc({ outcome: 'unavailable' });
        const waiting = { ...latest, refreshBlockedUntil: now() + REFRESH_RETRY_AFTER_SECONDS * 1000 };
        await vault.put(sid, waiting, ttlMs(session.expiresAt)).catch(() => {
          metrics.storeErrors.inc({ operation: 'vault_put' });
        });
        return whileWaiting(waiting, staleVersion);
      }
      // Tokens refreshed because the API refused their predecessors are not refreshed for a 401 again.
      const next: StoredTokens = {
        tokens,
        version: latest.version + 1,
        ...(staleVersion === undefined ? {} : { forced: true }),
      };
      try {
        await vault.put(sid, next, ttlMs(session.expiresAt));
      } catch {
        metrics.storeErrors.inc({ operation: 'vault_put' });
        throw vaultUnavailable();
      }
      metrics.refreshes.inc({ outcome: 'ok' });
      noteLifetime(tokens);
      return next;
    } finally {
      await release?.().catch(() => undefined);
    }
  }

  function ensure(
    sid: string,
    session: SignedIn,
    stored: StoredTokens | undefined,
    staleVersion?: number,
  ): Promise<StoredTokens> {
    if (!stored) return Promise.reject(sessionExpired());
    if (usable(stored, staleVersion)) return Promise.resolve(stored);
    if (waitingOut(stored)) {
      try {
        return Promise.resolve(whileWaiting(stored, staleVersion));
      } catch (err) {
        return Promise.reject(err as Error);
      }
    }
    // Everyone who read this version wants the same thing: tokens newer than it, or fresh ones.
    const key = `${sid}:${stored.version}`;
    let pending = inFlight.get(key);
    if (!pending) {
      pending = refreshUnderLock(sid, session, staleVersion).finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
    }
    return pending;
  }

  return {
    async start(sid, tokens, expiresAt) {
      noteLifetime(tokens);
      try {
        await vault.put(sid, { tokens, version: 1 }, ttlMs(expiresAt));
      } catch {
        metrics.storeErrors.inc({ operation: 'vault_put' });
        throw vaultUnavailable();
      }
    },

    async tokensFor(sid, session, staleVersion) {
      return ensure(sid, session, await read(sid), staleVersion);
    },

    freshen: (sid, session, current) => ensure(sid, session, current),

    peek: read,

    async end(sid) {
      await vault.delete(sid).catch(() => {
        metrics.storeErrors.inc({ operation: 'vault_delete' });
      });
    },
  };
}
