import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import type { SessionData } from 'express-session';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/http/logger.js';
import { createBackend } from '../../src/session/backend.js';
import type { Backend } from '../../src/session/backend.js';
import { testClock } from '../support/clock.js';
import type { TestClock } from '../support/clock.js';
import { advanceRedisTtls, dropPrefix, needRedis, REDIS_URL, testPrefix } from '../support/redis.js';

const LOCAL = {
  region: 'us-east-1',
  userPoolId: 'us-east-1_Contract1',
  clientId: 'contractclient',
  endpoint: 'http://127.0.0.1:9',
  apiBaseUrl: 'http://127.0.0.1:9/test',
  sessionSecret: 'contract-session-secret-0123456789abcdef',
  tokenEncryptionKey: Buffer.alloc(32, 3),
};

const call = <T>(fn: (cb: (err: unknown, value?: T) => void) => void) =>
  new Promise<T | undefined>((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value))));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function session(expiresInMs: number, extra: Partial<SessionData> = {}, now = Date.now()): SessionData {
  const expires = new Date(now + 8 * 3600_000);
  return {
    cookie: { originalMaxAge: 8 * 3600_000, expires, httpOnly: true, path: '/', sameSite: 'lax', secure: false },
    auth: { sealedUser: 'sealed', signedInAt: now, expiresAt: now + expiresInMs },
    ...extra,
  } as SessionData;
}

/** A backend under test, with its clock and the contract's fast-forward hook. */
interface Harness {
  b: Backend;
  clock: TestClock;
  /**
   * As if `ms` passed: the backend's clock moves and, for Redis, so do the TTLs of its keys (Redis counts TTLs down
   * on its own clock, which no JS clock reaches), so the suite never sleeps waiting for an expiry.
   */
  fastForward(ms: number): Promise<void>;
}

/**
 * One contract, every backend: what express-session, the token vault and the refresh lock rely on. Run against the
 * memory backend and against Redis, as oauth2-proxy runs one suite against each session store.
 */
