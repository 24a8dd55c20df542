import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { Logger } from 'pino';
import type { AppDeps } from './app.js';
import { createCognitoAccount } from './cognito/account-client.js';
import { createCognitoAuth } from './cognito/auth-client.js';
import { cognitoCaller } from './cognito/call.js';
import type { Config } from './config/config.js';
import { createMetrics } from './ops/metrics.js';
import { createOutageLog } from './ops/outage-log.js';
import { systemClock } from './ops/clock.js';
import type { Clock } from './shared/clock.js';
import { createApiProxy } from './proxy/api-proxy.js';
import { createBackend } from './session/backend.js';
import { createSessionReader } from './session/session-reader.js';
import { createTokenService } from './tokens/token-service.js';
import { createIdTokenVerifier } from './cognito/verifier.js';

export interface RunningDeps extends AppDeps {
  close(): Promise<void>;
}

/**
 * Builds every part the app needs from the config. Nothing here listens or starts the local stack. Every part
 * that decides by the time reads it from `clock` (tests pass one they can move).
 */
export async function buildDeps(config: Config, logger: Logger, clock: Clock = systemClock): Promise<RunningDeps> {
  const metrics = createMetrics();
  const client = new CognitoIdentityProviderClient({
    region: config.cognito.region,
    ...(config.cognito.endpoint ? { endpoint: config.cognito.endpoint } : {}),
    maxAttempts: 2,
  });
  const verifier = createIdTokenVerifier({
    issuer: config.cognito.issuer,
    jwksUri: config.cognito.jwksUri,
    clientId: config.cognito.clientId,
  });
  const outages = {
    cognito: createOutageLog({ logger, dependency: 'cognito' }),
  };
  // The JWKS comes from Cognito: failing to fetch it is a Cognito outage, logged once rather than on every
  // readiness probe; probes that come while a fetch is under way share it.
  let jwksLoaded = false;
  let jwksLoading: Promise<boolean> | undefined;
  const loadJwks = () =>
    (jwksLoading ??= verifier
      .warmUp()
      .then(
        () => {
          outages.cognito.succeeded();
          return (jwksLoaded = true);
        },
        (err: unknown) => {
          outages.cognito.failed(err);
          return false;
        },
      )
      .finally(() => (jwksLoading = undefined)));
  void loadJwks();
  const cognito = createCognitoAuth({
    client,
    clientId: config.cognito.clientId,
    ...(config.cognito.clientSecret ? { clientSecret: config.cognito.clientSecret } : {}),
    verifier,
    rotation: config.tokens.rotation,
    timeoutMs: config.cognito.timeoutMs,
    outage: outages.cognito,
  });
  const account = createCognitoAccount({
    client,
    clientId: config.cognito.clientId,
    ...(config.cognito.clientSecret ? { clientSecret: config.cognito.clientSecret } : {}),
    call: cognitoCaller(config.cognito.timeoutMs, outages.cognito),
  });
  const backend = await createBackend(
    config,
    logger,
    {
      onStoreError(operation) {
        metrics.storeErrors.inc({ operation });
      },
    },
    clock,
  );
  const tokens = createTokenService({
    vault: backend.vault,
    lock: backend.lock,
    cognito,
    metrics,
    logger,
    skewMs: config.tokens.refreshSkewSeconds * 1000,
    idleTimeoutMs: config.session.idleTimeoutSeconds * 1000,
    now: () => clock.now(),
  });
  const sessions = createSessionReader(config, backend, clock);
  const proxy = createApiProxy({
    routes: config.proxy.routes,
    maxConnections: config.proxy.maxConnections,
    queueTimeoutMs: config.proxy.queueTimeoutMs,
    maxBodyBytes: config.proxy.maxBodyBytes,
    bodyTimeoutMs: config.proxy.bodyTimeoutMs,
    forwardHeaders: config.proxy.forwardHeaders,
    cacheablePaths: config.proxy.cacheablePaths,
    logger,
    metrics,
    // With one upstream its outages are logged as the API's, as ever; with several, each names its origin.
    outageFor: (origin, origins) => createOutageLog({ logger, dependency: origins === 1 ? 'api' : `api ${origin}` }),
    tokens,
    sessions,
    baseUrl: config.baseUrl,
    trustProxy: config.trustProxy,
    endSession: (sid) => backend.store.destroy(sid, () => undefined),
  });
  return {
    config,
    logger,
    clock,
    metrics,
    cognito,
    account,
    backend,
    tokens,
    proxy,
    lifecycle: { stopping: false },
    readiness: { jwks: async () => jwksLoaded || (await loadJwks()) === true },
    async close() {
      await Promise.allSettled([proxy.close(), backend.close()]);
      outages.cognito.close();
      client.destroy();
    },
  };
}
