import { invalidParameter, missingParameter, missingSecretHash } from '../errors.js';
import type { AuthFlowHandler } from '../auth-step.js';
import { checkSecretHash } from '../lookup.js';
import { allowsFlow } from '../model/clients.js';
import { usableGrant } from '../model/grants.js';
import { issueRefresh } from '../tokens.js';

/** REFRESH_TOKEN_AUTH (and its older name REFRESH_TOKEN): new ID and access tokens, no new refresh token. */
export const refreshTokenAuth: AuthFlowHandler = async ({ ctx, pool, client }, params) => {
  if (!allowsFlow(client, 'REFRESH_TOKEN_AUTH')) {
    throw invalidParameter('REFRESH_TOKEN_AUTH flow not enabled for this client');
  }
  if (client.RefreshTokenRotation.Feature === 'ENABLED') {
    throw invalidParameter('Refresh token rotation is enabled for this client: use GetTokensFromRefreshToken.');
  }
  const token = params['REFRESH_TOKEN'] ?? params['REFRESH'];
  if (!token) throw missingParameter('REFRESH_TOKEN');
  if (client.ClientSecret !== undefined && !params['SECRET_HASH']) throw missingSecretHash(client.ClientId);
  const { grant, check } = usableGrant(ctx, pool, client, token);
  // The hash is over the canonical username (the sub in pools that sign in by email), whatever was typed at sign-in.
  checkSecretHash(client, grant.username, params['SECRET_HASH']);
  const user = check();
  return { ChallengeParameters: {}, AuthenticationResult: await issueRefresh(pool, client, user, grant, ctx.clock) };
};
