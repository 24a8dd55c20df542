/**
 * `npm run bench`: cognito-bff's proxy path against the tools people would use instead, in one run, alternating,
 * several rounds each, with one wrk client (-t1 -c32). Prints a Markdown table. See README "Benchmarks".
 * Settings: BENCH_ROUNDS (3), BENCH_SECONDS (5), BENCH_CONNECTIONS (32), REDIS_URL (redis://127.0.0.1:6379),
 * BENCH_ROUTES (1: also cognito-bff with Redis and an API_ROUTES route to the same upstream, token id, beside the
 * API_BASE_URL catch-all).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { Pool } from 'undici';
import { NODE, TSX, cpuMicros, freePort, median, rssMiB, start, wrk } from './lib.js';
import type { Proc, WrkResult } from './lib.js';
import { measureSessionMemory } from './session-memory.js';
import { formToken, startBff, startEmulator } from './stack.js';

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 5);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 32);
const WARMUP_SECONDS = 1;
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const ROUTES = process.env['BENCH_ROUTES'] === '1';

function ensureTools(): void {
  const missing = ['wrk', 'nginx'].filter((tool) => {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length === 0) return;
  console.error(`Installing ${missing.join(', ')} from Debian…`);
  execFileSync(
    'sh',
    ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx-light'],
    {
      stdio: 'inherit',
    },
  );
}

interface Check {
  ok: boolean;
  count: number;
  detail: string;
}

interface Target {
  name: string;
  proc: Proc;
  url: string;
  headers: Record<string, string>;
  /** Checks, after a run, that the upstream saw the right bearer token on every request. */
  verify?(requests: number): Promise<Check>;
  /** What a run without errors proves, for targets whose upstream checks the token itself. */
  errorFreeMeans?: string;
}

