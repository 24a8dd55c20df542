import { randomUUID } from 'node:crypto';
import type { TestContext } from 'node:test';
import { createClient } from 'redis';
import { inCI } from './tools.js';

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

/** Every key and value under a prefix, read raw from Redis. */
export async function rawEntries(prefix: string): Promise<Map<string, string>> {
  const client = createClient({ url: REDIS_URL });
  await client.connect();
  try {
    const out = new Map<string, string>();
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 100 })) {
      for (const key of keys) {
        const value = await client.get(key);
        if (value !== null) out.set(key, value);
      }
    }
    return out;
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
