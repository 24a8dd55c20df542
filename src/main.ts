import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, isLocalMode, loadConfig, processEnvironment } from './config/config.js';
import type { Config } from './config/config.js';
import { configWarnings } from './config/warnings.js';
import { buildDeps } from './deps.js';
import { createLogger } from './http/logger.js';
import { gracefulStop } from './http/shutdown.js';
import { startLocalMode } from './local-stack.js';
import { OUTBOX_PATH } from './local/outbox-page.js';
import type { LocalMode, MfaDemoUser } from './local-stack.js';
import { createBffServer, createOpsServer } from './server.js';

interface Listener {
  server: Server;
  host: string;
  port: number;
  /** The setting to change when the port is taken. */
  setting: 'PORT' | 'OPS_PORT';
}

const urlOf = (host: string, port: number) => {
  const name = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${name}:${port}`;
};

/** Listens and resolves with the listener's URL; rejects with a sentence for the operator when it cannot. */
const listen = ({ server, host, port, setting }: Listener) =>
  new Promise<string>((resolve, reject) => {
    server.on('error', (err: NodeJS.ErrnoException) =>
      reject(
        new Error(
          err.code === 'EADDRINUSE'
            ? `Port ${port} on ${host} is already in use. Set ${setting} to another port (0 picks a free one).`
            : `Cannot listen on ${host}:${port}: ${err.code ?? err.message}`,
        ),
      ),
    );
    server.listen(port, host, () => resolve(urlOf(host, (server.address() as AddressInfo).port)));
  });

/** Where /metrics can be scraped, said once at start-up. */
function metricsLine(config: Config, publicUrl: string, opsUrl?: string): string {
  const guard = config.metricsToken ? 'a METRICS_TOKEN bearer token required' : 'open';
  if (opsUrl) return `Operations listener (/healthz, /readyz, /metrics; ${guard}) at ${opsUrl}/`;
  if (config.ops.publicMetrics) return `Metrics at ${publicUrl}/metrics (${guard})`;
  return (
    'Metrics are not served on the public listener with NODE_ENV=production: set OPS_PORT for a listener of ' +
    'their own, or METRICS_TOKEN, or METRICS_PUBLIC=true.'
  );
}

async function main(): Promise<void> {
  const env = processEnvironment();
  const local: LocalMode | undefined = isLocalMode(env) ? await startLocalMode() : undefined;
  let config: Config;
  try {
    config = loadConfig(env, local?.settings);
  } catch (err) {
    await local?.stack.close();
    if (err instanceof ConfigError) {
      console.error(err.message);
      console.error('See .env.example for every setting and its default.');
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  for (const { setting, message } of configWarnings(config)) logger.warn({ setting }, message);
  const deps = await buildDeps(config, logger);
  const listeners: Listener[] = [
    { server: createBffServer(deps), host: config.host, port: config.port, setting: 'PORT' },
  ];
  if (config.ops.listener)
    listeners.push({ server: createOpsServer(deps), ...config.ops.listener, setting: 'OPS_PORT' });
  const stoppers = listeners.map(({ server }) => gracefulStop(server, deps.lifecycle));

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const options = {
      delayMs: config.shutdown.delayMs,
      timeoutMs: config.shutdown.timeoutMs,
      onForced: (connections: number) =>
        logger.warn({ connections }, 'in-flight requests did not finish in time; their connections were closed'),
    };
    void Promise.all(stoppers.map((stopper) => stopper.stop(options)))
      .then(() => deps.close())
      .then(() => local?.stack.close())
      .finally(() => process.exit(0));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  const results = await Promise.allSettled(listeners.map(listen));
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) {
    console.error((failed.reason as Error).message);
    for (const { server } of listeners) server.close();
    await deps.close().finally(() => local?.stack.close());
    process.exit(1);
  }
  const [listening = '', opsUrl] = results.map((r) => (r.status === 'fulfilled' ? r.value : ''));
  // Local mode is opened as localhost, not 127.0.0.1: WebAuthn (passkeys) needs a secure context and a domain as
  // its relying party, and browsers count http://localhost as secure; the local pool's RP ID is "localhost".
  const url = env['BASE_URL'] ?? (local ? listening.replace('://127.0.0.1:', '://localhost:') : listening);
  console.log(`cognito-bff is running at ${url}/`);
  console.log(metricsLine(config, url, opsUrl));
  if (local) {
    console.log(`Local mode: Cognito emulator ${local.stack.cognitoEndpoint}, API Gateway ${local.stack.apiBaseUrl}/`);
    if (local.demo) {
      console.log(`Sign in as "${local.demo.username}" with the temporary password "${local.demo.temporaryPassword}";`);
      console.log('you will be asked to choose a new password on first sign-in.');
    }
    for (const user of local.mfaUsers) console.log(mfaUserLine(user));
    console.log(`Codes the local Cognito sends by email or SMS: ${url}${OUTBOX_PATH}`);
  }
}

/** How to sign in as a walkthrough user with a second factor. */
function mfaUserLine(user: MfaDemoUser): string {
  const how = user.softwareTokenSecret
    ? `then a code from an authenticator app with the key ${user.softwareTokenSecret}`
    : user.factors.includes('EMAIL_OTP')
      ? 'then the code emailed to them (see the outbox page)'
      : `then a ${user.factors.join(' or ')} code`;
  return `MFA: sign in as "${user.username}" with "${user.password}", ${how}.`;
}

main().catch((err: unknown) => {
  console.error('cognito-bff failed to start:', err instanceof Error ? err.message : String(err));
  process.exit(1);
});
