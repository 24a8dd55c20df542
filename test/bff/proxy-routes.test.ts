import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { redactCredential } from '../../src/lambda/redact.js';
import { agentFor, cookieHeader, signIn } from '../support/browserless.js';
import { startBff } from '../support/bff.js';
import type { TestBff } from '../support/bff.js';
import { deadUrl, fakeHttp } from '../support/faults.js';
import { startTestStack } from '../support/stack.js';

/** What reached an upstream: one entry per request. */
interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
}

/** An upstream that records every request, answers JSON, and redirects or refuses on a few paths. */
async function recordingUpstream() {
  const seen: Seen[] = [];
  let origin = '';
  const server = await fakeHttp((req, res) => {
    const url = req.url ?? '';
    seen.push({ method: req.method ?? '', url, authorization: req.headers.authorization });
    req.resume();
    if (url.endsWith('/hang')) return;
    if (url.endsWith('/redirect-absolute')) {
      res.writeHead(302, { location: `${origin}${url.replace('/redirect-absolute', '/next?x=1')}` });
    } else if (url.endsWith('/redirect-relative')) {
      res.writeHead(302, { location: 'sibling' });
    } else if (url.endsWith('/redirect-outside')) {
      res.writeHead(302, { location: `${origin}/somewhere-else` });
    } else if (url.endsWith('/unauthorized')) {
      res.writeHead(401, { 'content-type': 'application/json' });
    } else {
      res.writeHead(200, { 'content-type': 'application/json' });
    }
    res.end(JSON.stringify({ url }));
  });
  origin = server.url;
  return { ...server, seen };
}

