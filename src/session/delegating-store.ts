import { Store } from 'express-session';
import type { SessionData } from 'express-session';

export type Callback = (err?: unknown) => void;

/**
 * A store that hands everything to `inner`: the base of the stores that add something around some operations
 * (TokenLinkedStore, IndexedStore), so each overrides only what it changes.
 */
export class DelegatingStore extends Store {
  constructor(protected readonly inner: Store) {
    super();
  }

  /**
   * Runs the inner store's operation and a linked one (another record kept with the session) in the same tick, so
   * Redis gets both commands in one write; the callback gets the first error.
   */
  protected together(callback: Callback | undefined, own: (done: Callback) => void, linked?: () => Promise<void>) {
    let pending = linked ? 2 : 1;
    let failure: unknown;
    const done: Callback = (err) => {
      if (err && failure === undefined) failure = err;
      if (--pending === 0) callback?.(failure);
    };
    own(done);
    linked?.().then(() => done(), done);
  }

  override get(sid: string, callback: (err: unknown, session?: SessionData | null) => void): void {
    this.inner.get(sid, callback);
  }

  override set(sid: string, session: SessionData, callback?: Callback): void {
    this.inner.set(sid, session, callback);
  }

  override touch(sid: string, session: SessionData, callback?: Callback): void {
    if (this.inner.touch) this.inner.touch(sid, session, callback);
    else callback?.();
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
