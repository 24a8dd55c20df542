import { Store } from 'express-session';
import type { SessionData } from 'express-session';
import { refuse } from '../http/refusals.js';

type Callback = (err?: unknown, value?: unknown) => void;

/**
 * Wraps a session store so that its failures (Redis down, timeouts) reach the error handler as a 503 with
 * Retry-After, never as a 500, and are counted.
 */
export class GuardedStore extends Store {
  constructor(
    private readonly inner: Store,
    private readonly onError: (operation: string, err: unknown) => void,
  ) {
    super();
  }

  private wrap(operation: string, callback: Callback | undefined): Callback {
    return (err, value) => {
      if (err) {
        this.onError(operation, err);
        callback?.(refuse.storeUnavailable());
        return;
      }
      callback?.(undefined, value);
    };
  }

  private run(operation: string, callback: Callback | undefined, call: (cb: Callback) => unknown): void {
    const cb = this.wrap(operation, callback);
    try {
      const result = call(cb);
      if (result instanceof Promise) result.catch((err: unknown) => cb(err));
    } catch (err) {
      cb(err);
    }
  }

  override get(sid: string, callback: (err: unknown, session?: SessionData | null) => void): void {
    this.run('get', callback as Callback, (cb) => this.inner.get(sid, cb as never));
  }

  override set(sid: string, session: SessionData, callback?: (err?: unknown) => void): void {
    this.run('set', callback, (cb) => this.inner.set(sid, session, cb));
  }

  override touch(sid: string, session: SessionData, callback?: (err?: unknown) => void): void {
    if (!this.inner.touch) {
      callback?.();
      return;
    }
    this.run('touch', callback, (cb) => this.inner.touch?.(sid, session, cb));
  }

  override destroy(sid: string, callback?: (err?: unknown) => void): void {
    this.run('destroy', callback, (cb) => this.inner.destroy(sid, cb));
  }

  override all(callback: (err: unknown, obj?: Record<string, SessionData> | null) => void): void {
    if (!this.inner.all) {
      callback(null, {});
      return;
    }
    this.run('all', callback as Callback, (cb) => this.inner.all?.(cb as never));
  }

  override length(callback: (err: unknown, length?: number) => void): void {
    if (!this.inner.length) {
      callback(null, 0);
      return;
    }
    this.run('length', callback as Callback, (cb) => this.inner.length?.(cb as never));
  }

  override clear(callback?: (err?: unknown) => void): void {
    this.run('clear', callback, (cb) => this.inner.clear?.(cb));
  }
}
