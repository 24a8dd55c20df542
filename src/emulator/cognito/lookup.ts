import { createHmac, timingSafeEqual } from 'node:crypto';
import { missingSecretHash, resourceNotFound, userNotFound, wrongSecretHash } from './errors.js';
import type { AppClient, CognitoState, User, UserPool } from './state.js';

export function getPool(state: CognitoState, poolId: string): UserPool {
  const pool = state.pools.get(poolId);
  if (!pool) throw resourceNotFound(`User pool ${poolId} does not exist.`);
  return pool;
}

export function getClient(state: CognitoState, clientId: string): { pool: UserPool; client: AppClient } {
  const poolId = state.clientPool.get(clientId);
  const pool = poolId === undefined ? undefined : state.pools.get(poolId);
  const client = pool?.clients.get(clientId);
  if (!pool || !client) throw resourceNotFound(`User pool client ${clientId} does not exist.`);
  return { pool, client };
}

export function getUser(state: CognitoState, pool: UserPool, username: string): User {
  const user = state.findUser(pool, username);
  if (!user) throw userNotFound();
  return user;
}

/**
 * Cognito's check for confidential clients: SECRET_HASH must equal
 * Base64(HMAC-SHA256(key = client secret, message = username + clientId)).
 * A public client (no secret) ignores it.
 */
export function checkSecretHash(client: AppClient, username: string, secretHash: string | undefined): void {
  if (client.ClientSecret === undefined) return;
  if (secretHash === undefined || secretHash === '') throw missingSecretHash(client.ClientId);
  const expected = createHmac('sha256', client.ClientSecret)
    .update(username + client.ClientId)
    .digest();
  const given = Buffer.from(secretHash, 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw wrongSecretHash(client.ClientId);
}

/** Attributes in the `[{Name, Value}]` list form the API uses. */
export const attributeListOf = (user: User) => [
  { Name: 'sub', Value: user.sub },
  ...Object.entries(user.attributes).map(([Name, Value]) => ({ Name, Value })),
];

export const epochSeconds = (ms: number) => ms / 1000;
