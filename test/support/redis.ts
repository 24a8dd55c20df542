import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { TestContext } from 'node:test';
import { createClient } from 'redis';
import { freePort } from './faults.js';
import { inCI, needTool } from './tools.js';

export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** A unique key prefix per test, so runs never see each other's keys. */
export const testPrefix = () => `cbff-test:${randomUUID().slice(0, 8)}:`;

export async function redisAnswers(url = REDIS_URL): Promise<boolean> {
  const client = createClient({ url, socket: { connectTimeout: 1000, reconnectStrategy: false } });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    if (client.isOpen) await client.close();
  }
}

/** Redis is required in CI; on a laptop without it, the test is skipped. */
export async function needRedis(t: TestContext): Promise<boolean> {
  if (await redisAnswers()) return true;
  if (inCI) throw new Error(`Redis is required in CI but ${REDIS_URL} does not answer`);
  t.skip(`Redis not reachable at ${REDIS_URL}`);
  return false;
}

/** Every key and value under a prefix, read raw from Redis (a sorted set's members one per line). */
export async function rawEntries(prefix: string): Promise<Map<string, string>> {
  const client = createClient({ url: REDIS_URL });
  await client.connect();
  try {
    const out = new Map<string, string>();
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 100 })) {
      for (const key of keys) {
        const value =
          (await client.type(key)) === 'zset' ? (await client.zRange(key, 0, -1)).join('\n') : await client.get(key);
        if (value !== null) out.set(key, value);
      }
    }
    return out;
  } finally {
    await client.close();
  }
}

/** Each key's time to live in ms, as Redis reports it (-2: no such key, -1: no expiry). */
export async function pttls(keys: string[]): Promise<number[]> {
  const client = createClient({ url: REDIS_URL });
  await client.connect();
  try {
    return await Promise.all(keys.map((key) => client.pTTL(key)));
  } finally {
    await client.close();
  }
}

/**
 * Moves Redis's time forward for the keys under a prefix, as `ms` of waiting would: every key with a TTL loses `ms`
 * of it, and one whose TTL runs out is removed. Keys without a TTL are kept forever, as Redis would keep them, so a
 * test that fast-forwards still catches a key written without one.
 */
export async function advanceRedisTtls(prefix: string, ms: number): Promise<void> {
  const client = createClient({ url: REDIS_URL });
  await client.connect();
  try {
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 100 })) {
      for (const key of keys) {
        const left = await client.pTTL(key);
        if (left < 0) continue;
        if (left <= ms) await client.del(key);
        else await client.pExpire(key, left - ms);
      }
    }
  } finally {
    await client.close();
  }
}

export async function dropPrefix(prefix: string): Promise<void> {
  const client = createClient({ url: REDIS_URL });
  client.on('error', () => undefined);
  try {
    await client.connect();
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 100 })) {
      if (keys.length > 0) await client.del(keys);
    }
  } catch {
    // Redis not there: nothing to clean.
  } finally {
    if (client.isOpen) await client.close();
  }
}

/** A Redis server of the test's own, so the test can stop, freeze and resume it. */
export interface OwnRedis {
  url: string;
  /** SIGSTOP: the process stops answering, its connections stay open. */
  freeze(): void;
  /** SIGCONT. */
  thaw(): void;
  stop(): Promise<void>;
}

/** Starts one on `port` (a free one by default). */
export async function startOwnRedis(t: TestContext, port?: number): Promise<OwnRedis | undefined> {
  if (!needTool(t, 'redis-server')) return undefined;
  port ??= await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 100 && !(await redisAnswers(url)); i++) await sleep(50);
  if (!(await redisAnswers(url))) throw new Error(`redis-server on port ${port} did not start`);
  const signal = (name: NodeJS.Signals) => {
    if (child.exitCode === null) child.kill(name);
  };
  return {
    url,
    freeze: () => signal('SIGSTOP'),
    thaw: () => signal('SIGCONT'),
    async stop() {
      if (child.exitCode !== null) return;
      signal('SIGCONT');
      const exited = once(child, 'exit');
      signal('SIGTERM');
      await exited;
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
