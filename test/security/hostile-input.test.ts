import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { Agent as UndiciAgent, request } from 'undici';
import { agentFor, cookieHeader, formToken, postForm, signIn } from '../support/browserless.js';
import { startBff } from '../support/bff.js';
import type { TestBff } from '../support/bff.js';
import { returnToAttempt } from '../support/return-to.js';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 1000);

/** Header-safe text: visible ASCII and spaces, no CR/LF (a client cannot send those anyway). */
const headerText = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 200,
});
const pathSegment = fc.oneof(
  fc.constantFrom(
    '..',
    '.',
    '%2e%2e',
    '%2E%2e%2F',
    '%2f',
    '%5c',
    '%00',
    '%ff',
    '%',
    '%%',
    '//',
    'evil.example',
    '%252e%252e',
    '%2e',
    '.%2E',
    '%2e.',
    '%2E%2E%5C',
    '..%2f..%2f',
    '%c0%ae%c0%ae',
    '~',
    '*',
  ),
  fc.string({ unit: fc.constantFrom(..."abcXYZ019-._~!$&'()*+,;=:@%".split('')), maxLength: 12 }),
);
const hostilePath = fc.array(pathSegment, { maxLength: 6 }).map((parts) => `/${parts.join('/')}`);
const query = fc.option(
  fc
    .string({ unit: fc.constantFrom(...'a=&%?#+ /\\:'.split('')), maxLength: 30 })
    .map((q) => `?${q.replace(/[ #]/g, '')}`),
  { nil: '' },
);
const bytes = fc.uint8Array({ maxLength: 2048 });
const method = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS');
const contentType = fc.constantFrom(
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=latin1',
  'application/x-www-form-urlencoded; charset=utf-7',
  'application/json',
  'text/plain',
  'multipart/form-data; boundary=x',
  '',
);

