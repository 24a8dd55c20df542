import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import express from 'express';
import request from 'supertest';
import { requireSignIn, signedIn } from '../../src/auth/require-sign-in.js';

/** A page and a JSON route behind the guard; `x-test-signed-in` stands in for the session (minutes left). */
function appWithGuard() {
  const app = express();
  app.use((req, _res, next) => {
    const minutes = Number(req.headers['x-test-signed-in'] ?? 'NaN');
    if (Number.isFinite(minutes)) {
      const now = Date.now();
      req.signedIn = {
        user: { sub: 's', username: 'bob', groups: [] },
        signedInAt: now,
        expiresAt: now + minutes * 60_000,
      };
    }
    next();
  });
  app.get('/account', requireSignIn(), (req, res) => {
    res.send(`account of ${signedIn(req).user.username}`);
  });
  app.post('/account/name', requireSignIn(), (_req, res) => {
    res.send('renamed');
  });
  app.get('/auth/state', requireSignIn(), (_req, res) => {
    res.json({ ok: true });
  });
  return app;
}

describe('requireSignIn', () => {
  const app = appWithGuard();

  it('sends an anonymous page visit to sign in, to come back to the same page', async () => {
    const res = await request(app).get('/account?tab=security');
    assert.equal(res.status, 303);
    assert.equal(res.headers['location'], '/login?returnTo=%2Faccount%3Ftab%3Dsecurity');
    assert.equal(res.headers['cache-control'], 'no-store');
  });

  it('sends an anonymous form post to sign in, coming back to the start (a post cannot be replayed)', async () => {
    const res = await request(app).post('/account/name').type('form').send({ name: 'x' });
    assert.equal(res.status, 303);
    assert.equal(res.headers['location'], '/login?returnTo=%2F');
  });

  it('answers an anonymous JSON call 401 {"error":"unauthenticated"}', async () => {
    for (const [path, accept] of [
      ['/auth/state', '*/*'],
      ['/account', 'application/json'],
    ] as const) {
      const res = await request(app).get(path).set('accept', accept);
      assert.equal(res.status, 401, path);
      assert.deepEqual(res.body, { error: 'unauthenticated' }, path);
      assert.equal(res.headers['cache-control'], 'no-store', path);
    }
  });

  it('lets a signed-in visitor through, and treats a session past its end as anonymous', async () => {
    const live = await request(app).get('/account').set('x-test-signed-in', '5');
    assert.equal(live.status, 200);
    assert.equal(live.text, 'account of bob');
    const ended = await request(app).get('/account').set('x-test-signed-in', '-1');
    assert.equal(ended.status, 303);
  });
});
