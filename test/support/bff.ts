import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { SessionData } from 'express-session';
import { createBffServer } from '../../src/server.js';
import { loadConfig } from '../../src/config/config.js';
import type { Config } from '../../src/config/config.js';
import { buildDeps } from '../../src/deps.js';
import type { RunningDeps } from '../../src/deps.js';
import { createLogger } from '../../src/http/logger.js';
import type { TokenSet } from '../../src/cognito/auth-client.js';
import type { SessionUser } from '../../src/session/types.js';
import { testClock } from './clock.js';
import type { TestClock } from './clock.js';
import { advanceRedisTtls } from './redis.js';
import { startTestStack } from './stack.js';
import type { TestStack } from './stack.js';

export const SESSION_SECRET = 'test-session-secret-0123456789-abcdefghij';
export const TOKEN_KEY = Buffer.from('0123456789abcdef0123456789abcdef');

export interface ServerSession {
  sid: string;
  user: SessionUser;
  tokens: TokenSet;
  version: number;
}

export interface TestBff {
  url: string;
  stack: TestStack;
  config: Config;
  deps: RunningDeps;
  /** The BFF's clock: the real time until the test moves it. */
  clock: TestClock;
  /**
   * As if `ms` passed for the BFF: its clock moves, and so do the TTLs of its keys when its store is Redis. The
   * local stack's clock is the test's to move (`stack.clock`).
   */
  fastForward(ms: number): Promise<void>;
  /** Every log line the BFF wrote. */
  logs: string[];
  /** The server-side signed-in sessions, unsealed, for assertions on what the server holds. */
  sessions(): Promise<ServerSession[]>;
  close(): Promise<void>;
}

export interface TestBffOptions {
  stack?: TestStack;
  client?: 'confidential' | 'public';
  env?: Record<string, string>;
  /** Overrides of the settings local mode would fill in (e.g. a dead endpoint). */
  cognitoEndpoint?: string;
  /** The `/api` catch-all; null: none (API_ROUTES alone). Default: the local stack's API. */
  apiBaseUrl?: string | null;
}

/** The BFF (createBffServer) with the local stack behind it, listening on a free loopback port. */
export async function startBff(options: TestBffOptions = {}): Promise<TestBff> {
  const stack = options.stack ?? (await startTestStack());
  const client = options.client === 'public' ? stack.publicClient : stack.secretClient;
  const config = loadConfig(
    { LOG_LEVEL: 'info', ...options.env },
    {
      region: stack.region,
      userPoolId: stack.poolId,
      clientId: client.ClientId,
      ...(client.ClientSecret ? { clientSecret: client.ClientSecret } : {}),
      endpoint: options.cognitoEndpoint ?? stack.cognitoEndpoint,
      ...(options.apiBaseUrl === null ? {} : { apiBaseUrl: options.apiBaseUrl ?? stack.apiBaseUrl }),
      sessionSecret: SESSION_SECRET,
      tokenEncryptionKey: TOKEN_KEY,
    },
  );
  // The issuer is the real pool's even when the endpoint is a fault-injecting stand-in.
  config.cognito.issuer = `${stack.cognitoEndpoint}/${stack.poolId}`;
  config.cognito.jwksUri = `${config.cognito.issuer}/.well-known/jwks.json`;
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      cb();
    },
  });
  const logger = createLogger(config.logLevel, sink);
  const clock = testClock();
  const deps = await buildDeps(config, logger, clock);
  const server: Server = createBffServer(deps).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stack,
    config,
    deps,
    clock,
    async fastForward(ms) {
      clock.advance(ms);
      if (config.redis) await advanceRedisTtls(config.redis.keyPrefix, ms);
    },
    logs,
    async sessions() {
      // connect-redis lists sessions as an array with their ids; the memory store as a record.
      const all = await new Promise<Record<string, SessionData>>((resolve, reject) =>
        deps.backend.store.all?.((err, sessions) => {
          if (err) reject(err);
          else if (Array.isArray(sessions)) {
            resolve(Object.fromEntries(sessions.map((s) => [(s as SessionData & { id: string }).id, s])));
          } else resolve(sessions ?? {});
        }),
      );
      const out: ServerSession[] = [];
      for (const [sid, session] of Object.entries(all)) {
        if (!session.auth) continue;
        const stored = await deps.tokens.peek(sid);
        if (!stored) continue;
        const user = await deps.backend.sealer.open<SessionUser>(session.auth.sealedUser);
        out.push({ sid, user, tokens: stored.tokens, version: stored.version });
      }
      return out;
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await deps.close();
      if (!options.stack) await stack.close();
    },
  };
}