describe('hostile input: generated requests never crash the server, never get a 5xx, never see a token', () => {
  let bff: TestBff;
  let cookie: string;
  let secrets: string[];
  const dispatcher = new UndiciAgent({ connections: 8 });
  before(async () => {
    bff = await startBff({ env: { SIGN_IN_LIMIT_PER_IP: '100000', SIGN_IN_LIMIT_PER_USERNAME: '10000' } });
    const agent = agentFor(bff.url);
    await signIn(agent, 'bob', 'Bob-Passw0rd!');
    const me = await agent.get('/auth/me');
    assert.equal(me.status, 200);
    const jar = (agent as unknown as { jar: { getCookies(a: object): { name: string; value: string }[] } }).jar;
    const found = jar
      .getCookies({ domain: '127.0.0.1', path: '/', secure: false, script: false })
      .find((c) => c.name === 'bff.sid');
    cookie = `bff.sid=${found?.value ?? ''}`;
    const [session] = await bff.sessions();
    assert.ok(session);
    secrets = [
      session.tokens.idToken,
      session.tokens.accessToken,
      session.tokens.refreshToken,
      bff.config.cognito.clientSecret ?? '',
    ];
  });
  after(async () => {
    await dispatcher.close();
    await bff?.close();
  });

  async function send(init: { method: string; path: string; headers?: Record<string, string>; body?: Uint8Array }) {
    let res;
    try {
      res = await request(`${bff.url}${init.path}`, {
        method: init.method as 'GET',
        headers: init.headers ?? {},
        body: init.method === 'GET' || init.method === 'HEAD' ? null : (init.body ?? null),
        dispatcher,
        signal: AbortSignal.timeout(10_000),
      });
    } catch (err) {
      if ((err as Error).name === 'TimeoutError')
        assert.fail(`no answer to ${init.method} ${init.path} ${JSON.stringify(init.headers)}`);
      const code = (err as { code?: string }).code ?? '';
      // The client refused to send it (invalid characters): nothing reached the server.
      if (code === 'UND_ERR_INVALID_ARG' || (err as Error).name === 'InvalidArgumentError') return undefined;
      throw err;
    }
    const text = await res.body.text();
    assert.ok(res.statusCode < 500, `${init.method} ${init.path} answered ${res.statusCode}: ${text.slice(0, 200)}`);
    const headers = JSON.stringify(res.headers);
    for (const secret of secrets) {
      assert.ok(
        !text.includes(secret) && !headers.includes(secret),
        `a secret in the answer to ${init.method} ${init.path}`,
      );
    }
    assert.doesNotMatch(text, /node_modules|at \w+ \(\/|Error: /, 'no stack trace');
    return { status: res.statusCode, headers: res.headers, text };
  }

  const withCookie = fc.boolean();
  const headersArb = fc.record({
    cookie: fc.oneof(
      fc.constant(undefined),
      headerText,
      fc.constant('bff.sid=s%3Aforged.sig'),
      fc.constant('bff.sid=%E0%A4%A'),
      fc.constantFrom('bff.csrf=j:{"a":1}', 'bff.csrf=j:[1]', 'bff.csrf=%E0%A4%A', 'bff.csrf=.', 'bff.csrf=a.b.c'),
      headerText.map((value) => `bff.csrf=${value}`),
    ),
    'x-forwarded-for': fc.option(headerText, { nil: undefined }),
    'x-forwarded-host': fc.option(headerText, { nil: undefined }),
    'x-forwarded-proto': fc.option(fc.constantFrom('https', 'http', 'gopher', ''), { nil: undefined }),
    accept: fc.option(fc.constantFrom('text/html', 'application/json', '*/*', '', 'x/y;q=abc'), { nil: undefined }),
    origin: fc.option(fc.constantFrom('null', 'https://evil.example', 'http://127.0.0.1'), { nil: undefined }),
  });
  const clean = (h: Record<string, string | undefined>) =>
    Object.fromEntries(Object.entries(h).filter((e): e is [string, string] => e[1] !== undefined));

  it('any method on any path', async () => {
    await fc.assert(
      fc.asyncProperty(
        method,
        hostilePath,
        query,
        headersArb,
        bytes,
        withCookie,
        async (m, path, q, headers, body, signedIn) => {
          await send({
            method: m,
            path: path + q,
            headers: { ...clean(headers), ...(signedIn ? { cookie } : {}) },
            body,
          });
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('POST /login with any body', async () => {
    await fc.assert(
      fc.asyncProperty(contentType, bytes, headersArb, async (type, body, headers) => {
        await send({
          method: 'POST',
          path: '/login',
          headers: { ...clean(headers), ...(type ? { 'content-type': type } : {}) },
          body,
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('POST /login/new-password and /logout with any body, signed in or not', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/login/new-password', '/logout'),
        contentType,
        bytes,
        withCookie,
        async (path, type, body, signedIn) => {
          await send({
            method: 'POST',
            path,
            headers: { ...(type ? { 'content-type': type } : {}), ...(signedIn ? { cookie } : {}) },
            body,
          });
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('GET /auth/me with any cookie', async () => {
    await fc.assert(
      fc.asyncProperty(headersArb, async (headers) => {
        const res = await send({ method: 'GET', path: '/auth/me', headers: clean(headers) });
        if (res) assert.ok(res.status === 200 || res.status === 401);
      }),
      { numRuns: RUNS },
    );
  });

  it('the API proxy with any path, method and body: never a 5xx from us, never off the API base', async () => {
    await fc.assert(
      fc.asyncProperty(method, hostilePath, query, bytes, async (m, path, q, body) => {
        const res = await send({
          method: m,
          path: `/api${path}${q}`,
          headers: { cookie, 'x-csrf': '1', 'content-type': 'application/octet-stream' },
          body,
        });
        if (res && res.status === 200 && m !== 'HEAD' && path.startsWith('/echo')) {
          const seen = JSON.parse(res.text) as { path: string };
          assert.ok(!seen.path.includes('..'), `upstream saw ${seen.path}`);
        }
      }),
      { numRuns: RUNS },
    );
  });

  /** A redirect a browser would follow to this site only: a path, not `//…` or `/\\…`, on the BFF's origin. */
  const assertOnSite = (target: string, location: string) => {
    const seen = `${JSON.stringify(target)} → ${location}`;
    assert.ok(location.startsWith('/') && !location.startsWith('//') && !location.startsWith('/\\'), seen);
    assert.ok(!location.includes('\\'), seen);
    const url = new URL(location, bff.url);
    assert.equal(url.origin, bff.url, seen);
    assert.ok(!url.pathname.startsWith('//'), seen);
  };
  const asQuery = (target: string) => {
    try {
      return encodeURIComponent(target);
    } catch {
      return undefined; // a lone surrogate: no browser can send it
    }
  };

  it('returnTo: whatever a signed-in visitor is sent to /login with, it redirects to a path on this site', async () => {
    const agent = agentFor(bff.url);
    await signIn(agent, 'alice', 'Alice-Passw0rd!');
    await fc.assert(
      fc.asyncProperty(returnToAttempt, async (target) => {
        const query = asQuery(target);
        if (query === undefined) return;
        const res = await agent.get(`/login?returnTo=${query}`);
        assert.equal(res.status, 303, `${JSON.stringify(target)} answered ${res.status}`);
        assertOnSite(target, res.headers['location'] ?? '');
      }),
      { numRuns: RUNS },
    );
  });

  it('returnTo: whatever is posted with a sign-in, it redirects to a path on this site', async () => {
    await fc.assert(
      fc.asyncProperty(returnToAttempt, async (target) => {
        // A fresh visitor each time: a sign-in renews the session, and with it the form token.
        const res = await postForm(agentFor(bff.url), '/login', {
          username: 'alice',
          password: 'Alice-Passw0rd!',
          returnTo: target,
        });
        assert.equal(res.status, 303, `${JSON.stringify(target)} answered ${res.status}`);
        assertOnSite(target, res.headers['location'] ?? '');
      }),
      { numRuns: 100 },
    );
  });

  it('a form body with bytes that are not UTF-8 gets a clear answer', async () => {
    const agent = agentFor(bff.url);
    const res = await postForm(agent, '/login', { username: 'x' });
    assert.ok(res.status < 500);
    const raw = await send({
      method: 'POST',
      path: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: Buffer.from([
        0x75, 0x73, 0x65, 0x72, 0x6e, 0x61, 0x6d, 0x65, 0x3d, 0xff, 0xfe, 0x26, 0x70, 0x3d, 0xc3, 0x28,
      ]),
    });
    assert.ok(raw && raw.status >= 400 && raw.status < 500);
    // With a valid form token, so the answer is about the bytes and not the missing token.
    const token = (await formToken(agent, '/login')) ?? '';
    const withToken = await send({
      method: 'POST',
      path: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(agent, 'bff.csrf') },
      body: Buffer.concat([
        Buffer.from(`_csrf=${encodeURIComponent(token)}&username=`),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('&password='),
        Buffer.from([0xc3, 0x28]),
      ]),
    });
    assert.ok(withToken && withToken.status >= 400 && withToken.status < 500, `${withToken?.status}`);
    assert.doesNotMatch(withToken.text, /This form has expired/, 'the form token was accepted');
    assert.match(withToken.text, /<p [^>]*role="alert"[^>]*>[^<]+<\/p>/, 'a message saying what went wrong');
  });
});
