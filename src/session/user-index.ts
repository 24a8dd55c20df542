import { createHmac, hkdfSync } from 'node:crypto';
import type { SessionData } from 'express-session';
import type { Redis } from '../redis/client.js';

/** A session in its user's list: its id (server-side only), when it was last used (epoch ms) and its record. */
export interface IndexedSession {
  sid: string;
  lastUsedAt: number;
  session: Readonly<SessionData>;
}

/** The names a user may type on the forgotten-password form: their username and their email. */
export interface UserNames {
  username: string;
  email?: string | undefined;
}

/**
 * Each user's signed-in sessions, so the sessions page can list them and a password change or reset can end them.
 * Users are known here only by keyed hashes (`ownerOf`, HMAC-SHA256 of `sub` under a key derived from
 * SESSION_SECRET): no identifier in clear, and never a token. A user's list lives as long as their longest session;
 * members whose session record is gone or over are dropped when the list is read.
 *
 * The forgotten-password journey knows only the name the user typed, so sign-in also writes small pointers from
 * hashes of the lower-cased username and email to the user's list, with the same lifetime (`ownerByName`).
 */
export interface SessionIndex {
  /** The key a user's list is under: a keyed hash of their `sub`. */
  ownerOf(sub: string): string;
  /** Adds a new session, used at `at`; the list and the name pointers live at least until `endsAt`. */
  add(owner: string, sid: string, at: number, endsAt: number, names: UserNames): Promise<void>;
  /** The session was used at `at` (a touch); a session no longer listed is not added back. */
  used(owner: string, sid: string, at: number): Promise<void>;
  /** The user's live sessions (signed in, before their absolute end), the rest dropped from the list. */
  list(owner: string): Promise<IndexedSession[]>;
  remove(owner: string, sid: string): Promise<void>;
  /**
   * The user's email changed: the pointer from the new one is written (living until `endsAt`, the end of the user's
   * longest session), and the old one's
   * dropped when it still points to this user, so a reset by the old address (perhaps someone else's by then) ends
   * nothing of theirs.
   */
  emailChanged(owner: string, from: string | undefined, to: string, endsAt: number): Promise<void>;
  /** The list a typed name (a username first, else an email) points to. */
  ownerByName(name: string): Promise<string | undefined>;
  close(): void;
}

type Hash = (value: string) => string;

function keyedHash(secret: string): Hash {
  const key = Buffer.from(hkdfSync('sha256', secret, '', 'cognito-bff session index', 32));
  return (value) => createHmac('sha256', key).update(value).digest('base64url');
}

const usernameKey = (hash: Hash, name: string) => `username:${hash(`username:${name.toLowerCase()}`)}`;
const emailKey = (hash: Hash, name: string) => `email:${hash(`email:${name.toLowerCase()}`)}`;
const pointerKeys = (hash: Hash, names: UserNames) => [
  usernameKey(hash, names.username),
  ...(names.email ? [emailKey(hash, names.email)] : []),
];

/** Whether a record read back is a signed-in session before its absolute end. */
const live = (session: SessionData | undefined, now: number): session is SessionData =>
  session?.auth !== undefined && session.auth.expiresAt > now;

/** The index in process, beside the memory store: `peek` reads a session record; pruned as the sessions are. */
export function memoryIndex(
  secret: string,
  peek: (sid: string) => Readonly<SessionData> | undefined,
  now: () => number,
  pruneEveryMs = 60_000,
): SessionIndex {
  const hash = keyedHash(secret);
  const owners = new Map<string, { endsAt: number; members: Map<string, number> }>();
  const pointers = new Map<string, { owner: string; endsAt: number }>();

  function prune(): void {
    const t = now();
    for (const [owner, entry] of owners) {
      for (const sid of entry.members.keys())
        if (!live(peek(sid) as SessionData | undefined, t)) entry.members.delete(sid);
      if (entry.endsAt <= t || entry.members.size === 0) owners.delete(owner);
    }
    for (const [key, pointer] of pointers) if (pointer.endsAt <= t) pointers.delete(key);
  }
  const timer = setInterval(prune, pruneEveryMs);
  timer.unref();

  const entryOf = (owner: string) => {
    const entry = owners.get(owner);
    if (entry && entry.endsAt <= now()) {
      owners.delete(owner);
      return undefined;
    }
    return entry;
  };

  return {
    ownerOf: (sub) => hash(`sub:${sub}`),
    async add(owner, sid, at, endsAt, names) {
      const entry = entryOf(owner) ?? { endsAt, members: new Map<string, number>() };
      entry.endsAt = Math.max(entry.endsAt, endsAt);
      entry.members.set(sid, at);
      owners.set(owner, entry);
      for (const key of pointerKeys(hash, names)) pointers.set(key, { owner, endsAt });
    },
    async used(owner, sid, at) {
      const members = entryOf(owner)?.members;
      if (members?.has(sid)) members.set(sid, at);
    },
    async list(owner) {
      const entry = entryOf(owner);
      if (!entry) return [];
      const out: IndexedSession[] = [];
      for (const [sid, lastUsedAt] of entry.members) {
        const session = peek(sid) as SessionData | undefined;
        if (live(session, now())) out.push({ sid, lastUsedAt, session: structuredClone(session) });
        else entry.members.delete(sid);
      }
      return out;
    },
    async remove(owner, sid) {
      entryOf(owner)?.members.delete(sid);
    },
    async emailChanged(owner, from, to, endsAt) {
      if (from !== undefined && pointers.get(emailKey(hash, from))?.owner === owner)
        pointers.delete(emailKey(hash, from));
      const key = emailKey(hash, to);
      pointers.set(key, { owner, endsAt });
    },
    async ownerByName(name) {
      for (const key of [usernameKey(hash, name), emailKey(hash, name)]) {
        const pointer = pointers.get(key);
        if (pointer && pointer.endsAt > now()) return pointer.owner;
      }
      return undefined;
    },
    close: () => clearInterval(timer),
  };
}