/** A raw request, its path sent exactly as written (clients normalise `..` away). */
function rawGet(
  base: string,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, path, method: 'GET', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('API_ROUTES: several upstreams, each with its token', () => {
  let one: Awaited<ReturnType<typeof recordingUpstream>>;
  let two: Awaited<ReturnType<typeof recordingUpstream>>;
  let slow: Awaited<ReturnType<typeof recordingUpstream>>;
  let bff: TestBff;
  const PREFIXES = ['/api/a', '/api/a/b', '/api/n', '/api/slow'];

  before(async () => {
    one = await recordingUpstream();
    two = await recordingUpstream();
    slow = await recordingUpstream();
    const routes = [
      { prefix: '/api/a', upstream: `${one.url}/stage/a`, token: 'id' },
      { prefix: '/api/a/b', upstream: `${two.url}/stage/b/`, token: 'access', methods: ['GET', 'post'] },
      // The same origin as /api/a: the two share one pool.
      { prefix: '/api/n', upstream: `${one.url}/stage/n`, token: 'none' },
      { prefix: '/api/slow', upstream: `${slow.url}/stage/slow`, token: 'id', timeoutMs: 300 },
    ];
    bff = await startBff({ apiBaseUrl: null, env: { API_ROUTES: JSON.stringify(routes) } });
  });
  after(async () => {
    await bff.close();
    await Promise.all([one.close(), two.close(), slow.close()]);
  });
  beforeEach(() => {
    for (const upstream of [one, two, slow]) upstream.seen.length = 0;
  });
  const nothingSeen = () => assert.deepEqual([...one.seen, ...two.seen, ...slow.seen], [], 'an upstream was called');

  async function signedIn() {
    const agent = agentFor(bff.url);
    await signIn(agent, 'bob', 'Bob-Passw0rd!');
    const [session] = (await bff.sessions()).filter((s) => s.user.username === 'bob').slice(-1);
    assert.ok(session);
    return { agent, session };
  }

  it('sends each call to the route with the longest matching prefix, under its upstream path', async () => {
    const { agent } = await signedIn();
    const cases: [string, typeof one, string][] = [
      ['/api/a/b/c?q=1', two, '/stage/b/c?q=1'],
      ['/api/a/b', two, '/stage/b'],
      ['/api/a/x/y', one, '/stage/a/x/y'],
      ['/api/a', one, '/stage/a'],
      ['/api/a?q=2', one, '/stage/a?q=2'],
      ['/api/a/', one, '/stage/a/'],
      ['/api/a/bc', one, '/stage/a/bc'],
      ['/api/n/things', one, '/stage/n/things'],
      // Upper-case letters and `;parameters` that any upstream would still read under the same route.
      ['/api/a/SomeId', one, '/stage/a/SomeId'],
      ['/api/a/b/X', two, '/stage/b/X'],
      ['/api/a/x;v=1/y', one, '/stage/a/x;v=1/y'],
    ];
    for (const [path, upstream, expected] of cases) {
      upstream.seen.length = 0;
      const res = await agent.get(path).set('X-CSRF', '1');
      assert.equal(res.status, 200, path);
      assert.deepEqual(
        upstream.seen.map((s) => s.url),
        [expected],
        path,
      );
    }
  });

  it('answers 404 JSON for a path no route covers, and no upstream sees it', async () => {
    const { agent } = await signedIn();
    for (const path of ['/api/ab', '/api/an', '/api', '/api/', '/api/other/a', '/api/A', '/api/a;x/b/x']) {
      const res = await agent.get(path).set('X-CSRF', '1');
      assert.equal(res.status, 404, path);
      assert.equal(res.body.error, 'not_found', path);
      assert.match(res.headers['content-type'] ?? '', /application\/json/);
    }
    nothingSeen();
  });

  it('answers 405 with Allow to a method the route does not list, and its upstream never sees it', async () => {
    const { agent } = await signedIn();
    for (const method of ['delete', 'put', 'patch'] as const) {
      const res = await agent[method]('/api/a/b/item').set('X-CSRF', '1');
      assert.equal(res.status, 405, method);
      assert.equal(res.body.error, 'method_not_allowed');
      assert.equal(res.headers['allow'], 'GET, POST');
    }
    nothingSeen();
    const post = await agent.post('/api/a/b/item').set('X-CSRF', '1').send({ x: 1 });
    assert.equal(post.status, 200, 'methods are matched whatever their case in API_ROUTES');
    assert.deepEqual(
      two.seen.map((s) => s.method),
      ['POST'],
    );
  });

  it("gives up on a hanging upstream at its route's timeout while another route answers", async () => {
    const { agent } = await signedIn();
    const started = Date.now();
    const hanging = agent
      .get('/api/slow/hang')
      .set('X-CSRF', '1')
      .then((res) => res);
    const fast = await agent.get('/api/a/quick').set('X-CSRF', '1');
    assert.equal(fast.status, 200);
    const res = await hanging;
    const took = Date.now() - started;
    assert.equal(res.status, 504);
    assert.equal(res.body.error, 'upstream_timeout');
    assert.ok(took >= 250 && took < 3000, `the route's 300 ms, not PROXY_TIMEOUT_MS (took ${took} ms)`);
  });

  it('sends each upstream the token its route names: ID, access, or none at all', async () => {
    const { agent, session } = await signedIn();
    const call = (path: string) =>
      agent.get(path).set('X-CSRF', '1').set('Authorization', 'Bearer forged-by-the-browser');
    assert.equal((await call('/api/a/x')).status, 200);
    assert.equal((await call('/api/a/b/x')).status, 200);
    assert.equal((await call('/api/n/x')).status, 200);
    const [id, none] = one.seen;
    const [access] = two.seen;
    assert.equal(id?.authorization, `Bearer ${session.tokens.idToken}`);
    assert.equal(access?.authorization, `Bearer ${session.tokens.accessToken}`);
    assert.notEqual(session.tokens.accessToken, session.tokens.idToken);
    assert.equal(none?.url, '/stage/n/x');
    assert.equal(none?.authorization, undefined);
  });

  it('passes a 401 from a route without a token on, without refreshing the tokens', async () => {
    const { agent, session } = await signedIn();
    const res = await agent.get('/api/n/unauthorized').set('X-CSRF', '1');
    assert.equal(res.status, 401);
    assert.equal(one.seen.length, 1, 'sent once, not retried');
    const [after] = (await bff.sessions()).filter((s) => s.sid === session.sid);
    assert.equal(after?.version, session.version, 'no refresh');
  });

  it('refuses a call without X-CSRF: 1, or from another site, on every route before looking it up', async () => {
    const { agent } = await signedIn();
    for (const prefix of [...PREFIXES, '/api/no-such-route']) {
      const path = `${prefix}/x`;
      const noHeader = await agent.post(path).send({});
      assert.equal(noHeader.status, 401, path);
      assert.equal(noHeader.body.error, 'csrf_header_missing', path);
      const crossSite = await agent.post(path).set('X-CSRF', '1').set('Origin', 'https://evil.example').send({});
      assert.equal(crossSite.status, 403, path);
      assert.equal(crossSite.body.error, 'cross_site_request', path);
      const fetchMeta = await agent.delete(path).set('X-CSRF', '1').set('Sec-Fetch-Site', 'cross-site');
      assert.equal(fetchMeta.status, 403, path);
    }
    nothingSeen();
  });

  it('needs a session on every route, the one without a token too', async () => {
    for (const prefix of PREFIXES) {
      const res = await agentFor(bff.url).get(`${prefix}/x`).set('X-CSRF', '1');
      assert.equal(res.status, 401, prefix);
      assert.equal(res.body.error, 'unauthenticated', prefix);
    }
    nothingSeen();
  });

  it("keeps every call under its route's upstream path, and refuses paths that lead to another route", async () => {
    const { agent } = await signedIn();
    const headers = { cookie: cookieHeader(agent), 'x-csrf': '1' };
    const paths = [
      '/api/a/../b',
      '/api/a/b/../../n/x',
      '/api/n/..',
      '/api/a/%2e%2e/n',
      '/api/a/b/%2E%2e/x',
      '/api/n/..%2f..%2fetc',
      '/api/a/%252e%252e/x',
      '/api/a/x%5c..%5cy',
      // Decoded or with slashes merged, these are /api/a/b/x: the upstream must not reach it through /api/a.
      '/api/a/%62/x',
      '/api/a//b/x',
      // Read by an upstream that drops each segment's `;parameters` (Tomcat, Spring), these are /api/a/b/x too.
      '/api/a/b;x/x',
      '/api/a/;x/b/x',
      '/api/a/b%3bx/x',
      // And by one that ignores case (IIS).
      '/api/a/B/x',
      '/api/a/B',
      '/api/a/%42/x',
    ];
    for (const path of paths) {
      const res = await rawGet(bff.url, path, headers);
      assert.equal(res.status, 400, path);
      assert.equal(JSON.parse(res.body).error, 'bad_path', path);
    }
    nothingSeen();
  });

  it("brings redirects back under the route's prefix", async () => {
    const { agent } = await signedIn();
    const absolute = await agent.get('/api/a/b/here/redirect-absolute').set('X-CSRF', '1').redirects(0);
    assert.equal(absolute.status, 302);
    assert.equal(absolute.headers['location'], '/api/a/b/here/next?x=1');
    const relative = await agent.get('/api/n/dir/redirect-relative').set('X-CSRF', '1').redirects(0);
    assert.equal(relative.headers['location'], '/api/n/dir/sibling');
    const outside = await agent.get('/api/a/redirect-outside').set('X-CSRF', '1').redirects(0);
    assert.equal(outside.status, 302);
    assert.equal(outside.headers['location'], undefined, "a place outside the route's upstream path is dropped");
  });

  it('keeps its own security headers on every route', async () => {
    const { agent } = await signedIn();
    for (const prefix of ['/api/a', '/api/a/b', '/api/n']) {
      const res = await agent.get(`${prefix}/x`).set('X-CSRF', '1');
      assert.equal(res.headers['cache-control'], 'no-store', prefix);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', prefix);
      assert.match(res.headers['content-security-policy'] ?? '', /default-src 'none'/, prefix);
    }
  });
});

describe('API_ROUTES with one upstream down', () => {
  it('logs the outage of that upstream by its origin, while the other route answers', async () => {
    const live = await recordingUpstream();
    const dead = await deadUrl();
    const routes = [
      { prefix: '/api/live', upstream: `${live.url}/live`, token: 'id' },
      { prefix: '/api/dead', upstream: `${dead}/dead`, token: 'id' },
    ];
    const bff = await startBff({ apiBaseUrl: null, env: { API_ROUTES: JSON.stringify(routes) } });
    try {
      const agent = agentFor(bff.url);
      await signIn(agent, 'alice', 'Alice-Passw0rd!');
      for (let i = 0; i < 3; i++) {
        assert.equal((await agent.get('/api/dead/x').set('X-CSRF', '1')).status, 502);
        assert.equal((await agent.get('/api/live/x').set('X-CSRF', '1')).status, 200);
      }
      const outageLines = bff.logs
        .map((line) => JSON.parse(line) as { dependency?: string; msg: string })
        .filter((line) => line.dependency?.startsWith('api'));
      assert.deepEqual(
        outageLines.map((line) => line.msg),
        [`api ${dead} unavailable`],
        'one line for the dead upstream; the live one is never reported down or back',
      );
    } finally {
      await bff.close();
      await live.close();
    }
  });
});

describe('API_ROUTES with API_BASE_URL as the catch-all', () => {
  let other: Awaited<ReturnType<typeof recordingUpstream>>;
  let bff: TestBff;
  before(async () => {
    other = await recordingUpstream();
    const routes = [{ prefix: '/api/other', upstream: other.url, token: 'access' }];
    bff = await startBff({ env: { API_ROUTES: JSON.stringify(routes) } });
  });
  after(async () => {
    await bff.close();
    await other.close();
  });

  it('sends every other path to the local API with the ID token, as without API_ROUTES', async () => {
    const agent = agentFor(bff.url);
    await signIn(agent, 'bob', 'Bob-Passw0rd!');
    const [session] = (await bff.sessions()).filter((s) => s.user.username === 'bob').slice(-1);
    assert.ok(session);
    const hello = await agent.post('/api/').set('X-CSRF', '1');
    assert.equal(hello.status, 200);
    assert.equal(hello.text, '"Hello from Lambda!"');
    const echo = await agent.get('/api/echo/x').set('X-CSRF', '1');
    assert.equal(echo.status, 200);
    assert.deepEqual(echo.body.headers['authorization'], [redactCredential(`Bearer ${session.tokens.idToken}`)]);
    const routed = await agent.get('/api/other').set('X-CSRF', '1');
    assert.equal(routed.status, 200);
    assert.deepEqual(other.seen, [{ method: 'GET', url: '/', authorization: `Bearer ${session.tokens.accessToken}` }]);
  });

  it('refuses a path the catch-all matches that an upstream would read as /api/other', async () => {
    other.seen.length = 0;
    const agent = agentFor(bff.url);
    await signIn(agent, 'bob', 'Bob-Passw0rd!');
    const headers = { cookie: cookieHeader(agent), 'x-csrf': '1' };
    for (const path of ['/api/other;x/users', '/api/OTHER/users', '/api/Other', '/api/;x/other/users']) {
      const res = await rawGet(bff.url, path, headers);
      assert.equal(res.status, 400, path);
      assert.equal(JSON.parse(res.body).error, 'bad_path', path);
    }
    const echo = await agent.get('/api/echo/SomeId;v=1').set('X-CSRF', '1');
    assert.equal(echo.status, 200, 'a path that stays with the catch-all still passes');
    assert.deepEqual(other.seen, [], 'the other API never saw a call');
  });
});

describe('API_ROUTES against the local API Gateway: a method with OAuth scopes', () => {
  it('passes with the route that sends the access token; the ID token is refused by the authorizer', async () => {
    const stack = await startTestStack();
    const profile = `${stack.apiBaseUrl}/profile`;
    const routes = [
      { prefix: '/api/profile', upstream: profile, token: 'access' },
      { prefix: '/api/profile-by-id', upstream: profile, token: 'id' },
    ];
    const bff = await startBff({ stack, env: { API_ROUTES: JSON.stringify(routes) } });
    try {
      const agent = agentFor(bff.url);
      await signIn(agent, 'bob', 'Bob-Passw0rd!');
      const byAccess = await agent.get('/api/profile').set('X-CSRF', '1');
      assert.equal(byAccess.status, 200);
      assert.equal(byAccess.body.tokenUse, 'access');
      assert.deepEqual(byAccess.body.scopes, ['aws.cognito.signin.user.admin']);
      const byId = await agent.get('/api/profile-by-id').set('X-CSRF', '1');
      assert.equal(byId.status, 401);
      assert.deepEqual(byId.body, { message: 'Unauthorized' });
    } finally {
      await bff.close();
      await stack.close();
    }
  });
});

const AWS_ENV = {
  COGNITO_REGION: 'eu-west-1',
  COGNITO_USER_POOL_ID: 'eu-west-1_AbCdEf123',
  COGNITO_CLIENT_ID: 'abcdefghijklmnopqrstuvwxyz',
  SESSION_SECRET: 'a-session-secret-that-is-long-enough-0123',
  TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
};
const ORDERS = 'https://x.execute-api.eu-west-1.amazonaws.com/test/orders';

/** The configuration's problems for these settings (none: it loaded). */
function problems(env: Record<string, string>): string[] {
  try {
    loadConfig({ ...AWS_ENV, ...env });
    return [];
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.problems;
  }
}

describe('API_ROUTES configuration', () => {
  it('reads routes inline or from a file, filling in the defaults, with API_BASE_URL as the catch-all', () => {
    const routes = [
      { prefix: '/api/orders', upstream: `${ORDERS}/`, token: 'access', methods: ['get', 'POST'] },
      { prefix: '/api/public', upstream: 'http://10.0.0.1:8080', token: 'none', timeoutMs: 2000 },
    ];
    const dir = mkdtempSync(join(tmpdir(), 'bff-routes-'));
    const file = join(dir, 'routes.json');
    writeFileSync(file, JSON.stringify(routes));
    for (const setting of [JSON.stringify(routes), file]) {
      const config = loadConfig({
        ...AWS_ENV,
        API_ROUTES: setting,
        API_BASE_URL: 'https://abc.execute-api.eu-west-1.amazonaws.com/prod',
        PROXY_TIMEOUT_MS: '7000',
      });
      assert.deepEqual(config.proxy.routes, [
        { prefix: '/api/orders', upstream: ORDERS, token: 'access', methods: ['GET', 'POST'], timeoutMs: 7000 },
        { prefix: '/api/public', upstream: 'http://10.0.0.1:8080', token: 'none', timeoutMs: 2000 },
        {
          prefix: '/api',
          upstream: 'https://abc.execute-api.eu-west-1.amazonaws.com/prod',
          token: 'id',
          timeoutMs: 7000,
        },
      ]);
    }
  });

  it('without API_ROUTES, API_BASE_URL is the one route, with the ID token; with it, API_BASE_URL is optional', () => {
    const base = 'https://abc.execute-api.eu-west-1.amazonaws.com/prod';
    assert.deepEqual(loadConfig({ ...AWS_ENV, API_BASE_URL: base }).proxy.routes, [
      { prefix: '/api', upstream: base, token: 'id', timeoutMs: 10_000 },
    ]);
    assert.deepEqual(problems({}), ['API_BASE_URL: is required when a Cognito user pool is configured']);
    const single = { prefix: '/api/orders', upstream: ORDERS, token: 'id' };
    assert.deepEqual(loadConfig({ ...AWS_ENV, API_ROUTES: JSON.stringify(single) }).proxy.routes, [
      { ...single, timeoutMs: 10_000 },
    ]);
  });

  it('names the route by index and prefix, and the field, for each problem', () => {
    const routes = [
      { prefix: '/api/ok', upstream: ORDERS, token: 'id' },
      { prefix: '/api/orders', upstream: 'ftp://x/orders', token: 'id' },
      { prefix: '/api/nowhere', token: 'id' },
      { prefix: '/api/bad-token', upstream: ORDERS, token: 'refresh' },
      { prefix: '/api/methods', upstream: ORDERS, token: 'id', methods: ['GET', 'BREW'] },
      { prefix: '/api/slow', upstream: ORDERS, token: 'id', timeoutMs: 5 },
      { prefix: '/api/typo', upstream: ORDERS, token: 'id', timeout: 5000 },
      { prefix: '/api/ok', upstream: ORDERS, token: 'none' },
      { upstream: ORDERS, token: 'id' },
      'not-a-route',
    ];
    assert.deepEqual(problems({ API_ROUTES: JSON.stringify(routes) }), [
      'API_ROUTES[1] (/api/orders): upstream must be an http(s) URL without credentials, query or fragment',
      'API_ROUTES[2] (/api/nowhere): upstream is required',
      'API_ROUTES[3] (/api/bad-token): token must be "id", "access" or "none"',
      'API_ROUTES[4] (/api/methods): methods must each be one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS',
      'API_ROUTES[5] (/api/slow): timeoutMs must be a whole number from 100 to 300000',
      'API_ROUTES[6] (/api/typo): unknown field timeout',
      "API_ROUTES[7] (/api/ok): prefix is the same as API_ROUTES[0]'s",
      'API_ROUTES[8]: prefix is required',
      'API_ROUTES[9]: must be an object with prefix, upstream and token',
    ]);
  });

  it('takes only prefixes under /api made of plain segments', () => {
    const bad = [
      '/orders',
      '/apix',
      '/api/',
      '/api/orders/',
      '/api/../admin',
      '/api/./x',
      '/api//x',
      '/api/%2e%2e',
      'api',
    ];
    for (const prefix of bad) {
      const found = problems({ API_ROUTES: JSON.stringify([{ prefix, upstream: ORDERS, token: 'id' }]) });
      assert.equal(found.length, 1, prefix);
      assert.ok(found[0]?.startsWith(`API_ROUTES[0] (${prefix}): prefix must`), `${prefix}: ${found[0]}`);
    }
    assert.deepEqual(problems({ API_ROUTES: JSON.stringify([{ prefix: '/api', upstream: ORDERS, token: 'id' }]) }), []);
  });

  it('says what is wrong with text that is not JSON, or a file it cannot read, without quoting it', () => {
    const [inline] = problems({ API_ROUTES: '[{"prefix": /api/secret-ish}]' });
    assert.match(inline ?? '', /^API_ROUTES is not valid JSON \(/);
    assert.ok(!inline?.includes('secret-ish'), inline);
    const missing = join(tmpdir(), 'no-such-dir-for-bff', 'routes.json');
    assert.deepEqual(problems({ API_ROUTES: missing }), [`API_ROUTES: cannot read the file ${missing} (ENOENT)`]);
    const dir = mkdtempSync(join(tmpdir(), 'bff-routes-'));
    const file = join(dir, 'routes.json');
    writeFileSync(file, 'prefix=/api/orders\n');
    const [notJson] = problems({ API_ROUTES: file });
    assert.match(
      notJson ?? '',
      new RegExp(`^API_ROUTES file ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not valid JSON`),
    );
    assert.deepEqual(problems({ API_ROUTES: '"just a string"' }), [
      `API_ROUTES: cannot read the file "just a string" (ENOENT)`,
    ]);
    assert.deepEqual(problems({ API_ROUTES: '[]' }), ['API_ROUTES: must name at least one route']);
  });

  it('refuses an /api route beside API_BASE_URL, which is already the catch-all', () => {
    const routes = [{ prefix: '/api', upstream: ORDERS, token: 'access' }];
    assert.deepEqual(
      problems({
        API_ROUTES: JSON.stringify(routes),
        API_BASE_URL: 'https://abc.execute-api.eu-west-1.amazonaws.com/prod',
      }),
      ["API_ROUTES[0] (/api): /api is API_BASE_URL's catch-all; leave out one of them"],
    );
  });
});
