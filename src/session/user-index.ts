import { createHmac, hkdfSync } from 'node:crypto';
import type { SessionData } from 'express-session';
import type { Redis } from '../redis/client.js';
import { parseSession } from './record.js';

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
 * hashes of the username and email, exactly as spelt and lower-cased, to the user's list, with the same lifetime
 * (`ownerByName`). A member whose record is not there yet (a sign-in between adding it and writing its record) is
 * kept for 30 s rather than dropped.
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

/**
 * The pointers for a name: its exact spelling, and its lower-cased one (pools are case-insensitive by default, so
 * "ALICE" typed on the reset form is alice). In a case-sensitive pool two users can share a lower-cased name: that
 * pointer is then marked AMBIGUOUS and only the exact spellings lead anywhere, so a reset never ends someone else's
 * sessions.
 */
const pointerPair = (hash: Hash, kind: 'username' | 'email', name: string) => ({
  exact: `${kind}:=${hash(`${kind}:=${name}`)}`,
  folded: `${kind}:${hash(`${kind}:${name.toLowerCase()}`)}`,
});
const namePairs = (hash: Hash, names: UserNames) => [
  pointerPair(hash, 'username', names.username),
  ...(names.email ? [pointerPair(hash, 'email', names.email)] : []),
];
/** What a lower-cased pointer holds when two users' names fold to it. */
const AMBIGUOUS = '?';
/** The pointers to try for a typed name, best first: the username exactly, lower-cased, then the email alike. */
const lookupKeys = (hash: Hash, name: string) => {
  const username = pointerPair(hash, 'username', name);
  const email = pointerPair(hash, 'email', name);
  return [username.exact, username.folded, email.exact, email.folded];
};
const pointed = (values: (string | null | undefined)[]) =>
  values.find((value) => value !== null && value !== undefined && value !== AMBIGUOUS) ?? undefined;

/**
 * A member whose session record is not there yet is kept this long: sign-in adds the session to the list just before
 * its record is written, and a list read in between must not drop it for good.
 */
const NEW_MEMBER_GRACE_MS = 30_000;

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
  const point = (key: string, owner: string, endsAt: number) => pointers.set(key, { owner, endsAt });
  /** A lower-cased pointer another user already holds becomes AMBIGUOUS. */
  const pointFolded = (key: string, owner: string, endsAt: number) => {
    const held = pointers.get(key);
    const shared = held !== undefined && held.endsAt > now() && held.owner !== owner;
    point(key, shared ? AMBIGUOUS : owner, Math.max(endsAt, held && held.endsAt > now() ? held.endsAt : 0));
  };
  const pointerOwner = (key: string) => {
    const pointer = pointers.get(key);
    return pointer && pointer.endsAt > now() ? pointer.owner : undefined;
  };

  function prune(): void {
    const t = now();
    for (const [owner, entry] of owners) {
      for (const [sid, usedAt] of entry.members)
        if (!live(peek(sid) as SessionData | undefined, t) && usedAt < t - NEW_MEMBER_GRACE_MS)
          entry.members.delete(sid);
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
      for (const pair of namePairs(hash, names)) {
        point(pair.exact, owner, endsAt);
        pointFolded(pair.folded, owner, endsAt);
      }
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
        else if (lastUsedAt < now() - NEW_MEMBER_GRACE_MS) entry.members.delete(sid);
      }
      return out;
    },
    async remove(owner, sid) {
      entryOf(owner)?.members.delete(sid);
    },
    async emailChanged(owner, from, to, endsAt) {
      if (from !== undefined) {
        const old = pointerPair(hash, 'email', from);
        for (const key of [old.exact, old.folded]) if (pointers.get(key)?.owner === owner) pointers.delete(key);
      }
      const pair = pointerPair(hash, 'email', to);
      point(pair.exact, owner, endsAt);
      pointFolded(pair.folded, owner, endsAt);
    },
    async ownerByName(name) {
      return pointed(lookupKeys(hash, name).map(pointerOwner));
    },
    close: () => clearInterval(timer),
  };
}

/** Pushes a key's TTL out to ARGV[1] ms, never in (PEXPIRE GT, which needs Redis 7, for any version). */
const EXTEND = `local left = redis.call('PTTL', KEYS[1])
if left < tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end`;
/** A lower-cased pointer: this owner's, or ARGV[3] (ambiguous) when another owner holds it; lives at least ARGV[2] ms. */
const POINT_FOLDED = `local held = redis.call('GET', KEYS[1])
local value = ARGV[1]
if held and held ~= ARGV[1] then value = ARGV[3] end
local ttl = math.max(tonumber(ARGV[2]), redis.call('PTTL', KEYS[1]))
redis.call('SET', KEYS[1], value, 'PX', ttl)`;
/** Deletes a pointer only while it still points to ARGV[1]. */
const DROP_IF_HELD = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end`;

/**
 * The index in Redis: a sorted set `<prefix>user:<owner>` of session ids scored by last use (ms), its TTL pushed to
 * the longest session's end on each add; pointers `<prefix>name:username:=<hash>` (exact) and
 * `<prefix>name:username:<hash>` (lower-cased), and the same for `email`, hold the owner. Only plain commands and
 * small scripts: Redis 6 will do. Listing is one ZRANGE and one MGET of the session records; members whose record is gone are
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
      const ttl = String(Math.max(1, Math.ceil(endsAt - now())));
      // Sent in one tick, so node-redis writes them together: one round trip.
      await Promise.all([
        run(client.zAdd(key, { score: at, value: sid })),
        run(client.eval(EXTEND, { keys: [key], arguments: [ttl] })),
        ...namePairs(hash, names).flatMap((pair) => [
          run(client.set(nameKey(pair.exact), owner, { expiration: { type: 'PX', value: Number(ttl) } })),
          run(client.eval(POINT_FOLDED, { keys: [nameKey(pair.folded)], arguments: [owner, ttl, AMBIGUOUS] })),
        ]),
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
        const record = records[i];
        const session = record ? parseSession(record) : undefined;
        if (live(session, now())) out.push({ sid: member.value, lastUsedAt: member.score, session });
        else if (member.score < now() - NEW_MEMBER_GRACE_MS) gone.push(member.value);
      });
      if (gone.length > 0) await run(client.zRem(key, gone));
      return out;
    },
    async remove(owner, sid) {
      await run(client.zRem(listKey(owner), sid));
    },
    async emailChanged(owner, from, to, endsAt) {
      const ttl = String(Math.max(1, Math.ceil(endsAt - now())));
      const pair = pointerPair(hash, 'email', to);
      const old = from === undefined ? [] : Object.values(pointerPair(hash, 'email', from)).map(nameKey);
      await Promise.all([
        ...old.map((key) => run(client.eval(DROP_IF_HELD, { keys: [key], arguments: [owner] }))),
        run(client.set(nameKey(pair.exact), owner, { expiration: { type: 'PX', value: Number(ttl) } })),
        run(client.eval(POINT_FOLDED, { keys: [nameKey(pair.folded)], arguments: [owner, ttl, AMBIGUOUS] })),
      ]);
    },
    async ownerByName(name) {
      return pointed(await run(client.mGet(lookupKeys(hash, name).map(nameKey))));
    },
    close: () => undefined,
  };
}
