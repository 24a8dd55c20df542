import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { OperationContext } from './cognito/operation.js';
import { newPoolKey } from './cognito/keys.js';
import type { AppClient, CognitoState, Group, OutboxMessage, User, UserPool } from './cognito/state.js';

/**
 * What survives a restart: pools, clients, groups, users (with their pending codes) and the outbox. Keys and tokens
 * do not (keys are never written).
 */
type PoolSettings =
  | 'AutoVerifiedAttributes'
  | 'AllowAdminCreateUserOnly'
  | 'VerificationMessageTemplate'
  | 'AttributesRequireVerificationBeforeUpdate'
  | 'Mfa'
  | 'AllowedFirstAuthFactors';
interface SavedPool
  extends
    Omit<UserPool, 'key' | 'users' | 'groups' | 'clients' | 'issuer' | PoolSettings>,
    Partial<Pick<UserPool, PoolSettings>> {
  users: User[];
  groups: Group[];
  clients: AppClient[];
}

export function saveState(state: CognitoState, file: string): void {
  const pools: SavedPool[] = [...state.pools.values()].map(
    ({ key: _key, issuer: _issuer, users, groups, clients, ...rest }) => ({
      ...rest,
      users: [...users.values()],
      groups: [...groups.values()],
      clients: [...clients.values()],
    }),
  );
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify({ version: 1, pools, outbox: state.outbox }, null, 2), { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

/** Loads a saved state into an empty emulator; false when there is no file yet. */
export async function loadState(ctx: OperationContext, file: string): Promise<boolean> {
  if (!existsSync(file)) return false;
  const saved = JSON.parse(readFileSync(file, 'utf8')) as {
    version: number;
    pools: SavedPool[];
    outbox?: OutboxMessage[];
  };
  if (saved.version !== 1) throw new Error(`${file}: unsupported state version ${String(saved.version)}`);
  for (const pool of saved.pools) {
    ctx.state.pools.set(pool.Id, {
      ...pool,
      // Files saved before these settings existed hold pools with Cognito's defaults.
      AutoVerifiedAttributes: pool.AutoVerifiedAttributes ?? [],
      AllowAdminCreateUserOnly: pool.AllowAdminCreateUserOnly ?? false,
      VerificationMessageTemplate: pool.VerificationMessageTemplate ?? {},
      AttributesRequireVerificationBeforeUpdate: pool.AttributesRequireVerificationBeforeUpdate ?? [],
      Mfa: pool.Mfa ?? { MfaConfiguration: 'OFF', SoftwareTokenMfaConfiguration: { Enabled: false } },
      AllowedFirstAuthFactors: pool.AllowedFirstAuthFactors ?? ['PASSWORD'],
      issuer: `${ctx.issuerBase()}/${pool.Id}`,
      key: await newPoolKey(),
      users: new Map(pool.users.map((u) => [u.Username, u])),
      groups: new Map(pool.groups.map((g) => [g.GroupName, g])),
      // Clients saved before EnablePropagateAdditionalUserContextData existed have Cognito's default.
      clients: new Map(
        pool.clients.map((c) => [
          c.ClientId,
          { ...c, EnablePropagateAdditionalUserContextData: c.EnablePropagateAdditionalUserContextData ?? false },
        ]),
      ),
    });
    for (const client of pool.clients) ctx.state.clientPool.set(client.ClientId, pool.Id);
  }
  ctx.state.outbox.push(...(saved.outbox ?? []));
  return true;
}
