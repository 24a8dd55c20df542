import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { agentFor, signIn } from '../support/browserless.js';
import { startBff } from '../support/bff.js';
import type { TestBff } from '../support/bff.js';
import { dropPrefix, needRedis, rawEntries, REDIS_URL, testPrefix } from '../support/redis.js';

const VISITS = 200;

/** Every session record the store holds, signed in or not. */
const storedSessions = (bff: TestBff) =>
  new Promise<number>((resolve, reject) =>
    bff.deps.backend.store.length?.((err, n) => (err ? reject(err) : resolve(n ?? 0))),
  );

const setCookies = (res: { headers: Record<string, unknown> }) =>
  ([] as string[]).concat((res.headers['set-cookie'] as string[] | undefined) ?? []);

/** Cookie-less visits to the sign-in form, as a crawler or a flood sends them: each gets a working form. */
async function visitLoginPage(bff: TestBff): Promise<void> {
  for (let i = 0; i < VISITS; i++) {
    const res = await request(bff.url).get('/login');
    assert.equal(res.status, 200);
    assert.match(res.text, /name="_csrf" value="[^"]{32,}"/, 'the form carries a token');
    const cookies = setCookies(res);
    assert.ok(!cookies.some((c) => c.startsWith(`${bff.config.session.cookieName}=`)), 'no session cookie');
    assert.ok(
      cookies.some((c) => c.startsWith(`${bff.config.session.csrfCookieName}=`)),
      'the form’s cookie',
    );
  }
}

describe('anonymous visitors leave nothing on the server', () => {
  let bff: TestBff;
  const open: TestBff[] = [];
  const prefixes: string[] = [];
  before(async () => {
    bff = await startBff();
    open.push(bff);
  });
  after(async () => {
    for (const started of open) await started.close();
    for (const p of prefixes) await dropPrefix(p);
  });

  it(`${VISITS} cookie-less GET /login store no session and set no session cookie (memory store)`, async () => {
    await visitLoginPage(bff);
    assert.equal(await storedSessions(bff), 0);
    await signIn(agentFor(bff.url), 'bob', 'Bob-Passw0rd!');
    assert.equal(await storedSessions(bff), 1, 'a session exists once someone signs in');
  });

  it(`${VISITS} cookie-less GET /login write no Redis key`, async (t) => {
    if (!(await needRedis(t))) return;
    const prefix = testPrefix();
    prefixes.push(prefix);
    const redis = await startBff({
      stack: bff.stack,
      env: { SESSION_STORE: 'redis', REDIS_URL, REDIS_KEY_PREFIX: prefix },
    });
    open.unshift(redis);
    await visitLoginPage(redis);
    assert.deepEqual([...(await rawEntries(prefix)).keys()], []);
    await signIn(agentFor(redis.url), 'bob', 'Bob-Passw0rd!');
    assert.ok((await rawEntries(prefix)).size > 0, 'the signed-in session is in Redis');
  });

  it('the form’s cookie is HttpOnly, SameSite=Lax, Path=/ and holds the same token as the form', async () => {
    const res = await request(bff.url).get('/login');
    const cookie = setCookies(res).find((c) => c.startsWith('bff.csrf=')) ?? '';
    assert.match(cookie, /; HttpOnly/);
    assert.match(cookie, /; SameSite=Lax/);
    assert.match(cookie, /; Path=\//);
    assert.doesNotMatch(cookie, /; Secure/, 'plain http in tests');
    const token = /name="_csrf" value="([^"]+)"/.exec(res.text)?.[1];
    assert.equal(decodeURIComponent(cookie.slice('bff.csrf='.length).split(';')[0] ?? ''), token);
  });
});
