import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { agentFor, cookieHeader, signIn } from '../support/browserless.js';
import { startBff } from '../support/bff.js';
import type { TestBff } from '../support/bff.js';
import { deadUrl, fakeHttp } from '../support/faults.js';
import { startTestStack } from '../support/stack.js';
import type { TestStack } from '../support/stack.js';
import { redactCredential } from '../../src/lambda/redact.js';

describe('API proxy', () => {
  let bff: TestBff;
  before(async () => {
    bff = await startBff();
  });
  after(() => bff.close());

  async function signedIn() {
    const agent = agentFor(bff.url);
    await signIn(agent, 'bob', 'Bob-Passw0rd!');
    const [session] = (await bff.sessions()).filter((s) => s.user.username === 'bob').slice(-1);
    assert.ok(session);
    return { agent, idToken: session.tokens.idToken };
  }

  it('calls the walkthrough API: POST /api/ answers "Hello from Lambda!"', async () => {
    const { agent } = await signedIn();
    const res = await agent.post('/api/').set('X-CSRF', '1');
    assert.equal(res.status, 200);
    assert.equal(res.text, '"Hello from Lambda!"');
  });

  it('sends exactly one Authorization: Bearer <the user ID token>, and no browser cookie or CSRF header', async () => {
    const { agent, idToken } = await signedIn();
    const res = await agent
      .post('/api/echo/items/7?color=red&color=blue')
      .set('X-CSRF', '1')
      .set('Authorization', 'Bearer forged-by-the-browser')
      .set('Accept-Language', 'fr')
      .set('Content-Type', 'application/json')
      .send({ hello: 'world' });
    assert.equal(res.status, 200);
    const seen = res.body;
    // The echo answers the browser, so it shows a fingerprint of the token: enough to tell which one arrived.
    assert.deepEqual(seen.headers['authorization'], [redactCredential(`Bearer ${idToken}`)]);
    assert.equal(seen.headers['cookie'], undefined);
    assert.equal(seen.headers['x-csrf'], undefined);
    assert.deepEqual(seen.headers['accept-language'], ['fr']);
    assert.equal(seen.method, 'POST');
    assert.equal(seen.path, '/echo/items/7');
    assert.deepEqual(seen.query, { color: 'blue' });
    assert.equal(seen.body, '{"hello":"world"}');
    assert.equal(seen.claims['cognito:username'], 'bob');
  });

  it("drops the upstream's Set-Cookie", async () => {
    const { agent } = await signedIn();
    const res = await agent.get('/api/echo').set('X-CSRF', '1');
    assert.equal(res.status, 200);
    assert.equal(res.headers['set-cookie'], undefined);
  });

  it('passes other methods and status codes through', async () => {
    const { agent } = await signedIn();
    for (const method of ['get', 'put', 'patch', 'delete'] as const) {
      const res = await agent[method]('/api/echo').set('X-CSRF', '1');
      assert.equal(res.status, 200, method);
      assert.equal(res.body.method, method.toUpperCase());
    }
    const missing = await agent.get('/api/no-such-route').set('X-CSRF', '1');
    assert.equal(missing.status, 403);
    assert.deepEqual(missing.body, { message: 'Missing Authentication Token' });
  });

  it('answers 401 JSON without a session', async () => {
    const res = await agentFor(bff.url).post('/api/').set('X-CSRF', '1');
    assert.equal(res.status, 401);
    assert.equal(res.body.error, 'unauthenticated');
  });

  it('answers 401 JSON to a session cookie with a forged signature, right after the real one worked', async () => {
    const { agent } = await signedIn();
    assert.equal((await agent.get('/api/echo').set('X-CSRF', '1')).status, 200);
    const real = decodeURIComponent(cookieHeader(agent).slice('bff.sid='.length));
    const dot = real.lastIndexOf('.');
    const signatureChar = real[dot + 1] === 'A' ? 'B' : 'A';
    const forgeries = [
      `${real.slice(0, dot + 1)}${signatureChar}${real.slice(dot + 2)}`,
      `${real.slice(0, dot)}x${real.slice(dot)}`,
      real.slice(2),
    ];
    for (const forged of forgeries) {
      const res = await agentFor(bff.url)
        .get('/api/echo')
        .set('X-CSRF', '1')
        .set('Cookie', `bff.sid=${encodeURIComponent(forged)}`);
      assert.equal(res.status, 401, forged);
      assert.equal(res.body.error, 'unauthenticated');
    }
  });

  it('answers 401 JSON without the X-CSRF: 1 header, even when signed in', async () => {
    const { agent } = await signedIn();
    for (const header of [undefined, '0', 'yes']) {
      const req = agent.post('/api/');
      const res = header === undefined ? await req : await req.set('X-CSRF', header);
      assert.equal(res.status, 401);
      assert.equal(res.body.error, 'csrf_header_missing');
    }
  });

  it('refuses paths that would leave the API base', async () => {
    const { agent } = await signedIn();
    for (const path of ['/api/..%2f..%2fetc', '/api/%2e%2e/x', '/api/a/%252e%252e/b', '/api/a%5c..%5cb']) {
      const res = await agent.get(path).set('X-CSRF', '1');
      assert.equal(res.status, 400, path);
      assert.equal(res.body.error, 'bad_path', path);
    }
  });

  it('refuses a body over the limit with 413 JSON', async () => {
    const { agent } = await signedIn();
    const res = await agent
      .post('/api/echo')
      .set('X-CSRF', '1')
      .set('Content-Type', 'application/octet-stream')
      .send(Buffer.alloc(1024 * 1024 + 1, 1));
    assert.equal(res.status, 413);
    assert.equal(res.body.error, 'payload_too_large');
  });
});

describe('API proxy when the upstream fails', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack();
  });
  after(() => stack.close());

  it('answers 502 JSON when the API is unreachable', async () => {
    const bff = await startBff({ stack, apiBaseUrl: `${await deadUrl()}/test` });
    try {
      const agent = agentFor(bff.url);
      await signIn(agent, 'bob', 'Bob-Passw0rd!');
      const res = await agent.post('/api/').set('X-CSRF', '1');
      assert.equal(res.status, 502);
      assert.equal(res.body.error, 'upstream_unavailable');
    } finally {
      await bff.close();
    }
  });

  it('answers 504 JSON when the API is slower than PROXY_TIMEOUT_MS', async () => {
    const slow = await fakeHttp(() => {
      /* never answers */
    });
    const bff = await startBff({ stack, apiBaseUrl: `${slow.url}/test`, env: { PROXY_TIMEOUT_MS: '300' } });
    try {
      const agent = agentFor(bff.url);
      await signIn(agent, 'bob', 'Bob-Passw0rd!');
      const res = await agent.post('/api/').set('X-CSRF', '1');
      assert.equal(res.status, 504);
      assert.equal(res.body.error, 'upstream_timeout');
      const healthy = await agent.get('/auth/me');
      assert.equal(healthy.status, 200, 'the BFF keeps serving');
    } finally {
      await bff.close();
      await slow.close();
    }
  });
});
