import { Store } from 'express-session';
import type { SessionData } from 'express-session';

interface Entry {
  data: SessionData;
  expiresAt: number;
}

type Callback = (err?: unknown) => void;

/**
 * A single-process session store that forgets expired sessions (express-session's MemoryStore never does and
 * leaks). Each entry lives `ttlSeconds(session)`, renewed by touch (the idle timeout); a timer prunes the rest.
 * Values are copied in and out, as a remote store's would be, so requests never share objects.
 */
export class PruningMemoryStore extends Store {
  private readonly sessions = new Map<string, Entry>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly ttlSeconds: (session: SessionData) => number,
    pruneEveryMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {
    super();
    this.timer = setInterval(() => this.prune(), pruneEveryMs);
    this.timer.unref();
  }

  prune(): void {
    const now = this.now();
    for (const [sid, entry] of this.sessions) if (entry.expiresAt <= now) this.sessions.delete(sid);
  }

  private live(sid: string): Entry | undefined {
    const entry = this.sessions.get(sid);
    if (entry && entry.expiresAt <= this.now()) {
      this.sessions.delete(sid);
      return undefined;
    }
    return entry;
  }

  override get(sid: string, callback: (err: unknown, session?: SessionData | null) => void): void {
    const entry = this.live(sid);
    callback(null, entry ? structuredClone(entry.data) : null);
  }

  /** The live record itself, not a copy: for readers that only look (the API proxy's session read). */
  peek(sid: string): Readonly<SessionData> | undefined {
    return this.live(sid)?.data;
  }

  override set(sid: string, session: SessionData, callback?: Callback): void {
    const ttl = this.ttlSeconds(session);
    if (ttl <= 0) this.sessions.delete(sid);
    else this.sessions.set(sid, { data: structuredClone(session), expiresAt: this.now() + ttl * 1000 });
    callback?.();
  }

  override touch(sid: string, session: SessionData, callback?: Callback): void {
    const entry = this.live(sid);
    if (entry) entry.expiresAt = this.now() + this.ttlSeconds(session) * 1000;
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
    const out: Record<string, SessionData> = {};
    for (const sid of this.sessions.keys()) {
      const entry = this.live(sid);
      if (entry) out[sid] = structuredClone(entry.data);
    }
    callback(null, out);
  }

  override length(callback: (err: unknown, length?: number) => void): void {
    this.prune();
    callback(null, this.sessions.size);
  }

  close(): void {
    clearInterval(this.timer);
  }
}
