import { Store } from 'express-session';
import type { SessionData } from 'express-session';
import { vaultKey } from '../tokens/vault.js';
import type { KeyValue } from '../tokens/vault.js';

type Callback = (err?: unknown) => void;

/**
 * A session and its sealed tokens live and die together. The tokens sit under their own key (see TokenVault), and
 * express-session only knows the session record: left alone, the token record (the refresh token included, the
 * larger of the two) outlived a session that ended by idling out, by up to the absolute lifetime. Here every write
 * and every touch of a signed-in session gives its token record the same expiry, issued in the same tick so Redis
 * gets both commands in one write, and destroying the session deletes its tokens.
 */
export class TokenLinkedStore extends Store {
  constructor(
    private readonly inner: Store,
    private readonly kv: KeyValue,
    private readonly ttlSeconds: (session: SessionData) => number,
  ) {
    super();
  }

  /** Runs the session's own operation and the token record's together; the callback gets the first error. */
  private together(callback: Callback | undefined, own: (done: Callback) => void, linked?: () => Promise<void>) {
    let pending = linked ? 2 : 1;
    let failure: unknown;
    const done: Callback = (err) => {
      if (err && failure === undefined) failure = err;
      if (--pending === 0) callback?.(failure);
    };
    own(done);
    linked?.().then(() => done(), done);
  }

  private expireTokens(sid: string, session: SessionData): (() => Promise<void>) | undefined {
    if (!session.auth) return undefined;
    const ttlMs = this.ttlSeconds(session) * 1000;
    return ttlMs > 0 ? () => this.kv.expire(vaultKey(sid), ttlMs) : () => this.kv.del(vaultKey(sid));
  }

  override get(sid: string, callback: (err: unknown, session?: SessionData | null) => void): void {
    this.inner.get(sid, callback);
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

  override all(callback: (err: unknown, obj?: Record<string, SessionData> | null) => void): void {
    if (this.inner.all) this.inner.all(callback as never);
    else callback(null, {});
  }

  override length(callback: (err: unknown, length?: number) => void): void {
    if (this.inner.length) this.inner.length(callback);
    else callback(null, 0);
  }

  override clear(callback?: Callback): void {
    if (this.inner.clear) this.inner.clear(callback);
    else callback?.();
  }
}
