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
}

/** Redis with a deadline on every command. Everything the BFF sends to Redis goes through `run`. */
export interface Redis {
  /** The node-redis client; its commands are only to be sent through `run`. */
  client: RedisClient;
  /** Sends `command` under the deadline: it settles as node-redis settles it, failing once the deadline is over. */
  run<T>(command: Promise<T>): Promise<T>;
  /** Readiness: true when Redis answers a PING. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** Commands in flight are timed in a ring this long; more in flight at once counts as Redis not answering. */
const RING = 1 << 16;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A Redis connection that fails fast in every way Redis can fail:
 * - refused or dropped connections: commands fail at once while disconnected instead of queueing
 *   (`disableOfflineQueue`), and the client reconnects for ever, backing off to 2 s;
 * - a peer that stops answering on an open connection (a frozen process, a fork stall, a partition that drops
 *   packets, a failover without a reset), where node-redis would wait for ever (its own timeout covers only
 *   commands not yet written): a command left unanswered for `commandTimeoutMs` ends the connection. Every command
 *   waiting on it fails then (the caller answers 503), and a new connection is made, so a new primary is reached
 *   without waiting for TCP to give up (about 15 minutes on Linux); until it is ready, commands fail at once.
 *
 * Redis answers one connection's commands in order, so the oldest command still waiting is the one after the last
 * answered: a watchdog that ticks five times per deadline looks at its start time. Per command this costs a slot in
 * a ring and a listener, not a timer: `run` is on every API call.
 */
export function createRedis(options: RedisOptions): Redis {
  const { commandTimeoutMs, outage } = options;
  const client = createClient({
    url: options.url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: Math.max(commandTimeoutMs, 2000),
      reconnectStrategy: (retries: number) => Math.min(50 * 2 ** Math.min(retries, 6), 2000),
    },
  });
  client.on('error', (err: Error) => outage.failed(err));
  client.on('ready', () => outage.succeeded());

  const sentAt = new Float64Array(RING);
  let sent = 0;
  let settled = 0;
  let closing = false;

  const onAnswer = () => {
    settled++;
    outage.succeeded();
  };
  const onFailure = (err: unknown) => {
    settled++;
    // An error reply is an answer: Redis is there, the command was wrong.
    if (err instanceof ErrorReply) outage.succeeded();
    else outage.failed(err);
  };

  function run<T>(command: Promise<T>): Promise<T> {
    sentAt[sent % RING] = performance.now();
    sent++;
    command.then(onAnswer, onFailure);
    return command;
  }

  const watchdog = setInterval(
    () => {
      if (closing || sent === settled || !client.isReady) return;
      const waited = performance.now() - (sentAt[settled % RING] ?? 0);
      if (waited < commandTimeoutMs && sent - settled < RING) return;
      outage.failed(new DeadlineError('redis', commandTimeoutMs));
      client.destroy();
      client.connect().catch(() => undefined);
    },
    Math.max(10, Math.round(commandTimeoutMs / 5)),
  );
  watchdog.unref();

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
      clearInterval(watchdog);
      // The replies still due are waited for, but not past the deadline: a frozen Redis must not hold up shutdown.
      const until = performance.now() + commandTimeoutMs;
      while (sent !== settled && performance.now() < until) await sleep(10);
      if (client.isOpen) {
        if (sent === settled) await client.close();
        else client.destroy();
      }
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
