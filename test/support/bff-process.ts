import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { TestStack } from './stack.js';

export interface BffProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * The settings of a BFF in AWS mode against the test's local stack (its confidential client), as an operator would
 * set them; `overrides` replace or add any.
 */
export function awsModeEnv(stack: TestStack, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    COGNITO_REGION: 'us-east-1',
    COGNITO_USER_POOL_ID: stack.poolId,
    COGNITO_CLIENT_ID: stack.secretClient.ClientId,
    COGNITO_CLIENT_SECRET: stack.secretClient.ClientSecret,
    COGNITO_ENDPOINT: stack.cognitoEndpoint,
    API_BASE_URL: stack.apiBaseUrl,
    SESSION_SECRET: 'process-test-session-secret-0123456789-abc',
    TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
    ...overrides,
  };
}

/** `npm start`'s entry point in its own process, in AWS mode with the given settings, on a free port. */
export async function spawnBff(env: Record<string, string>): Promise<BffProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`BFF did not start:\n${output}`)), 20_000);
    const check = () => {
      const match = /running at (http:\/\/[\d.:]+)\//.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    child.on('exit', (code) => reject(new Error(`BFF exited with ${code}:\n${output}`)));
  });
  return {
    url,
    child,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null) return child.exitCode;
      child.kill(signal);
      const [code] = (await once(child, 'exit')) as [number | null];
      return code;
    },
  };
}
