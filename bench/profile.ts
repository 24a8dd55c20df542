/**
 * `npm run bench:profile [-- memory|redis [seconds]]`: cognito-bff under `node --cpu-prof` behind the same wrk load
 * as `npm run bench`, then the functions with the most self time. The .cpuprofile is kept for Chrome DevTools.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NODE, TSX, freePort, start, wrk } from './lib.js';
import { startBff, startEmulator } from './stack.js';

const store = process.argv[2] === 'memory' ? 'memory' : 'redis';
const seconds = Number(process.argv[3] ?? 10);
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const upPort = await freePort();
const upstream = await start(NODE, [...TSX, 'bench/servers/upstream.ts', String(upPort)], /listening/);
const emulator = await startEmulator();
const dir = mkdtempSync(join(tmpdir(), 'bench-profile-'));
try {
  const bff = await startBff(emulator, `http://127.0.0.1:${upPort}`, store, REDIS_URL, [
    '--cpu-prof',
    `--cpu-prof-dir=${dir}`,
  ]);
  const run = wrk(`${bff.url}/api/`, { Cookie: bff.cookie, 'X-CSRF': '1' }, seconds, 32);
  console.log(`cognito-bff (${store}): ${run.rps.toFixed(0)} req/s, p99 ${run.p99ms} ms, ${run.errors} errors`);
  await new Promise<void>((resolve) => {
    bff.proc.child.on('exit', () => resolve());
    bff.proc.stop();
  });
} finally {
  upstream.stop();
  emulator.proc.stop();
}

// tsx's module loader runs in a worker with a profile of its own; the main thread's is the largest.
const file = readdirSync(dir)
  .filter((f) => f.endsWith('.cpuprofile'))
  .sort((a, b) => statSync(join(dir, b)).size - statSync(join(dir, a)).size)[0];
if (!file) throw new Error(`no profile was written to ${dir}`);
const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile;
const self = new Map<number, number>();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const byFunction = new Map<string, number>();
let total = 0;
for (const node of profile.nodes) {
  const us = self.get(node.id) ?? 0;
  total += us;
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url.replace(/^file:\/\/.*?\/node_modules\//, '').replace(/^file:\/\/.*?\/src\//, 'src/');
  const key = `${functionName || '(anonymous)'} ${where ? `${where}:${lineNumber + 1}` : ''}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + us);
}
console.log(`\nTop self time (${(total / 1e6).toFixed(1)} s sampled), profile: ${join(dir, file)}\n`);
for (const [key, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 40))
  console.log(`${((100 * us) / total).toFixed(1).padStart(5)}%  ${key}`);
