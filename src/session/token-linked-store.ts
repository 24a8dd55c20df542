import type { SessionData, Store } from 'express-session';
import { DelegatingStore } from './delegating-store.js';
import type { Callback } from './delegating-store.js';
import { vaultKey } from '../tokens/vault.js';
import type { KeyValue } from '../tokens/vault.js';

/**
 * A session and its sealed tokens live and die together. The tokens sit under their own key (see TokenVault), and
 * express-session only knows the session record: left alone, the token record (the refresh token included, the
 * larger of the two) outlived a session that ended by idling out, by up to the absolute lifetime. Here every write
 * and every touch of a signed-in session gives its token record the same expiry, issued in the same tick so Redis
 * gets both commands in one write, and destroying the session deletes its tokens.
 */
export class TokenLinkedStore extends DelegatingStore {
  constructor(
    inner: Store,
    private readonly kv: KeyValue,
    private readonly ttlSeconds: (session: SessionData) => number,
  ) {
    super(inner);
  }

  private expireTokens(sid: string, session: SessionData): (() => Promise<void>) | undefined {
    if (!session.auth) return undefined;
    const ttlMs = this.ttlSeconds(session) * 1000;
    return ttlMs > 0 ? () => this.kv.expire(vaultKey(sid), ttlMs) : () => this.kv.del(vaultKey(sid));
  }

  override set(sid: string, session: SessionData, callback?: Callback): void {
    this.together(callback, (done) => this.inner.set(sid, session, done), this.expireTokens(sid, session));
  }

  override touch(sid: string, session: SessionData, callback?: Callback): void {
    this.together(
      callback,
      (done) => (this.inner.touch ? this.inner.touch(sid, session, done) : done()),
      this.expireTokens(sid, session),
    );
  }

  override destroy(sid: string, callback?: Callback): void {
    this.together(
      callback,
      (done) => this.inner.destroy(sid, done),
      () => this.kv.del(vaultKey(sid)),
    );
  }
}
