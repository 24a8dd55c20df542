/** The cognito-bff side of the benchmarks: the local Cognito emulator, a BFF process in front of an upstream, and a signed-in cookie. */
import { NODE, TSX, freePort, start } from './lib.js';
import type { Proc } from './lib.js';

export interface Emulator {
  proc: Proc;
  cognitoEndpoint: string;
  poolId: string;
  clientId: string;
  clientSecret: string;
  /** The emulated API Gateway stage (Cognito authorizer + Lambda). */
  apiBaseUrl: string;
}

export async function startEmulator(): Promise<Emulator> {
  const cognitoPort = await freePort();
  const apiPort = await freePort();
  const proc = await start(
    NODE,
    [...TSX, 'src/emulator/cli.ts', '--cognito-port', String(cognitoPort), '--api-port', String(apiPort)],
    /Ready in/,
  );
  const out = proc.output();
  return {
    proc,
    cognitoEndpoint: `http://127.0.0.1:${cognitoPort}`,
    poolId: /User pool\s+(\S+)/.exec(out)?.[1] ?? '',
    clientId: /^CLIENT_ID=(\S+)/m.exec(out)?.[1] ?? '',
    clientSecret: /^CLIENT_SECRET=(\S+)/m.exec(out)?.[1] ?? '',
    apiBaseUrl: (/API base URL\s+(\S+)/.exec(out)?.[1] ?? '').replace(/\/$/, ''),
  };
}

export interface Bff {
  proc: Proc;
  url: string;
  /** The session cookie of a user signed in as alice. */
  cookie: string;
}

/** The sign-in form's anti-forgery token, from the login page's HTML. */
export const formToken = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

export async function signIn(url: string, username: string, password: string): Promise<string> {
  const page = await fetch(`${url}/login`);
  const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const token = formToken(await page.text());
  const res = await fetch(`${url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', origin: url },
    body: new URLSearchParams({ _csrf: token, username, password }),
  });
  if (res.status !== 303) throw new Error(`sign-in to ${url} answered ${res.status}`);
  return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

/** cognito-bff in its own process (production settings, warn-level logs), with alice signed in. */
export async function startBff(
  emulator: Emulator,
  upstreamUrl: string,
  store: 'memory' | 'redis',
  redisUrl: string,
  nodeArgs: string[] = [],
  /** More settings, e.g. API_ROUTES. */
  env: Record<string, string> = {},
): Promise<Bff> {
  const port = await freePort();
  const proc = await start(NODE, [...nodeArgs, ...TSX, 'src/main.ts'], /running at/, {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: String(port),
    COGNITO_REGION: 'us-east-1',
    COGNITO_USER_POOL_ID: emulator.poolId,
    COGNITO_CLIENT_ID: emulator.clientId,
    COGNITO_CLIENT_SECRET: emulator.clientSecret,
    COGNITO_ENDPOINT: emulator.cognitoEndpoint,
    API_BASE_URL: upstreamUrl,
    SESSION_SECRET: 'bench-session-secret-0123456789abcdef0123',
    TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 5).toString('base64'),
    SESSION_STORE: store,
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: `bench-${process.pid}:`,
    SIGN_IN_LIMIT_PER_IP: '100000',
    SIGN_IN_LIMIT_PER_USERNAME: '10000',
    ...env,
  });
  const url = `http://127.0.0.1:${port}`;
  return { proc, url, cookie: await signIn(url, 'alice', 'Alice-Passw0rd!') };
}
