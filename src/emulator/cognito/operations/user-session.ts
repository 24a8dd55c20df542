import { z } from 'zod';
import { CognitoError, INCORRECT_CREDENTIALS, notAuthorized } from '../errors.js';
import { attributeListOf, getClient } from '../lookup.js';
import { operation } from '../operation.js';
import { assertPasswordConforms } from '../password-policy.js';
import { passwordMatches } from '../state.js';
import { verifyAccessToken } from '../tokens.js';
import { setPermanentPassword, signOutEverywhere } from './users.js';

const getUserOp = operation(z.object({ AccessToken: z.string().min(1) }), async (input, ctx) => {
  const { user } = await verifyAccessToken(ctx.state, input.AccessToken, ctx.clock);
  return { Username: user.Username, UserAttributes: attributeListOf(user) };
});

const changePassword = operation(
  z.object({
    AccessToken: z.string().min(1),
    PreviousPassword: z.string().optional(),
    ProposedPassword: z.string().min(1),
  }),
  async (input, ctx) => {
    const { pool, user } = await verifyAccessToken(ctx.state, input.AccessToken, ctx.clock);
    if (!passwordMatches(user.password, input.PreviousPassword ?? '')) throw notAuthorized(INCORRECT_CREDENTIALS);
    assertPasswordConforms(input.ProposedPassword, pool.PasswordPolicy);
    setPermanentPassword(user, input.ProposedPassword, ctx.clock());
    return {};
  },
);

const globalSignOut = operation(z.object({ AccessToken: z.string().min(1) }), async (input, ctx) => {
  const { pool, user } = await verifyAccessToken(ctx.state, input.AccessToken, ctx.clock);
  signOutEverywhere(ctx.state, pool, user);
  return {};
});

/**
 * RevokeToken: revokes a refresh token and the access tokens issued with it. A confidential client must send its
 * raw secret. An unknown token is not an error (RFC 7009 section 2.2).
 */
const revokeToken = operation(
  z.object({ Token: z.string().min(1), ClientId: z.string().min(1), ClientSecret: z.string().optional() }),
  (input, ctx) => {
    const { client } = getClient(ctx.state, input.ClientId);
    if (client.ClientSecret !== undefined && input.ClientSecret !== client.ClientSecret) {
      throw new CognitoError('UnauthorizedException', 'Invalid client or secret');
    }
    if (!client.EnableTokenRevocation) {
      throw new CognitoError('UnsupportedOperationException', 'Token revocation is not enabled for this client');
    }
    const grant = ctx.state.refreshGrants.get(input.Token);
    if (!grant) return {};
    if (grant.clientId !== client.ClientId) throw new CognitoError('UnauthorizedException', 'Invalid client or secret');
    grant.revoked = true;
    ctx.state.revokedOrigins.add(grant.originJti);
    return {};
  },
);

export const userSessionOperations = {
  GetUser: getUserOp,
  ChangePassword: changePassword,
  GlobalSignOut: globalSignOut,
  RevokeToken: revokeToken,
};
