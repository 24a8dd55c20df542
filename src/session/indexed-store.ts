import type { SessionData, Store } from 'express-session';
import { DelegatingStore } from './delegating-store.js';
import type { Callback } from './delegating-store.js';
import type { SessionIndex } from './user-index.js';

/**
 * Keeps "last used" in the user's session list (SessionIndex) as the session is used: every write and every touch of
 * a signed-in session (the pages' touch, and the API proxy's, at most every 15 s per session) also marks it used,
 * issued in the same tick so Redis gets both commands in one write. No extra round trip per API call.
 */
export class IndexedStore extends DelegatingStore {
  constructor(
    inner: Store,
    private readonly index: SessionIndex,
    private readonly now: () => number,
  ) {
    super(inner);
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

  override set(sid: string, session: SessionData, callback?: Callback): void {
    this.withUse(sid, session, (done) => this.inner.set(sid, session, done), callback);
  }

  override touch(sid: string, session: SessionData, callback?: Callback): void {
    this.withUse(sid, session, (done) => (this.inner.touch ? this.inner.touch(sid, session, done) : done()), callback);
  }
}
