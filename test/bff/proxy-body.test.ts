import assert from 'node:assert/strict';
import { once } from 'node:events';
import { request } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { agentFor, cookieHeader, signIn } from '../support/browserless.js';
import { startBff } from '../support/bff.js';
import type { TestBff } from '../support/bff.js';
import { fakeHttp } from '../support/faults.js';

/** Everything a raw connection received until it closed, or what it had after `limitMs`. */
async function readUntilClosed(socket: ReturnType<typeof connect>, limitMs: number) {
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  const closed = once(socket, 'close').then(() => true);
  const closedInTime = await Promise.race([closed, sleep(limitMs).then(() => false)]);
  socket.destroy();
  return { received, closedInTime };
}

describe('API proxy: request bodies and slow clients', () => {
  let bff: TestBff;
  let cookie: string;
  let port: number;
  const api = { uploadBytes: 0, calls: 0 };
  let upstream: Awaited<ReturnType<typeof fakeHttp>>;

  before(async () => {
    upstream = await fakeHttp((req, res) => {
      api.calls++;
      req.on('data', (chunk: Buffer) => (api.uploadBytes += chunk.length));
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
    });
    bff = await startBff({
      apiBaseUrl: upstream.url,
      env: {
        PROXY_MAX_CONNECTIONS: '2',
        PROXY_QUEUE_TIMEOUT_MS: '300',
        PROXY_BODY_TIMEOUT_MS: '1000',
        HTTP_HEADERS_TIMEOUT_MS: '1000',
        HTTP_REQUEST_TIMEOUT_MS: '3000',
      },
    });
    const agent = agentFor(bff.url);
    await signIn(agent, 'bob', 'Bob-Passw0rd!');
    cookie = cookieHeader(agent);
    port = Number(new URL(bff.url).port);
  });
  after(async () => {
    await bff?.close();
    await upstream?.close();
  });

  /** An upload that sends one byte every 200 ms, as a slow or hostile client would. */
  function trickle() {
    const req = request({
      host: '127.0.0.1',
      port,
      path: '/api/upload',
      method: 'POST',
      headers: { cookie, 'x-csrf': '1', 'content-type': 'text/plain', 'content-length': '100' },
    });
    req.on('error', () => undefined);
    req.flushHeaders();
    const timer = setInterval(() => req.write('x'), 200);
    const answered = once(req, 'response').then(async (args) => {
      const res = args[0] as IncomingMessage;
      clearInterval(timer);
      let text = '';
      for await (const chunk of res) text += String(chunk);
      return { status: res.statusCode, connection: res.headers['connection'], body: JSON.parse(text) };
    });
    return { answered, stop: () => (clearInterval(timer), req.destroy()) };
  }

  it('a trickled upload holds no API connection, and gets 408 once PROXY_BODY_TIMEOUT_MS has passed', async () => {
    const callsBefore = api.calls;
    const slow = [trickle(), trickle()];
    try {
      await sleep(400);
      // Both of the pool's connections would be held by the uploads if their bodies were streamed to the API.
      const fast = await fetch(`${bff.url}/api/fast`, { headers: { cookie, 'x-csrf': '1' } });
      assert.equal(fast.status, 200, 'a call made while two uploads trickle is answered');
      const answers = await Promise.all(slow.map((s) => s.answered));
      for (const answer of answers) {
        assert.equal(answer.status, 408);
        assert.equal(answer.body.error, 'request_timeout');
        assert.equal(answer.connection, 'close');
      }
      assert.equal(api.calls, callsBefore + 1, 'only the fast call reached the API');
      assert.equal(api.uploadBytes, 0);
    } finally {
      for (const s of slow) s.stop();
    }
  });

  it('closes a connection that trickles its headers with 408, at HTTP_HEADERS_TIMEOUT_MS', async () => {
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    socket.write('GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    const timer = setInterval(() => socket.writable && socket.write('a'), 200);
    const { received, closedInTime } = await readUntilClosed(socket, 8000);
    clearInterval(timer);
    assert.ok(closedInTime, 'the connection was closed (Node would wait 60 s by default)');
    assert.match(received, /^HTTP\/1\.1 408 /);
  });

  it('logs a body Node refuses (Transfer-Encoding: xchunked) as the 400 the browser saw; counts no 502, logs no outage', async () => {
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    socket.write(
      `POST /api/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nX-CSRF: 1\r\nCookie: ${cookie}\r\n` +
        'Transfer-Encoding: xchunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n',
    );
    const { received } = await readUntilClosed(socket, 5000);
    assert.match(received, /^HTTP\/1\.1 400 /);
    await sleep(100);
    const lines = bff.logs.map(
      (l) => JSON.parse(l) as { msg: string; req?: { path?: string }; res?: { status: number } },
    );
    const line = lines.findLast((l) => l.req?.path === '/api/upload' && l.msg === 'request completed');
    assert.equal(line?.res?.status, 400);
    assert.ok(!lines.some((l) => l.msg === 'api unavailable'), 'the API is not reported down');
    const proxied = (await bff.deps.metrics.proxied.get()).values;
    assert.ok(!proxied.some((v) => v.labels.status === '502'), 'no 502 counted');
  });
});
