import { Store } from 'express-session';
import type { SessionData } from 'express-session';

interface Entry {
  data: SessionData;
  expiresAt: number;
}

type Callback = (err?: unknown) => void;

/**
 * A single-process session store that forgets expired sessions (express-session's MemoryStore never does and
 * leaks). Entries expire with the cookie; a timer prunes them. Values are copied in and out, as a remote store's
 * would be, so a request never shares objects with another.
 */
export class PruningMemoryStore extends Store {
  private readonly sessions = new Map<string, Entry>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly defaultTtlMs: number,
    pruneEveryMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {
    super();
    this.timer = setInterval(() => this.prune(), pruneEveryMs);
    this.timer.unref();
  }

  private expiry(data: SessionData): number {
    const expires = data.cookie?.expires;
    return expires ? new Date(expires).getTime() : this.now() + this.defaultTtlMs;
  }

  prune(): void {
    const now = this.now();
    for (const [sid, entry] of this.sessions) if (entry.expiresAt <= now) this.sessions.delete(sid);
  }

  get size(): number {
    return this.sessions.size;
  }

  override get(sid: string, callback: (err: unknown, session?: SessionData | null) => void): void {
    const entry = this.sessions.get(sid);
    if (!entry || entry.expiresAt <= this.now()) {
      if (entry) this.sessions.delete(sid);
      callback(null, null);
      return;
    }
    callback(null, structuredClone(entry.data));
  }

  override set(sid: string, session: SessionData, callback?: Callback): void {
    this.sessions.set(sid, { data: structuredClone(session), expiresAt: this.expiry(session) });
    callback?.();
  }

  override touch(sid: string, session: SessionData, callback?: Callback): void {
    const entry = this.sessions.get(sid);
    if (entry) entry.expiresAt = this.expiry(session);
    callback?.();
  }

  override destroy(sid: string, callback?: Callback): void {
    this.sessions.delete(sid);
    callback?.();
  }

  override clear(callback?: Callback): void {
    this.sessions.clear();
    callback?.();
  }

  override all(callback: (err: unknown, obj?: Record<string, SessionData> | null) => void): void {
    const now = this.now();
    const out: Record<string, SessionData> = {};
    for (const [sid, entry] of this.sessions) if (entry.expiresAt > now) out[sid] = structuredClone(entry.data);
    callback(null, out);
  }

  override length(callback: (err: unknown, length?: number) => void): void {
    callback(null, this.sessions.size);
  }

  close(): void {
    clearInterval(this.timer);
  }
}
