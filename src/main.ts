import type { AddressInfo } from 'node:net';
import { ConfigError, isLocalMode, loadConfig, processEnvironment } from './config/config.js';
import type { Config } from './config/config.js';
import { configWarnings } from './config/warnings.js';
import { buildDeps } from './deps.js';
import { createLogger } from './http/logger.js';
import { gracefulStop } from './http/shutdown.js';
import { startLocalMode } from './local-stack.js';
import type { LocalMode } from './local-stack.js';
import { createBffServer } from './server.js';

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
  const server = createBffServer(deps);
  const stopper = gracefulStop(server, deps.lifecycle);
  server.listen(config.port, config.host);
  server.on('error', (err: NodeJS.ErrnoException) => {
    console.error(
      err.code === 'EADDRINUSE'
        ? `Port ${config.port} on ${config.host} is already in use. Set PORT to another port (0 picks a free one).`
        : `Cannot listen on ${config.host}:${config.port}: ${err.code ?? err.message}`,
    );
    void deps
      .close()
      .then(() => local?.stack.close())
      .finally(() => process.exit(1));
  });
  server.on('listening', () => {
    const { port } = server.address() as AddressInfo;
    const url = env['BASE_URL'] ?? `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
    console.log(`cognito-bff is running at ${url}/`);
    if (local) {
      console.log(
        `Local mode: Cognito emulator ${local.stack.cognitoEndpoint}, API Gateway ${local.stack.apiBaseUrl}/`,
      );
      if (local.demo) {
        console.log(
          `Sign in as "${local.demo.username}" with the temporary password "${local.demo.temporaryPassword}";`,
        );
        console.log('you will be asked to choose a new password on first sign-in.');
      }
    }
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    void stopper
      .stop({
        delayMs: config.shutdown.delayMs,
        timeoutMs: config.shutdown.timeoutMs,
        onForced: (connections) =>
          logger.warn({ connections }, 'in-flight requests did not finish in time; their connections were closed'),
      })
      .then(() => deps.close())
      .then(() => local?.stack.close())
      .finally(() => process.exit(0));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  console.error('cognito-bff failed to start:', err instanceof Error ? err.message : String(err));
  process.exit(1);
});
