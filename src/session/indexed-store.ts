import { Store } from 'express-session';
import type { SessionData } from 'express-session';
import type { SessionIndex } from './user-index.js';

type Callback = (err?: unknown) => void;

/**
 * Keeps "last used" in the user's session list (SessionIndex) as the session is used: every write and every touch of
 * a signed-in session (the pages' touch, and the API proxy's, at most every 15 s per session) also marks it used,
 * issued in the same tick so Redis gets both commands in one write. No extra round trip per API call.
 */
export class IndexedStore extends Store {
  constructor(
    private readonly inner: Store,
    private readonly index: SessionIndex,
    private readonly now: () => number,
  ) {
    super();
  }

  private withUse(sid: string, session: SessionData, own: (done: Callback) => void, callback?: Callback): void {
    const owner = session.auth?.owner;
    if (!owner) {
      own((err) => callback?.(err));
      return;
    }
    let pending = 2;
    let failure: unknown;
    const done: Callback = (err) => {
      if (err && failure === undefined) failure = err;
      if (--pending === 0) callback?.(failure);
    };
    own(done);
    this.index.used(owner, sid, this.now()).then(() => done(), done);
  }

  override get(sid: string, callback: (err: unknown, session?: SessionData | null) => void): void {
    this.inner.get(sid, callback);
  }

  override set(sid: string, session: SessionData, callback?: Callback): void {
    this.withUse(sid, session, (done) => this.inner.set(sid, session, done), callback);
  }

  override touch(sid: string, session: SessionData, callback?: Callback): void {
    this.withUse(sid, session, (done) => (this.inner.touch ? this.inner.touch(sid, session, done) : done()), callback);
  }

  override destroy(sid: string, callback?: Callback): void {
    this.inner.destroy(sid, callback);
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
