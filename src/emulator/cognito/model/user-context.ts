import type { Caller, OperationContext } from '../operation.js';
import type { AppClient, RecordedUserContext, UserPool } from '../state.js';

/** What the seven unauthenticated operations carry for threat protection (UserContextDataType). */
export interface UserContextData {
  IpAddress?: string | undefined;
  EncodedData?: string | undefined;
}

/**
 * The most contexts kept, the least recently recorded dropped first: names typed at sign-in are recorded even when
 * no such user exists, so without a bound anyone could grow the emulator's memory one name at a time.
 */
export const MAX_USER_CONTEXTS = 1000;

/**
 * Records the context threat protection would score this call by, for the user it names. The address is the
 * caller's own unless the app client has EnablePropagateAdditionalUserContextData: "When
 * EnablePropagateAdditionalUserContextData is false, you can't send your user's source IP address to Amazon Cognito
 * threat protection with unauthenticated API operations" (API reference, UserPoolClientType). EncodedData (the
 * device fingerprint) is accepted from any client. Kept per pool and user (the canonical name when the user exists,
 * as typed otherwise), the last call only, for at most MAX_USER_CONTEXTS users, in memory: the state file does not
 * keep it.
 */
export function recordUserContext(
  ctx: OperationContext,
  pool: UserPool,
  client: AppClient,
  username: string | undefined,
  operation: string,
  data: UserContextData | undefined,
  caller: Caller | undefined,
): void {
  if (!username || !caller) return;
  const name = ctx.state.findUser(pool, username)?.Username ?? username;
  const sent = client.EnablePropagateAdditionalUserContextData ? data?.IpAddress : undefined;
  const recorded: RecordedUserContext = {
    operation,
    clientId: client.ClientId,
    ipAddress: sent || caller.sourceIp,
    ...(data?.EncodedData ? { encodedData: data.EncodedData } : {}),
    at: ctx.clock(),
  };
  const contexts = ctx.state.userContexts;
  const key = userContextKey(pool.Id, name);
  // Deleted first, so that a Map's insertion order is the order of the last recording.
  contexts.delete(key);
  contexts.set(key, recorded);
  for (const oldest of contexts.keys()) {
    if (contexts.size <= MAX_USER_CONTEXTS) break;
    contexts.delete(oldest);
  }
}

export const userContextKey = (poolId: string, username: string) => `${poolId}\u0000${username}`;

/** The last context recorded for a user of a pool (by canonical name, or as typed for an unknown one). */
export function readUserContext(
  ctx: OperationContext,
  poolId: string,
  username: string,
): RecordedUserContext | undefined {
  const pool = ctx.state.pools.get(poolId);
  const name = (pool && ctx.state.findUser(pool, username)?.Username) ?? username;
  return ctx.state.userContexts.get(userContextKey(poolId, name));
}

/** recordUserContext for the operations that name the user and client as `Username` and `ClientId`. */
export function recordClientUserContext(
  ctx: OperationContext,
  operation: string,
  input: { ClientId: string; Username: string; UserContextData?: UserContextData | undefined },
  caller: Caller | undefined,
): void {
  const poolId = ctx.state.clientPool.get(input.ClientId);
  const pool = poolId === undefined ? undefined : ctx.state.pools.get(poolId);
  const client = pool?.clients.get(input.ClientId);
  if (!pool || !client) return;
  recordUserContext(ctx, pool, client, input.Username, operation, input.UserContextData, caller);
}
