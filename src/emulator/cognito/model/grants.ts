import { CognitoError, notAuthorized } from '../errors.js';
import type { AppClient, CognitoState, RefreshGrant, User, UserPool } from '../state.js';
import type { OperationContext } from '../operation.js';

/**
 * The refresh token's grant, if it may still be used by this client: not revoked, not expired, not rotated out
 * past its grace period, and its user enabled. `check` is separate so a caller can verify SECRET_HASH against the
 * grant's username first, in the order Cognito reports errors.
 */
export function usableGrant(ctx: OperationContext, pool: UserPool, client: AppClient, token: string) {
  const grant = ctx.state.refreshGrants.get(token);
  if (!grant || grant.clientId !== client.ClientId) throw notAuthorized('Invalid Refresh Token');
  return {
    grant,
    check(): User {
      const now = ctx.clock();
      if (grant.revoked) throw notAuthorized('Refresh Token has been revoked');
      if (now > grant.expiresAt) throw notAuthorized('Refresh Token has expired');
      if (grant.rotatedOutUntil !== undefined && now > grant.rotatedOutUntil) {
        throw new CognitoError(
          'RefreshTokenReuseException',
          'Refresh token has been rotated and can no longer be used.',
        );
      }
      const user = pool.users.get(grant.username);
      if (!user) throw notAuthorized('Invalid Refresh Token');
      if (!user.enabled) throw notAuthorized('User is disabled.');
      return user;
    },
  };
}

/** Revokes a refresh token and, through its origin, the access tokens issued with it. */
export function revokeGrant(state: CognitoState, grant: RefreshGrant): void {
  grant.revoked = true;
  state.revokedOrigins.add(grant.originJti);
}

/** Revokes every token the user holds (GlobalSignOut, AdminUserGlobalSignOut, AdminDeleteUser). */
export function signOutEverywhere(state: CognitoState, pool: UserPool, user: User): void {
  for (const grant of state.refreshGrants.values()) {
    if (grant.poolId === pool.Id && grant.username === user.Username) revokeGrant(state, grant);
  }
}
