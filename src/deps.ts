import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { Logger } from 'pino';
import type { AppDeps } from './app.js';
import { createCognitoAuth } from './cognito/auth-client.js';
import type { Config } from './config/config.js';
import { createApiProxy } from './proxy/api-proxy.js';
import { createSessionStore } from './session/store-factory.js';
import { createIdTokenVerifier } from './tokens/verifier.js';

export interface RunningDeps extends AppDeps {
  close(): Promise<void>;
}

/** Builds every part the app needs from the config. Nothing here listens or starts the local stack. */
export function buildDeps(config: Config, logger: Logger): RunningDeps {
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
  const cognito = createCognitoAuth({
    client,
    clientId: config.cognito.clientId,
    ...(config.cognito.clientSecret ? { clientSecret: config.cognito.clientSecret } : {}),
    verifier,
  });
  const sessions = createSessionStore(config);
  const proxy = createApiProxy({
    apiBaseUrl: config.apiBaseUrl,
    timeoutMs: config.proxy.timeoutMs,
    maxConnections: config.proxy.maxConnections,
    maxBodyBytes: config.proxy.maxBodyBytes,
    logger,
  });
  return {
    config,
    logger,
    cognito,
    sessions,
    proxy,
    async close() {
      await Promise.allSettled([proxy.close(), sessions.close()]);
      client.destroy();
    },
  };
}
