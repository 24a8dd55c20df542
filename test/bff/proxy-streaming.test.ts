import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { Agent, request } from 'node:http';
import type { IncomingMessage, RequestOptions } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { agentFor, cookieHeader, signIn } from '../support/browserless.js';
import { startBff } from '../support/bff.js';
import type { TestBff } from '../support/bff.js';
import { fakeHttp } from '../support/faults.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const CHUNK = Buffer.alloc(64 * 1024, 7);
const BIG_CHUNKS = 768; // 48 MiB

/** What the stand-in API saw and did, for the tests to check. */
const api = {
  written: 0,
  paths: [] as string[],
  slowClosed: false,
  uploadReceived: 0,
  unauthorizedBodies: [] as string[],
};

/** A stand-in API: a large answer written with backpressure, a never-ending one, HEAD and path echo, an upload sink. */
async function standInApi() {
  return fakeHttp((req, res) => {
    const path = req.url ?? '';
    api.paths.push(path);
    if (path === '/base/big') {
      api.written = 0;
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      let sent = 0;
      const pump = () => {
        while (sent < BIG_CHUNKS) {
          sent++;
          api.written += CHUNK.length;
          if (!res.write(CHUNK)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      pump();
      return;
    }
    if (path === '/base/slow') {
      api.slowClosed = false;
      res.on('close', () => (api.slowClosed = true));
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first part\n');
      return;
    }
    if (path === '/base/upload') {
      api.uploadReceived = 0;
      req.on('data', (chunk: Buffer) => (api.uploadReceived += chunk.length));
      req.on('end', () => res.end('stored'));
      return;
    }
    if (path === '/base/unauthorized') {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        api.unauthorizedBodies.push(body);
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end('{"message":"Unauthorized"}');
      });
      return;
    }
    req.resume();
    const body = JSON.stringify({ path, method: req.method });
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      'x-api-header': 'kept',
      connection: 'keep-alive, x-hop',
      'x-hop': 'dropped',
    });
    res.end(body);
  });
}