async function main(): Promise<void> {
  ensureTools();
  const procs: Proc[] = [];
  const stopAll = () => procs.forEach((p) => p.stop());
  process.on('exit', stopAll);
  try {
    const upPort = await freePort();
    const upstream = await start(NODE, [...TSX, 'bench/servers/upstream.ts', String(upPort)], /listening/);
    procs.push(upstream);
    const upstreamUrl = `http://127.0.0.1:${upPort}`;

    const nginxPort = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'bench-nginx-'));
    writeFileSync(
      join(dir, 'nginx.conf'),
      `worker_processes 1; daemon off; pid ${dir}/nginx.pid; error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http { access_log off;
  client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir}; uwsgi_temp_path ${dir}; scgi_temp_path ${dir};
  upstream up { server 127.0.0.1:${upPort}; keepalive 64; }
  server { listen 127.0.0.1:${nginxPort};
    location /api/ { proxy_pass http://up/; proxy_http_version 1.1; proxy_set_header Connection ""; } } }`,
    );
    const nginx = await start('nginx', ['-c', join(dir, 'nginx.conf'), '-p', dir], nginxPort);
    procs.push(nginx);

    const hpmPort = await freePort();
    const hpm = await start(
      NODE,
      [...TSX, 'bench/servers/express-proxy.ts', 'plain', String(hpmPort), upstreamUrl],
      /listening/,
    );
    procs.push(hpm);

    const plainBff = async (redis?: string) => {
      const port = await freePort();
      const proc = await start(
        NODE,
        [...TSX, 'bench/servers/express-proxy.ts', 'session', String(port), upstreamUrl, ...(redis ? [redis] : [])],
        /listening/,
      );
      procs.push(proc);
      const url = `http://127.0.0.1:${port}`;
      const res = await fetch(`${url}/login`, { method: 'POST', redirect: 'manual' });
      return { proc, url, cookie: (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '' };
    };
    const plainMemory = await plainBff();
    const plainRedis = await plainBff(REDIS_URL);

    const emulator = await startEmulator();
    procs.push(emulator.proc);
    const bff = async (store: 'memory' | 'redis') => {
      const started = await startBff(emulator, upstreamUrl, store, REDIS_URL);
      procs.push(started.proc);
      return started;
    };
    const bffMemory = await bff('memory');
    const bffRedis = await bff('redis');
    const bffApiGateway = await startBff(emulator, emulator.apiBaseUrl, 'redis', REDIS_URL);
    procs.push(bffApiGateway.proc);
    // The proxy's cost with API_ROUTES: the call is matched against a route (longest prefix first) before the
    // catch-all, and reaches the same upstream with the same token.
    const bffRoutes = ROUTES
      ? await startBff(emulator, upstreamUrl, 'redis', REDIS_URL, [], {
          API_ROUTES: JSON.stringify([{ prefix: '/api/routed', upstream: upstreamUrl, token: 'id' }]),
        })
      : undefined;
    if (bffRoutes) procs.push(bffRoutes.proc);

    const verifyBearer = async (requests: number): Promise<Check> => {
      const stats = (await (await fetch(`${upstreamUrl}/__stats`)).json()) as Record<string, number>;
      const entries = Object.entries(stats);
      const [header, count] = entries[0] ?? ['', 0];
      const claims = header.startsWith('Bearer ') ? decodeJwt(header.slice(7)) : {};
      const ok =
        entries.length === 1 &&
        claims['cognito:username'] === 'alice' &&
        claims['token_use'] === 'id' &&
        claims['iss'] === `${emulator.cognitoEndpoint}/${emulator.poolId}` &&
        count >= requests;
      return { ok, count, detail: ok ? '' : JSON.stringify(entries.map(([h, c]) => [h.slice(0, 20), c])) };
    };

    const targets: Target[] = [
      { name: 'upstream alone (Node http)', proc: upstream, url: `${upstreamUrl}/api/`, headers: {} },
      { name: 'nginx proxy (keep-alive)', proc: nginx, url: `http://127.0.0.1:${nginxPort}/api/`, headers: {} },
      {
        name: 'Express 5 + http-proxy-middleware, no auth',
        proc: hpm,
        url: `http://127.0.0.1:${hpmPort}/api/`,
        headers: {},
      },
      {
        name: 'plain express-session BFF, memory',
        proc: plainMemory.proc,
        url: `${plainMemory.url}/api/`,
        headers: { Cookie: plainMemory.cookie },
      },
      {
        name: 'plain express-session BFF, Redis',
        proc: plainRedis.proc,
        url: `${plainRedis.url}/api/`,
        headers: { Cookie: plainRedis.cookie },
      },
      {
        name: 'cognito-bff, memory store',
        proc: bffMemory.proc,
        url: `${bffMemory.url}/api/`,
        headers: { Cookie: bffMemory.cookie, 'X-CSRF': '1' },
        verify: verifyBearer,
      },
      {
        name: 'cognito-bff, Redis store',
        proc: bffRedis.proc,
        url: `${bffRedis.url}/api/`,
        headers: { Cookie: bffRedis.cookie, 'X-CSRF': '1' },
        verify: verifyBearer,
      },
      ...(bffRoutes
        ? [
            {
              name: 'cognito-bff, Redis store, API_ROUTES route',
              proc: bffRoutes.proc,
              url: `${bffRoutes.url}/api/routed/`,
              headers: { Cookie: bffRoutes.cookie, 'X-CSRF': '1' },
              verify: verifyBearer,
            },
          ]
        : []),
      {
        name: 'cognito-bff, Redis store → local API Gateway (Cognito authorizer) + Lambda',
        proc: bffApiGateway.proc,
        url: `${bffApiGateway.url}/api/whoami`,
        headers: { Cookie: bffApiGateway.cookie, 'X-CSRF': '1' },
        errorFreeMeans: "the authorizer accepted alice's ID token on every call",
      },
    ];

    const results = new Map<string, { runs: WrkResult[]; cpuPerReq: number[]; rss: number[]; checks: Check[] }>();
    for (const t of targets) results.set(t.name, { runs: [], cpuPerReq: [], rss: [], checks: [] });
    // Alternate: round 1 of each, round 2 of each, … Each measured run follows a short warm-up of the same target,
    // so every target is measured in its steady state rather than waking from the others' rounds.
    for (let round = 0; round < ROUNDS; round++) {
      for (const t of targets) {
        const pid = t.proc.child.pid ?? 0;
        wrk(t.url, t.headers, WARMUP_SECONDS, CONNECTIONS);
        if (t.verify) await fetch(`${upstreamUrl}/__reset`);
        const cpuBefore = cpuMicros(pid);
        const run = wrk(t.url, t.headers, SECONDS, CONNECTIONS);
        const cpu = cpuMicros(pid) - cpuBefore;
        // Let requests still in flight when wrk stopped land before the upstream's counts are read or reset.
        await new Promise((resolve) => setTimeout(resolve, 500));
        const r = results.get(t.name);
        if (!r) continue;
        r.runs.push(run);
        r.cpuPerReq.push(cpu / Math.max(1, run.requests));
        r.rss.push(rssMiB(pid));
        if (t.verify) r.checks.push(await t.verify(run.requests - run.errors));
        if (run.errors > 0) r.checks.push({ ok: false, count: 0, detail: `${run.errors} errors` });
        process.stderr.write(
          `round ${round + 1} ${t.name}: ${run.rps.toFixed(0)} req/s, p50 ${run.p50ms} ms, p99 ${run.p99ms} ms\n`,
        );
      }
    }

    const signIns = await signInRate(bffMemory.url);
    const memory = await measureSessionMemory(REDIS_URL);

    const row = (name: string) => results.get(name);
    const med = (name: string) => median(row(name)?.runs.map((r) => r.rps) ?? []);
    const upstreamRps = med(targets[0]?.name ?? '');
    const hpmRps = med(targets[2]?.name ?? '');
    console.log(
      `\n### Proxy throughput (${ROUNDS} rounds × ${SECONDS} s, wrk -t1 -c${CONNECTIONS}, ${cpus().length} cores: ${cpus()[0]?.model ?? ''})\n`,
    );
    console.log(
      '| target | req/s median (min–max) | p50 ms | p99 ms | server CPU µs/req | RSS MiB | × upstream | × Express+hpm | check |',
    );
    console.log('|---|---|---|---|---|---|---|---|---|');
    for (const t of targets) {
      const r = row(t.name);
      if (!r) continue;
      const rps = r.runs.map((x) => x.rps);
      const m = median(rps);
      const failed = r.checks.filter((c) => !c.ok).map((c) => c.detail);
      const check =
        failed.length > 0
          ? `FAILED: ${failed.join('; ')}`
          : t.verify
            ? `all ${r.checks.reduce((sum, c) => sum + c.count, 0)} reached the upstream with alice's ID token`
            : (t.errorFreeMeans ?? '—');
      console.log(
        `| ${t.name} | ${m.toFixed(0)} (${Math.min(...rps).toFixed(0)}–${Math.max(...rps).toFixed(0)}) | ${median(r.runs.map((x) => x.p50ms)).toFixed(2)} | ${median(r.runs.map((x) => x.p99ms)).toFixed(2)} | ${median(r.cpuPerReq).toFixed(0)} | ${median(r.rss).toFixed(0)} | ${(m / upstreamRps).toFixed(2)} | ${(m / hpmRps).toFixed(2)} | ${check} |`,
      );
    }
    const ours = 'cognito-bff, Redis store';
    const vsPlain = med(ours) / med('plain express-session BFF, Redis');
    const vsHpm = med(ours) / med('Express 5 + http-proxy-middleware, no auth');
    const p99 = median(row(ours)?.runs.map((x) => x.p99ms) ?? []);
    const cpu = median(row(ours)?.cpuPerReq ?? []);
    const verdict = (met: boolean) => (met ? 'met' : 'NOT met');
    console.log(`\nTargets for cognito-bff with Redis:\n`);
    console.log(
      `- ${vsPlain.toFixed(2)}× the plain express-session BFF with Redis (goal ≥ 2): ${verdict(vsPlain >= 2)}`,
    );
    console.log(`- ${vsHpm.toFixed(2)}× Express + http-proxy-middleware (goal ≥ 1.3): ${verdict(vsHpm >= 1.3)}`);
    console.log(`- p99 ${p99.toFixed(2)} ms at ${CONNECTIONS} connections (goal ≤ 10): ${verdict(p99 <= 10)}`);
    console.log(`- ${cpu.toFixed(0)} µs of server CPU per call (goal ≤ 150): ${verdict(cpu <= 150)}`);
    console.log(`\n### Sign-in and sessions\n`);
    console.log('| measure | value |\n|---|---|');
    console.log(
      `| sign-ins per second end to end (GET /login + POST /login, BFF + local Cognito, 16 concurrent, 5 s) | ${signIns.toFixed(0)} |`,
    );
    console.log(
      `| memory per idle session, memory store (10,000 sessions, heap) | ${memory.memoryBytes.toFixed(0)} bytes |`,
    );
    console.log(
      `| memory per idle session, Redis (10,000 sessions, used_memory) | ${memory.redisBytes === undefined ? 'Redis not reachable' : `${memory.redisBytes.toFixed(0)} bytes`} |`,
    );
  } finally {
    stopAll();
  }
}

/** Full sign-ins per second through the BFF and the local Cognito: form page, then the form post. */
async function signInRate(url: string): Promise<number> {
  const pool = new Pool(url, { connections: 16 });
  let done = 0;
  const deadline = performance.now() + 5000;
  const started = performance.now();
  const worker = async () => {
    while (performance.now() < deadline) {
      const page = await pool.request({ path: '/login', method: 'GET' });
      const cookie = String(page.headers['set-cookie'] ?? '').split(';')[0] ?? '';
      const token = formToken(await page.body.text());
      const res = await pool.request({
        path: '/login',
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: token, username: 'bob', password: 'Bob-Passw0rd!' }).toString(),
      });
      await res.body.dump();
      if (res.statusCode === 303) done++;
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  await pool.close();
  return done / ((performance.now() - started) / 1000);
}

if (!existsSync('package.json')) throw new Error('run from the repository root: npm run bench');
await main();
