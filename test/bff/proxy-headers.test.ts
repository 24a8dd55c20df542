import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { agentFor, signIn } from '../support/browserless.js';
import { startBff } from '../support/bff.js';
import type { TestBff } from '../support/bff.js';
import { fakeHttp } from '../support/faults.js';

/** Headers a browser (or a script in it) can send that an API might believe. */
const SPOOFED = {
  'X-Forwarded-For': '6.6.6.6',
  'X-Forwarded-Host': 'evil.example',
  'X-Forwarded-Proto': 'https',
  'X-Forwarded-Port': '443',
  Forwarded: 'for=6.6.6.6;proto=https;host=evil.example',
  'X-Real-IP': '6.6.6.6',
  'X-Api-Key': 'stolen-usage-plan-key',
  'X-Amz-Date': '20260101T000000Z',
  'X-Amz-Security-Token': 'forged-session-token',
  'X-Amzn-Trace-Id': 'Root=1-forged',
  'X-Custom': 'not on the list',
};

describe('API proxy: the browser request headers the API sees', () => {
  let bff: TestBff;
  let trusting: TestBff;
  before(async () => {
    bff = await startBff({ env: { PROXY_FORWARD_HEADERS: 'X-Tenant' } });
    trusting = await startBff({ stack: bff.stack, env: { TRUST_PROXY: '1' } });
  });
  after(async () => {
    await trusting?.close();
    await bff?.close();
  });

  async function echoed(target: TestBff, headers: Record<string, string>) {
    const agent = agentFor(target.url);
    await signIn(agent, 'bob', 'Bob-Passw0rd!');
    const res = await agent.get('/api/echo').set('X-CSRF', '1').set(headers);
    assert.equal(res.status, 200);
    return res.body.headers as Record<string, string[] | undefined>;
  }

  it('never passes X-Forwarded-*, Forwarded, X-Real-IP, X-Api-Key or X-Amz-* from the browser; says itself who called', async () => {
    const seen = await echoed(bff, {
      ...SPOOFED,
      Accept: 'application/json',
      'Accept-Language': 'fr',
      'X-Tenant': 'acme',
      'X-Request-Id': 'chosen-by-the-browser-0001',
    });
    for (const name of Object.keys(SPOOFED).filter((n) => !/^x-forwarded-(for|proto)$/i.test(n))) {
      assert.equal(seen[name.toLowerCase()], undefined, `${name} reached the API`);
    }
    assert.deepEqual(
      seen['x-forwarded-for'],
      ['127.0.0.1'],
      'the address the BFF saw, not the one the browser claimed',
    );
    assert.deepEqual(seen['x-forwarded-proto'], ['http']);
    assert.deepEqual(seen['accept'], ['application/json']);
    assert.deepEqual(seen['accept-language'], ['fr']);
    assert.deepEqual(seen['x-tenant'], ['acme'], 'PROXY_FORWARD_HEADERS adds to the list');
    assert.equal(seen['x-request-id']?.length, 1);
  });

  it('behind a trusted proxy (TRUST_PROXY=1), forwards the client address that proxy reported, alone', async () => {
    const seen = await echoed(trusting, {
      'X-Forwarded-For': '10.9.9.9, 203.0.113.7',
      'X-Forwarded-Proto': 'https',
    });
    assert.deepEqual(seen['x-forwarded-for'], ['203.0.113.7']);
    assert.deepEqual(seen['x-forwarded-proto'], ['https']);
  });

  it('refuses to be configured to forward a header the BFF owns or an API might trust', () => {
    for (const name of [
      'X-Api-Key',
      'x-forwarded-for',
      'X-Amz-Security-Token',
      'Authorization',
      'Cookie',
      'Forwarded',
    ]) {
      assert.throws(
        () => loadConfig({ PROXY_FORWARD_HEADERS: `accept, ${name}` }, undefined),
        (err: unknown) =>
          err instanceof ConfigError && err.problems.some((p) => p.startsWith('PROXY_FORWARD_HEADERS:')),
        name,
      );
    }
  });
});