function parseSession(text: string | null): SessionData | undefined {
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as SessionData;
  } catch {
    return undefined;
  }
}

/**
 * The index in Redis: a sorted set `<prefix>user:<owner>` of session ids scored by last use (ms), its TTL pushed to
 * the longest session's end on each add; pointers `<prefix>name:username:<hash>` and `<prefix>name:email:<hash>`
 * hold the owner. Listing is one ZRANGE and one MGET of the session records; members whose record is gone are
 * removed (ZREM). Every command goes through the Redis deadline.
 */
export function redisIndex(
  secret: string,
  { client, run }: Redis,
  prefix: string,
  sessionPrefix: string,
  now: () => number,
): SessionIndex {
  const hash = keyedHash(secret);
  const listKey = (owner: string) => `${prefix}user:${owner}`;
  const nameKey = (key: string) => `${prefix}name:${key}`;

  return {
    ownerOf: (sub) => hash(`sub:${sub}`),
    async add(owner, sid, at, endsAt, names) {
      const key = listKey(owner);
      const ttlMs = Math.max(1, Math.ceil(endsAt - now()));
      // Sent in one tick, so node-redis writes them together: one round trip. NX then GT: a new list gets the TTL,
      // an existing one keeps the longer of its own and this session's.
      await Promise.all([
        run(client.zAdd(key, { score: at, value: sid })),
        run(client.pExpire(key, ttlMs, 'NX')),
        run(client.pExpire(key, ttlMs, 'GT')),
        ...pointerKeys(hash, names).map((name) =>
          run(client.set(nameKey(name), owner, { expiration: { type: 'PX', value: ttlMs } })),
        ),
      ]);
    },
    async used(owner, sid, at) {
      await run(client.zAdd(listKey(owner), { score: at, value: sid }, { condition: 'XX' }));
    },
    async list(owner) {
      const key = listKey(owner);
      const members = await run(client.zRangeWithScores(key, 0, -1));
      if (members.length === 0) return [];
      const records = await run(client.mGet(members.map((m) => sessionPrefix + m.value)));
      const out: IndexedSession[] = [];
      const gone: string[] = [];
      members.forEach((member, i) => {
        const session = parseSession(records[i] ?? null);
        if (live(session, now())) out.push({ sid: member.value, lastUsedAt: member.score, session });
        else gone.push(member.value);
      });
      if (gone.length > 0) await run(client.zRem(key, gone));
      return out;
    },
    async remove(owner, sid) {
      await run(client.zRem(listKey(owner), sid));
    },
    async emailChanged(owner, from, to, endsAt) {
      const ttlMs = Math.max(1, Math.ceil(endsAt - now()));
      // Two round trips, rarely (an email change): a pointer that changed hands in between is left to expire.
      if (from !== undefined) {
        const old = nameKey(emailKey(hash, from));
        if ((await run(client.get(old))) === owner) await run(client.del(old));
      }
      const key = nameKey(emailKey(hash, to));
      await run(client.set(key, owner, { expiration: { type: 'PX', value: ttlMs } }));
    },
    async ownerByName(name) {
      const [byUsername, byEmail] = await run(
        client.mGet([nameKey(usernameKey(hash, name)), nameKey(emailKey(hash, name))]),
      );
      return byUsername ?? byEmail ?? undefined;
    },
    close: () => undefined,
  };
}
