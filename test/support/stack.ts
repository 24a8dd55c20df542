import { createHmac } from 'node:crypto';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { ChallengeNameType } from '@aws-sdk/client-cognito-identity-provider';
import { Secret, TOTP } from 'otpauth';
import { manualClock } from '../../src/emulator/clock.js';
import { loadStackConfig } from '../../src/emulator/config.js';
import { startLocalStack } from '../../src/emulator/stack.js';
import type { LocalStack, LocalStackOptions } from '../../src/emulator/stack.js';
import type { AppClient, OutboxMessage, RecordedUserContext } from '../../src/emulator/cognito/state.js';

export interface TestStack extends LocalStack {
  cognito: CognitoIdentityProviderClient;
  clock: ReturnType<typeof manualClock>;
  poolId: string;
  secretClient: AppClient & { ClientSecret: string };
  publicClient: AppClient;
}

/** The walkthrough stack on free ports, with a clock the test can move and an SDK client pointed at it. */
export async function startTestStack(options: Omit<LocalStackOptions, 'clock'> = {}): Promise<TestStack> {
  const clock = manualClock();
  const stack = await startLocalStack({ config: loadStackConfig(), ...options, clock });
  const pool = stack.pool();
  const clients = [...pool.clients.values()];
  const secretClient = clients.find((c) => c.ClientSecret !== undefined);
  const publicClient = clients.find((c) => c.ClientSecret === undefined);
  if (!secretClient || !publicClient) throw new Error('walkthrough stack needs both clients');
  const cognito = sdkClient(stack.cognitoEndpoint);
  return {
    ...stack,
    clock,
    cognito,
    poolId: pool.Id,
    secretClient: secretClient as AppClient & { ClientSecret: string },
    publicClient,
    async close() {
      cognito.destroy();
      await stack.close();
    },
  };
}

export function sdkClient(endpoint: string): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
}

/** Reference SECRET_HASH for assertions, independent of the code under test. */
export const hashFor = (username: string, clientId: string, secret: string) =>
  createHmac('sha256', secret)
    .update(username + clientId)
    .digest('base64');

/** The code an authenticator app shows for `secret` at `timestamp` (ms), computed apart from the emulator's code. */
export const totpCode = (secret: string, timestamp: number) =>
  new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp });

/**
 * RespondToAuthChallenge on the walkthrough's confidential client as `username`, with USERNAME and the right
 * SECRET_HASH (or the one given; null for none) besides the challenge's own answer.
 */
export function respondAs(
  stack: TestStack,
  ChallengeName: ChallengeNameType,
  Session: string | undefined,
  username: string,
  answer: Record<string, string>,
  secretHash: string | null = hashFor(username, stack.secretClient.ClientId, stack.secretClient.ClientSecret),
) {
  return stack.cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId: stack.secretClient.ClientId,
      ChallengeName,
      Session,
      ChallengeResponses: {
        USERNAME: username,
        ...(secretHash === null ? {} : { SECRET_HASH: secretHash }),
        ...answer,
      },
    }),
  );
}

/** Runs `fn` and returns the error it throws, failing when it does not throw. */
export async function rejection(fn: () => Promise<unknown>): Promise<Error & { name: string; message: string }> {
  try {
    await fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection, got success');
}

/** One message of the emulator's outbox, as `GET <endpoint>/_outbox` lists it. */
export type OutboxEntry = OutboxMessage;

/** The outbox over HTTP, oldest first; `query` narrows it (`?username=…`, `?poolId=…`). */
export async function readOutbox(stack: LocalStack, query = ''): Promise<OutboxEntry[]> {
  const res = await fetch(`${stack.outboxUrl}${query}`);
  if (res.status !== 200) throw new Error(`outbox answered ${String(res.status)}`);
  return ((await res.json()) as { messages: OutboxEntry[] }).messages;
}

/** What the emulator-only `GET /_context` says threat protection would have scored the user's last call by. */
export async function contextOf(stack: TestStack, username: string): Promise<RecordedUserContext | null> {
  const url = new URL('/_context', stack.cognitoEndpoint);
  url.searchParams.set('poolId', stack.poolId);
  url.searchParams.set('username', username);
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`_context answered ${String(res.status)}`);
  return ((await res.json()) as { context: RecordedUserContext | null }).context;
}

/**
 * A confirmed user of the stack's pool with a permanent password and these attributes (no invitation sent), so tests
 * never share a user's sessions or password.
 */
export async function confirmedUser(
  stack: Pick<TestStack, 'cognito' | 'poolId'>,
  username: string,
  password: string,
  attributes: Record<string, string> = {},
): Promise<void> {
  await stack.cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: stack.poolId,
      Username: username,
      MessageAction: 'SUPPRESS',
      UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
    }),
  );
  await stack.cognito.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: stack.poolId,
      Username: username,
      Password: password,
      Permanent: true,
    }),
  );
}
