import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { lambdaHandlers } from '../lambda/index.js';
import { createRestApiServer } from './apigw/server.js';
import { systemClock } from './clock.js';
import type { Clock } from './clock.js';
import type { Operation, OperationContext } from './cognito/operation.js';
import { createCognitoServer } from './cognito/server.js';
import { CognitoState } from './cognito/state.js';
import type { OutboxMessage, UserPool } from './cognito/state.js';
import { loadStackConfig } from './config.js';
import type { StackConfig } from './config.js';
import { createHostGuard, listenHostName } from './host-guard.js';
import { loadState, saveState } from './persist.js';
import { seedPool } from './seed.js';

export interface LocalStackOptions {
  config?: StackConfig;
  host?: string;
  cognitoPort?: number;
  apiPort?: number;
  clock?: Clock;
  /** Issuer base of every pool; `http://<host>:<cognitoPort>` by default. */
  issuerBase?: string;
  /** Keep pools, clients, groups and users in this JSON file across restarts. */
  statePath?: string;
  /**
   * Host names (or `.domain` for a domain and its subdomains) that requests may be addressed to, besides loopback
   * names, the listen host and the issuer base's host. Anything else is refused, against DNS rebinding.
   */
  allowedHosts?: readonly string[];
  /** Told of each message the pool "sends" (it is in the outbox either way). */
  onMessage?(message: OutboxMessage): void;
}

export interface LocalStack {
  region: string;
  cognitoEndpoint: string;
  /** `GET` it for the messages the pools sent (`?username=`, `?poolId=`). */
  outboxUrl: string;
  apiBaseUrl: string;
  state: CognitoState;
  clock: Clock;
  config: StackConfig;
  /** The pool named in the config (by name). */
  pool(name?: string): UserPool;
  close(): Promise<void>;
}

async function listen(server: Server, host: string, port: number): Promise<string> {
  server.listen(port, host);
  await once(server, 'listening');
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${shownHost}:${address.port}`;
}

async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/**
 * Starts the Cognito emulator and the API Gateway emulator on loopback ports (free ports by default) and seeds
 * them from the stack config, or from the saved state when there is one.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const config = options.config ?? loadStackConfig();
  const host = options.host ?? '127.0.0.1';
  const clock = options.clock ?? systemClock;
  const state = new CognitoState();
  let issuerBase = options.issuerBase ?? '';
  const ctx: OperationContext = {
    state,
    clock,
    issuerBase: () => issuerBase,
    ...(options.onMessage ? { onMessage: options.onMessage } : {}),
  };

  let saveTimer: NodeJS.Timeout | undefined;
  const statePath = options.statePath;
  const afterCall = statePath
    ? (operation: Operation) => {
        if (!operation.mutates || saveTimer) return;
        saveTimer = setTimeout(() => {
          saveTimer = undefined;
          saveState(state, statePath);
        }, 50);
      }
    : undefined;

  const allowsHost = createHostGuard([
    ...(options.allowedHosts ?? []),
    ...[listenHostName(host)].filter((name) => name !== undefined),
    ...(options.issuerBase ? [new URL(options.issuerBase).hostname] : []),
  ]);
  const cognito = createCognitoServer(ctx, { allowsHost, ...(afterCall ? { afterCall } : {}) });
  const cognitoEndpoint = await listen(cognito, host, options.cognitoPort ?? 0);
  issuerBase ||= cognitoEndpoint;

  const restored = statePath ? await loadState(ctx, statePath) : false;
  if (!restored) {
    for (const pool of config.userPools) await seedPool(ctx, pool);
    if (statePath) saveState(state, statePath);
  }

  const findPool = (name = config.api.userPool): UserPool => {
    const pool = [...state.pools.values()].find((p) => p.Name === name || p.Id === name);
    if (!pool) throw new Error(`No user pool named ${name}`);
    return pool;
  };
  findPool();

  const api = createRestApiServer({
    stage: config.api.stage,
    routes: config.api.routes,
    handlers: lambdaHandlers,
    clock,
    allowsHost,
    authorizerPool: () => {
      const pool = findPool();
      return { issuer: pool.issuer, jwks: [pool.key.publicJwk], clientIds: [...pool.clients.keys()] };
    },
  });
  const apiBase = await listen(api, host, options.apiPort ?? 0);

  return {
    region: 'us-east-1',
    cognitoEndpoint,
    outboxUrl: `${cognitoEndpoint}/_outbox`,
    apiBaseUrl: `${apiBase}/${config.api.stage}`,
    state,
    clock,
    config,
    pool: findPool,
    async close() {
      if (saveTimer && statePath) {
        clearTimeout(saveTimer);
        saveState(state, statePath);
      }
      await Promise.all([closeServer(cognito), closeServer(api)]);
    },
  };
}