describe("API proxy: the API's response headers the browser sees", () => {
  let bff: TestBff;
  let https: TestBff;
  let upstream: Awaited<ReturnType<typeof fakeHttp>>;
  const received: IncomingHttpHeaders[] = [];

  before(async () => {
    upstream = await fakeHttp((req, res) => {
      received.push(req.headers);
      const path = req.url ?? '';
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'content-security-policy': "default-src * 'unsafe-inline'",
        'x-content-type-options': 'none',
        'strict-transport-security': 'max-age=0',
        'x-frame-options': 'ALLOWALL',
        'referrer-policy': 'unsafe-url',
        'access-control-allow-origin': '*',
        'access-control-allow-credentials': 'true',
        'clear-site-data': '"cookies"',
        'cache-control': 'public, max-age=3600',
        expires: 'Thu, 01 Jan 2099 00:00:00 GMT',
        etag: '"v1"',
        'x-request-id': 'the-api-own-id',
      };
      if (path.startsWith('/prod/moved-inside')) headers['location'] = `${upstreamUrl()}/prod/items/9?x=1`;
      if (path.startsWith('/prod/moved-relative')) headers['location'] = '/prod/items/10';
      if (path.startsWith('/prod/moved-outside')) headers['location'] = `${upstreamUrl()}/admin/secret`;
      if (path.startsWith('/prod/moved-away')) headers['location'] = 'https://files.example.net/report.pdf';
      res.writeHead(headers['location'] ? 302 : 200, headers);
      res.end('{}');
    });
    const apiBaseUrl = `${upstream.url}/prod`;
    bff = await startBff({ apiBaseUrl, env: { PROXY_CACHEABLE_PATHS: '/api/public/' } });
    https = await startBff({
      stack: bff.stack,
      apiBaseUrl,
      env: { BASE_URL: 'https://app.example.com', TRUST_PROXY: 'loopback' },
    });
  });
  after(async () => {
    await https?.close();
    await bff?.close();
    await upstream?.close();
  });
  const upstreamUrl = () => upstream.url;

  async function call(target: TestBff, path: string) {
    const agent = agentFor(target.url);
    await signIn(agent, 'bob', 'Bob-Passw0rd!');
    return agent.get(path).set('X-CSRF', '1');
  }

  /**
   * A call to the https BFF, the test playing the TLS-terminating proxy (X-Forwarded-Proto) and the browser's cookie
   * jar (an agent would not send Secure cookies over the test's plain http).
   */
  async function callOverHttps(target: TestBff, path: string) {
    const jar = new Map<string, string>();
    const keep = (res: request.Response) => {
      for (const line of (res.headers['set-cookie'] as unknown as string[] | undefined) ?? []) {
        const pair = line.split(';')[0] ?? '';
        jar.set(pair.slice(0, pair.indexOf('=')), pair);
      }
      return res;
    };
    const cookie = () => [...jar.values()].join('; ');
    const page = keep(await request(target.url).get('/login').set('X-Forwarded-Proto', 'https'));
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const login = keep(
      await request(target.url)
        .post('/login')
        .set('X-Forwarded-Proto', 'https')
        .set('Cookie', cookie())
        .type('form')
        .send({ _csrf: token, username: 'bob', password: 'Bob-Passw0rd!' }),
    );
    assert.equal(login.status, 303);
    return request(target.url).get(path).set('X-Forwarded-Proto', 'https').set('Cookie', cookie()).set('X-CSRF', '1');
  }

  it("keeps the BFF's security headers, drops the API's CORS, cookie-clearing and caching headers", async () => {
    const res = await call(bff, '/api/data');
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-security-policy'], "default-src 'none'; frame-ancestors 'none'");
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['referrer-policy'], 'same-origin');
    assert.equal(res.headers['strict-transport-security'], undefined, 'no HSTS on plain http, and never the API one');
    assert.equal(res.headers['x-frame-options'], undefined);
    assert.equal(res.headers['access-control-allow-origin'], undefined);
    assert.equal(res.headers['access-control-allow-credentials'], undefined);
    assert.equal(res.headers['clear-site-data'], undefined);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal(res.headers['expires'], undefined);
    assert.equal(res.headers['etag'], '"v1"', 'ordinary headers pass');
    assert.notEqual(res.headers['x-request-id'], 'the-api-own-id');
    assert.equal(received.at(-1)?.['x-request-id'], res.headers['x-request-id'], 'the API gets the BFF request id');
  });

  it("keeps the API's caching headers on the paths PROXY_CACHEABLE_PATHS names", async () => {
    const res = await call(bff, '/api/public/logo');
    assert.equal(res.headers['cache-control'], 'public, max-age=3600');
    assert.equal(res.headers['expires'], 'Thu, 01 Jan 2099 00:00:00 GMT');
  });

  it("with an https BASE_URL, the BFF's HSTS stands over the API's max-age=0", async () => {
    const res = await callOverHttps(https, '/api/data');
    assert.equal(res.status, 200);
    assert.equal(res.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains');
  });

  it('rewrites redirects into the API under /api, drops those elsewhere on its host, keeps other hosts', async () => {
    assert.equal((await call(bff, '/api/moved-inside')).headers['location'], '/api/items/9?x=1');
    assert.equal((await call(bff, '/api/moved-relative')).headers['location'], '/api/items/10');
    const outside = await call(bff, '/api/moved-outside');
    assert.equal(outside.status, 302);
    assert.equal(outside.headers['location'], undefined, 'the API host itself is never shown to the browser');
    assert.equal((await call(bff, '/api/moved-away')).headers['location'], 'https://files.example.net/report.pdf');
  });
});
