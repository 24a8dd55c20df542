import { createClient, ErrorReply } from 'redis';
import type { Logger } from 'pino';
import { DeadlineError } from '../ops/deadline.js';
import type { OutageLog } from '../ops/outage-log.js';

export type RedisClient = ReturnType<typeof createClient>;

export interface RedisOptions {
  url: string;
  /** How long any one command may take before it fails (REDIS_COMMAND_TIMEOUT_MS). */
  commandTimeoutMs: number;
  /** Told of every failed and every answered command; logs the outage, not each failure. */
  outage: OutageLog;
  logger: Logger;
}

/** Redis with a deadline on every command. Everything the BFF sends to Redis goes through `run`. */
export interface Redis {
  /** The node-redis client; its commands are only to be sent through `run`. */
  client: RedisClient;
  /** Settles like `command`, or rejects with a DeadlineError when Redis has not answered in time. */
  run<T>(command: Promise<T>): Promise<T>;
  /** Readiness: true when Redis answers a PING within the deadline. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** With no answer at all for this long, the connection is taken to be dead (see `createRedis`). */
const stallMs = (commandTimeoutMs: number) => Math.max(2000, 4 * commandTimeoutMs);

/**
 * A Redis connection that fails fast in every way Redis can fail:
 * - refused or dropped connections: commands fail at once while disconnected instead of queueing
 *   (`disableOfflineQueue`), and the client reconnects for ever, backing off to 2 s;
 * - a peer that stops answering on an open connection (a frozen process, a fork stall, a partition that drops
 *   packets, a failover without a reset): each command has a deadline, and when nothing at all has been answered for
 *   `max(2 s, 4 × deadline)` the connection is dropped and made again, so the client does not wait for TCP to give
 *   up (about 15 minutes on Linux) before it can reach a new primary.
 */
export function createRedis(options: RedisOptions): Redis {
  const { commandTimeoutMs, outage, logger } = options;
  const client = createClient({
    url: options.url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: Math.max(commandTimeoutMs, 2000),
      reconnectStrategy: (retries: number) => Math.min(50 * 2 ** Math.min(retries, 6), 2000),
    },
  });
  let lastAnswer = performance.now();
  let reconnecting = false;
  let closing = false;
  client.on('error', (err: Error) => outage.failed(err));
  client.on('ready', () => {
    lastAnswer = performance.now();
    outage.succeeded();
  });

  function reconnectIfStalled(): void {
    if (closing || reconnecting || !client.isReady || performance.now() - lastAnswer < stallMs(commandTimeoutMs))
      return;
    reconnecting = true;
    logger.warn(
      { dependency: 'redis', silentForMs: Math.round(performance.now() - lastAnswer) },
      'redis stopped answering on an open connection; reconnecting',
    );
    client.destroy();
    client
      .connect()
      .catch(() => undefined)
      .finally(() => (reconnecting = false));
  }

  /** Redis answered (a reply, or an error reply: Redis is there, the command was wrong). */
  function answered(): void {
    lastAnswer = performance.now();
    outage.succeeded();
  }

  // One promise and one timer per command: this runs on every API call.
  function run<T>(command: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        const err = new DeadlineError('redis', commandTimeoutMs);
        outage.failed(err);
        reconnectIfStalled();
        reject(err);
      }, commandTimeoutMs);
      command.then(
        (value) => {
          clearTimeout(timer);
          answered();
          resolve(value);
        },
        (err: unknown) => {
          clearTimeout(timer);
          if (err instanceof ErrorReply) answered();
          else outage.failed(err);
          reject(err);
        },
      );
    });
  }

  return {
    client,
    run,
    async ping() {
      try {
        return client.isReady && (await run(client.ping())) === 'PONG';
      } catch {
        return false;
      }
    },
    async close() {
      closing = true;
      if (!client.isOpen) {
        outage.close();
        return;
      }
      // close() waits for every pending reply; a Redis that does not answer a PING in time is dropped instead, so a
      // frozen Redis cannot hold up shutdown.
      const answering = await run(client.ping()).then(
        () => true,
        () => false,
      );
      if (answering && client.isOpen) await client.close();
      else if (client.isOpen) client.destroy();
      outage.close();
    },
  };
}

/** Connects without blocking start-up forever: the client keeps retrying in the background. */
export async function connectRedis(redis: Redis, logger: Logger, waitMs = 3000): Promise<void> {
  const connecting = redis.client.connect().catch((err: Error) => {
    logger.error({ err: { name: err.name, message: err.message } }, 'redis connect failed; retrying in the background');
  });
  await Promise.race([connecting, new Promise((resolve) => setTimeout(resolve, waitMs).unref())]);
}
