import { createClient } from 'redis';
import type { Logger } from 'pino';

export type RedisClient = ReturnType<typeof createClient>;

/**
 * A Redis client that reconnects for ever (backing off to 2 s) and fails commands at once while disconnected
 * instead of queueing them, so a Redis outage becomes a quick 503 rather than hung requests.
 */
export function createRedisClient(url: string, logger: Logger): RedisClient {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 2000,
      reconnectStrategy: (retries: number) => Math.min(50 * 2 ** Math.min(retries, 6), 2000),
    },
  });
  let down = false;
  client.on('error', (err: Error) => {
    if (!down) logger.error({ err: { name: err.name, message: err.message } }, 'redis connection error');
    down = true;
  });
  client.on('ready', () => {
    if (down) logger.info('redis connection restored');
    down = false;
  });
  return client;
}

/** Connects without blocking start-up forever: the client keeps retrying in the background. */
export async function connectRedis(client: RedisClient, logger: Logger, waitMs = 3000): Promise<void> {
  const connecting = client.connect().catch((err: Error) => {
    logger.error({ err: { name: err.name, message: err.message } }, 'redis connect failed; retrying in the background');
  });
  await Promise.race([connecting, new Promise((resolve) => setTimeout(resolve, waitMs).unref())]);
}