function contract(kind: 'memory' | 'redis') {
  describe(`backend contract: ${kind}`, () => {
    const prefix = testPrefix();
    const backends: Backend[] = [];
    after(async () => {
      await Promise.all(backends.map((b) => b.close()));
      if (kind === 'redis') await dropPrefix(prefix);
    });

    async function harness(t: TestContext, extra: Record<string, string> = {}): Promise<Harness | undefined> {
      if (kind === 'redis' && !(await needRedis(t))) return undefined;
      const env = kind === 'redis' ? { SESSION_STORE: 'redis', REDIS_URL, REDIS_KEY_PREFIX: prefix } : {};
      const config = loadConfig({ LOG_LEVEL: 'silent', ...env, ...extra }, LOCAL);
      const clock = testClock();
      const b = await createBackend(config, createLogger('silent'), { onStoreError: () => undefined }, clock);
      backends.push(b);
      return {
        b,
        clock,
        async fastForward(ms) {
          clock.advance(ms);
          if (kind === 'redis') await advanceRedisTtls(prefix, ms);
        },
      };
    }
    const backend = async (t: TestContext) => (await harness(t))?.b;

    it('stores, reads back and destroys a session', async (t) => {
      const b = await backend(t);
      if (!b) return;
      const data = session(3600_000, { returnTo: '/x' });
      await call((cb) => b.store.set('sid-1', data, cb));
      const read = await call<SessionData | null>((cb) => b.store.get('sid-1', cb));
      assert.equal(read?.returnTo, '/x');
      assert.equal(read?.auth?.sealedUser, 'sealed');
      assert.equal(await call((cb) => b.store.get('no-such-sid', cb)), null);
      await call((cb) => b.store.destroy('sid-1', cb));
      assert.equal(await call((cb) => b.store.get('sid-1', cb)), null);
    });

    it('forgets a session at its absolute end, and touch cannot extend it past that', async (t) => {
      const h = await harness(t);
      if (!h) return;
      const { b } = h;
      const data = session(1500, {}, h.clock.now());
      await call((cb) => b.store.set('sid-short', data, cb));
      assert.ok(await call((cb) => b.store.get('sid-short', cb)));
      await h.fastForward(800);
      await call((cb) => b.store.touch?.('sid-short', data, () => cb(undefined)));
      await h.fastForward(1500);
      assert.equal(await call((cb) => b.store.get('sid-short', cb)), null);
    });

    it('counts and lists live sessions', async (t) => {
      const b = await backend(t);
      if (!b) return;
      await call((cb) => b.store.set('sid-a', session(60_000), cb));
      await call((cb) => b.store.set('sid-b', session(60_000), cb));
      const length = await call<number>((cb) => b.store.length?.(cb));
      assert.ok((length ?? 0) >= 2);
      // connect-redis lists sessions as an array with their ids; the memory store as a record by id.
      const all = await call<unknown>((cb) => b.store.all?.(cb));
      const ids = Array.isArray(all) ? all.map((s) => (s as { id: string }).id) : Object.keys(all ?? {});
      for (const sid of ['sid-a', 'sid-b']) assert.ok(ids.includes(sid), `${sid} is listed`);
    });

    it('keeps sealed tokens in the vault with a TTL and a version', async (t) => {
      const h = await harness(t);
      if (!h) return;
      const { b } = h;
      const tokens = {
        idToken: 'id.token.x',
        accessToken: 'access.token.x',
        refreshToken: 'refresh-x',
        idTokenExpiresAt: 1,
      };
      await b.vault.put('sid-v', { tokens, version: 3 }, 60_000);
      assert.deepEqual(await b.vault.get('sid-v'), { tokens, version: 3 });
      const { sealedTokens } = await b.readForApi('sid-v');
      assert.ok(sealedTokens, 'the vault holds a value');
      for (const value of [tokens.idToken, tokens.accessToken, tokens.refreshToken]) {
        assert.ok(!sealedTokens.includes(value), `${value} is sealed at rest`);
      }
      await b.vault.put('sid-v-short', { tokens, version: 1 }, 300);
      await h.fastForward(600);
      assert.equal(await b.vault.get('sid-v-short'), undefined);
      await b.vault.delete('sid-v');
      assert.equal(await b.vault.get('sid-v'), undefined);
    });

    it('reads a session and its sealed tokens together for the API, and sees a sign-out at once', async (t) => {
      const b = await backend(t);
      if (!b) return;
      const tokens = { idToken: 'id.api', accessToken: 'access.api', refreshToken: 'refresh-api', idTokenExpiresAt: 9 };
      await call((cb) => b.store.set('sid-api', session(60_000, { returnTo: '/api-x' }), cb));
      await b.vault.put('sid-api', { tokens, version: 2 }, 60_000);
      const record = await b.readForApi('sid-api');
      assert.equal(record.session?.returnTo, '/api-x');
      assert.ok(record.sealedTokens);
      assert.ok(!record.sealedTokens.includes('id.api'), 'the tokens are sealed at rest');
      assert.deepEqual(await b.vault.open(record.sealedTokens), { tokens, version: 2 });

      await call((cb) => b.store.destroy('sid-api', cb));
      await b.vault.delete('sid-api');
      assert.deepEqual(await b.readForApi('sid-api'), { session: undefined, sealedTokens: undefined });
      assert.deepEqual(await b.readForApi('never-existed'), { session: undefined, sealedTokens: undefined });
    });

    it("keeps a session's tokens exactly as long as the session: renewed together, gone together when idle", async (t) => {
      const h = await harness(t, { SESSION_IDLE_TIMEOUT_SECONDS: '1' });
      if (!h) return;
      const { b } = h;
      const tokens = {
        idToken: 'id.idle',
        accessToken: 'access.idle',
        refreshToken: 'refresh-idle',
        idTokenExpiresAt: 9,
      };
      // Tokens written with a long life, as a refresh under the old rules did (the absolute lifetime, 8 h).
      await b.vault.put('sid-idle', { tokens, version: 1 }, 8 * 3600_000);
      const data = session(8 * 3600_000, {}, h.clock.now());
      await call((cb) => b.store.set('sid-idle', data, cb));
      const alive = async () => ({
        session: (await call((cb) => b.store.get('sid-idle', cb))) !== null,
        tokens: (await b.vault.get('sid-idle')) !== undefined,
      });
      for (let i = 0; i < 3; i++) {
        await h.fastForward(600);
        await call((cb) => b.store.touch?.('sid-idle', data, () => cb(undefined)));
        assert.deepEqual(await alive(), { session: true, tokens: true }, 'each touch renews both');
      }
      await h.fastForward(1300);
      assert.deepEqual(await alive(), { session: false, tokens: false }, 'both end at the idle timeout');

      await b.vault.put('sid-gone', { tokens, version: 1 }, 8 * 3600_000);
      await call((cb) => b.store.set('sid-gone', session(8 * 3600_000, {}, h.clock.now()), cb));
      await call((cb) => b.store.destroy('sid-gone', cb));
      assert.equal(await b.vault.get('sid-gone'), undefined, 'destroying a session deletes its tokens');
    });

    it("lists a user's live sessions by last use, and forgets the ones that ended, were removed or idled out", async (t) => {
      const h = await harness(t, { SESSION_IDLE_TIMEOUT_SECONDS: '2' });
      if (!h) return;
      const { b } = h;
      const owner = b.index.ownerOf('sub-ann');
      const other = b.index.ownerOf('sub-ben');
      assert.notEqual(owner, other);
      assert.ok(!owner.includes('sub-ann'), 'the owner key is a hash, not the sub');
      const start = h.clock.now();
      const signedIn = (sid: string, who: string) => {
        const data = session(8 * 3600_000, {}, h.clock.now());
        data.auth.owner = who;
        return call((cb) => b.store.set(sid, data, cb)).then(() => data);
      };
      const ends = start + 8 * 3600_000;
      const first = await signedIn('sid-i1', owner);
      await b.index.add(owner, 'sid-i1', start, ends, { username: 'Ann', email: 'Ann@Example.com' });
      await signedIn('sid-i2', owner);
      await b.index.add(owner, 'sid-i2', start + 1, ends, { username: 'Ann' });
      await signedIn('sid-i3', other);
      await b.index.add(other, 'sid-i3', start, ends, { username: 'ben' });
      const sids = async (who: string) => (await b.index.list(who)).map((s) => s.sid).sort();
      assert.deepEqual(await sids(owner), ['sid-i1', 'sid-i2']);
      assert.deepEqual(await sids(other), ['sid-i3']);
      assert.deepEqual(await b.index.list(b.index.ownerOf('nobody')), []);

      // A touch of the session (a page, the proxy's renewal) is its last use.
      await h.fastForward(1000);
      const touchedAt = h.clock.now();
      await call((cb) => b.store.touch?.('sid-i1', first, () => cb(undefined)));
      const listed = await b.index.list(owner);
      const one = listed.find((s) => s.sid === 'sid-i1');
      assert.ok(one && one.lastUsedAt >= touchedAt && one.lastUsedAt <= h.clock.now(), 'last used is the touch');
      assert.equal(one?.session.auth?.owner, owner, 'the record comes with it');

      // Names point to the list: the username or the email, in any case; unknown names to nothing.
      assert.equal(await b.index.ownerByName('ann'), owner);
      assert.equal(await b.index.ownerByName('ANN@example.COM'), owner);
      assert.equal(await b.index.ownerByName('BEN'), other);
      assert.equal(await b.index.ownerByName('carl'), undefined);

      // Gone from the store: dropped; removed: gone; and a touch never adds a removed session back.
      await call((cb) => b.store.destroy('sid-i2', cb));
      assert.deepEqual(await sids(owner), ['sid-i1']);
      await b.index.remove(other, 'sid-i3');
      assert.deepEqual(await sids(other), []);
      await b.index.used(other, 'sid-i3', h.clock.now());
      assert.deepEqual(await sids(other), []);

      // Idled out (the store's TTL): no longer listed.
      await h.fastForward(2500);
      assert.deepEqual(await sids(owner), []);
    });

    it('a list and its name pointers end with the longest session in it', async (t) => {
      const h = await harness(t);
      if (!h) return;
      const { b } = h;
      const owner = b.index.ownerOf('sub-short');
      const now = h.clock.now();
      const data = session(3000, {}, now);
      data.auth.owner = owner;
      await call((cb) => b.store.set('sid-s1', data, cb));
      await b.index.add(owner, 'sid-s1', now, now + 3000, { username: 'shorty', email: 'short@example.com' });
      await b.index.add(owner, 'sid-s0', now, now + 1000, { username: 'shorty' });
      await h.fastForward(2000);
      assert.equal(await b.index.ownerByName('short@example.com'), owner, 'kept for the longer session');
      assert.deepEqual(
        (await b.index.list(owner)).map((s) => s.sid),
        ['sid-s1'],
      );
      await h.fastForward(1500);
      assert.deepEqual(await b.index.list(owner), []);
      assert.equal(await b.index.ownerByName('shorty'), undefined);
      assert.equal(await b.index.ownerByName('short@example.com'), undefined);
    });

    it("moves a user's email pointer when the email changes, leaving someone else's alone", async (t) => {
      const h = await harness(t);
      if (!h) return;
      const { b } = h;
      const owner = b.index.ownerOf('sub-eve');
      const other = b.index.ownerOf('sub-fay');
      const ends = h.clock.now() + 3600_000;
      await b.index.add(owner, 'sid-e1', h.clock.now(), ends, { username: 'eve', email: 'eve@old.example' });
      await b.index.emailChanged(owner, 'eve@old.example', 'Eve@New.example', ends);
      assert.equal(await b.index.ownerByName('eve@new.example'), owner);
      assert.equal(await b.index.ownerByName('eve@old.example'), undefined, 'the old address no longer leads to eve');
      assert.equal(await b.index.ownerByName('eve'), owner);
      // The old address has become fay's: eve's change away from it again must not take it from her.
      await b.index.add(other, 'sid-f1', h.clock.now(), ends, { username: 'fay', email: 'shared@example.com' });
      await b.index.emailChanged(owner, 'shared@example.com', 'eve@third.example', ends);
      assert.equal(await b.index.ownerByName('shared@example.com'), other);
    });

    it('keeps a new member whose record is not written yet, and tells names apart that differ only by case', async (t) => {
      const h = await harness(t);
      if (!h) return;
      const { b } = h;
      const owner = b.index.ownerOf('sub-gil');
      const ends = h.clock.now() + 3600_000;
      // Sign-in adds the session to the list just before writing its record: a list read in between keeps it.
      await b.index.add(owner, 'sid-g1', h.clock.now(), ends, { username: 'gil' });
      assert.deepEqual(await b.index.list(owner), [], 'not listed without its record');
      const data = session(3600_000, {}, h.clock.now());
      data.auth.owner = owner;
      await call((cb) => b.store.set('sid-g1', data, cb));
      assert.deepEqual(
        (await b.index.list(owner)).map((s) => s.sid),
        ['sid-g1'],
        'listed once its record is there',
      );

      // A case-sensitive pool: Hal and hal are two users. Each exact name leads to its own list, the folded one to
      // neither; a name only one user folds to still leads to them in any case.
      const upper = b.index.ownerOf('sub-Hal');
      const lower = b.index.ownerOf('sub-hal');
      await b.index.add(upper, 'sid-h1', h.clock.now(), ends, { username: 'Hal', email: 'hal@example.com' });
      await b.index.add(lower, 'sid-h2', h.clock.now(), ends, { username: 'hal' });
      assert.equal(await b.index.ownerByName('Hal'), upper);
      assert.equal(await b.index.ownerByName('hal'), lower);
      assert.equal(await b.index.ownerByName('HAL'), undefined, 'ambiguous: leads to nobody');
      assert.equal(await b.index.ownerByName('HAL@example.com'), upper);
      assert.equal(await b.index.ownerByName('GIL'), owner);
    });

    it('lets one holder at a time take the refresh lock, and gives up after the wait', async (t) => {
      const b = await backend(t);
      if (!b) return;
      const first = await b.lock.acquire('k', 5000, 100);
      assert.ok(first);
      const order: string[] = [];
      const second = b.lock.acquire('k', 5000, 3000).then((release) => {
        order.push('second');
        return release;
      });
      await sleep(150);
      order.push('first-done');
      await first();
      const release = await second;
      assert.ok(release);
      assert.deepEqual(order, ['first-done', 'second']);
      const timedOut = await b.lock.acquire('k', 5000, 100);
      assert.equal(timedOut, undefined, 'a held lock is not granted twice');
      await release();
      assert.ok(await b.lock.acquire('k', 5000, 100), 'free again after release');
    });

    it('is ready when its store answers', async (t) => {
      const b = await backend(t);
      if (!b) return;
      assert.equal(await b.ready(), true);
    });
  });
}

contract('memory');
contract('redis');