describe('API proxy: streaming and connections', () => {
  let bff: TestBff;
  let upstream: Awaited<ReturnType<typeof standInApi>>;
  let cookie: string;
  let port: number;

  before(async () => {
    upstream = await standInApi();
    bff = await startBff({ apiBaseUrl: `${upstream.url}/base`, env: { PROXY_TIMEOUT_MS: '3000' } });
    const agent = agentFor(bff.url);
    await signIn(agent, 'bob', 'Bob-Passw0rd!');
    cookie = cookieHeader(agent);
    port = Number(new URL(bff.url).port);
  });
  after(async () => {
    await bff.close();
    await upstream.close();
  });

  const call = (path: string, options: RequestOptions = {}) =>
    request({
      host: '127.0.0.1',
      port,
      path,
      ...options,
      headers: { cookie, 'x-csrf': '1', ...options.headers },
    });

  it('streams a 48 MiB answer byte for byte, holding the API back while the browser is not reading', async () => {
    const req = call('/api/big');
    req.end();
    const [res] = (await once(req, 'response')) as [IncomingMessage];
    assert.equal(res.statusCode, 200);
    res.pause();
    await sleep(1000);
    const writtenWhilePaused = api.written;
    assert.ok(
      writtenWhilePaused < (BIG_CHUNKS * CHUNK.length) / 2,
      `the API wrote ${writtenWhilePaused} bytes while the browser read nothing`,
    );
    const hash = createHash('sha256');
    let received = 0;
    res.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      received += chunk.length;
    });
    res.resume();
    await once(res, 'end');
    const expected = createHash('sha256');
    for (let i = 0; i < BIG_CHUNKS; i++) expected.update(CHUNK);
    assert.equal(received, BIG_CHUNKS * CHUNK.length);
    assert.equal(hash.digest('hex'), expected.digest('hex'));
  });

  it('aborts the API call when the browser goes away in the middle of an answer', async () => {
    const req = call('/api/slow');
    req.end();
    const [res] = (await once(req, 'response')) as [IncomingMessage];
    const [first] = (await once(res, 'data')) as [Buffer];
    assert.equal(first.toString(), 'first part\n');
    req.destroy();
    for (let i = 0; i < 40 && !api.slowClosed; i++) await sleep(50);
    assert.equal(api.slowClosed, true, 'the upstream request was closed');
    const still = await agentFor(bff.url).get('/healthz');
    assert.equal(still.status, 200, 'the BFF keeps serving');
  });

  it('keeps the browser connection open across HEAD, GET and POST calls', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const reused: boolean[] = [];
      for (const method of ['HEAD', 'GET', 'HEAD', 'POST', 'GET']) {
        const req = call('/api/items', { method, agent });
        req.end(method === 'POST' ? '{}' : undefined);
        const [res] = (await once(req, 'response')) as [IncomingMessage];
        const body: Buffer[] = [];
        for await (const chunk of res) body.push(chunk as Buffer);
        assert.equal(res.statusCode, 200, method);
        assert.equal(res.headers['x-api-header'], 'kept');
        assert.equal(res.headers['x-hop'], undefined, 'headers named in Connection are not passed on');
        if (method === 'HEAD') assert.equal(Buffer.concat(body).length, 0);
        else assert.deepEqual(JSON.parse(Buffer.concat(body).toString()), { path: '/base/items', method });
        reused.push(req.reusedSocket);
      }
      assert.deepEqual(reused, [false, true, true, true, true]);
    } finally {
      agent.destroy();
    }
  });

  it('maps /api and /api?query onto the API root; /apix and /API are not API calls', async () => {
    for (const [path, expected] of [
      ['/api', '/base/'],
      ['/api?x=1', '/base/?x=1'],
      ['/api/', '/base/'],
    ] as const) {
      const req = call(path);
      req.end();
      const [res] = (await once(req, 'response')) as [IncomingMessage];
      const chunks: Buffer[] = [];
      for await (const chunk of res) chunks.push(chunk as Buffer);
      assert.equal(res.statusCode, 200, path);
      assert.equal(JSON.parse(Buffer.concat(chunks).toString()).path, expected, path);
    }
    const before = api.paths.length;
    for (const path of ['/apix', '/API/items']) {
      const res = await agentFor(bff.url).get(path).set('x-csrf', '1').set('cookie', cookie);
      assert.equal(res.status, 404, path);
    }
    assert.equal(api.paths.length, before, 'nothing reached the API');
  });

  it('refuses a streamed upload (no Content-Length) once it passes the limit, with 413 JSON', async () => {
    const req = call('/api/upload', { method: 'POST', headers: { 'content-type': 'application/octet-stream' } });
    const limit = 1024 * 1024;
    let sent = 0;
    req.on('error', () => undefined);
    const responded = once(req, 'response');
    while (sent <= limit + CHUNK.length) {
      if (!req.write(CHUNK)) await once(req, 'drain');
      sent += CHUNK.length;
    }
    req.end();
    const [res] = (await responded) as [IncomingMessage];
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    assert.equal(res.statusCode, 413);
    assert.equal(JSON.parse(Buffer.concat(chunks).toString()).error, 'payload_too_large');
    assert.ok(api.uploadReceived <= limit, `the API received ${api.uploadReceived} bytes`);
  });

  it('passes on a 401 to a GET that carried a body, sent once: its body cannot be sent again', async () => {
    const body = '{"filter":"x"}';
    const req = call('/api/unauthorized', {
      method: 'GET',
      headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
    });
    req.end(body);
    const [res] = (await once(req, 'response')) as [IncomingMessage];
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    assert.equal(res.statusCode, 401);
    assert.deepEqual(JSON.parse(Buffer.concat(chunks).toString()), { message: 'Unauthorized' });
    assert.deepEqual(api.unauthorizedBodies, [body], 'sent once, with its body');
  });
});
