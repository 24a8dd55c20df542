/**
 * Memory per idle session: 10,000 signed-in sessions written the way the BFF writes them (a sealed user in the
 * session record, sealed tokens of realistic size in the vault), measured as heap growth for the memory store and
 * as Redis used_memory growth for Redis.
 */
import { randomBytes } from 'node:crypto';
import type { SessionData } from 'express-session';
import { createClient } from 'redis';
import { loadConfig } from '../src/config/config.js';
import { createLogger } from '../src/http/logger.js';
import { createBackend } from '../src/session/backend.js';

const COUNT = 10_000;
const jwtLike = (length: number) =>
  randomBytes(Math.ceil((length * 3) / 4))
    .toString('base64url')
    .slice(0, length);

async function fill(store: 'memory' | 'redis', redisUrl: string, prefix: string): Promise<void> {
  const backend = await createBackend(
    loadConfig(
      { LOG_LEVEL: 'silent', SESSION_STORE: store, REDIS_URL: redisUrl, REDIS_KEY_PREFIX: prefix },
      {
        region: 'us-east-1',
        userPoolId: 'us-east-1_Bench1234',
        clientId: 'benchclient',
        endpoint: 'http://127.0.0.1:9',
        apiBaseUrl: 'http://127.0.0.1:9/x',
        sessionSecret: 'bench-session-secret-0123456789abcdef0123',
        tokenEncryptionKey: Buffer.alloc(32, 1),
      },
    ),
    createLogger('silent'),
    { onStoreError: () => undefined },
  );
  const sealedUser = await backend.sealer.seal({
    sub: crypto.randomUUID(),
    username: 'someone',
    email: 'someone@example.com',
    groups: ['readers'],
  });
  const now = Date.now();
  for (let i = 0; i < COUNT; i++) {
    const sid = randomBytes(24).toString('base64url');
    const session = {
      cookie: {
        originalMaxAge: 28_800_000,
        expires: new Date(now + 28_800_000),
        httpOnly: true,
        path: '/',
        sameSite: 'lax',
        secure: false,
      },
      auth: { sealedUser, signedInAt: now, expiresAt: now + 28_800_000 },
    } as unknown as SessionData;
    await new Promise<void>((resolve, reject) =>
      backend.store.set(sid, session, (err) => (err ? reject(err) : resolve())),
    );
    await backend.vault.put(
      sid,
      {
        tokens: {
          idToken: jwtLike(1050),
          accessToken: jwtLike(1000),
          refreshToken: jwtLike(1780),
          idTokenExpiresAt: now + 3600_000,
        },
        version: 1,
      },
      28_800_000,
    );
  }
  if (store === 'redis') await backend.close();
  else (globalThis as { benchKeep?: unknown }).benchKeep = backend;
}

async function redisUsed(url: string): Promise<number> {
  const client = createClient({ url });
  await client.connect();
  const info = await client.info('memory');
  await client.close();
  return Number(/used_memory:(\d+)/.exec(info)?.[1]);
}

export async function measureSessionMemory(redisUrl: string): Promise<{ memoryBytes: number; redisBytes?: number }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  await fill('memory', redisUrl, 'unused:');
  gc?.();
  const memoryBytes = (process.memoryUsage().heapUsed - before) / COUNT;
  let redisBytes: number | undefined;
  try {
    const prefix = `bench-mem-${process.pid}:`;
    const start = await redisUsed(redisUrl);
    await fill('redis', redisUrl, prefix);
    redisBytes = ((await redisUsed(redisUrl)) - start) / COUNT;
    const client = createClient({ url: redisUrl });
    await client.connect();
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 }))
      if (keys.length) await client.del(keys);
    await client.close();
  } catch {
    redisBytes = undefined;
  }
  return { memoryBytes, ...(redisBytes === undefined ? {} : { redisBytes }) };
}
