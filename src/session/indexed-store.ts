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

  /** Marks a signed-in session used in its user's list, with the store's own operation. */
  private markUsed(sid: string, session: SessionData): (() => Promise<void>) | undefined {
    const owner = session.auth?.owner;
    return owner ? () => this.index.used(owner, sid, this.now()) : undefined;
  }

  override set(sid: string, session: SessionData, callback?: Callback): void {
    this.together(callback, (done) => this.inner.set(sid, session, done), this.markUsed(sid, session));
  }

  override touch(sid: string, session: SessionData, callback?: Callback): void {
    this.together(callback, (done) => super.touch(sid, session, done), this.markUsed(sid, session));
  }
}
