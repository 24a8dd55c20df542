import { z } from 'zod';
import { CognitoError } from '../errors.js';
import { getClient } from '../lookup.js';
import { revokeGrant } from '../model/grants.js';
import { defineOperation } from '../operation.js';

const invalidClient = () => new CognitoError('UnauthorizedException', 'Invalid client or secret');

/**
 * RevokeToken: revokes a refresh token and the access tokens issued with it. A confidential client must send its
 * raw secret. An unknown token is not an error (RFC 7009 section 2.2).
 */
export const revokeToken = defineOperation({
  name: 'RevokeToken',
  mutates: true,
  input: z.object({ Token: z.string().min(1), ClientId: z.string().min(1), ClientSecret: z.string().optional() }),
  handler: (input, ctx) => {
    const { client } = getClient(ctx.state, input.ClientId);
    if (client.ClientSecret !== undefined && input.ClientSecret !== client.ClientSecret) throw invalidClient();
    if (!client.EnableTokenRevocation) {
      throw new CognitoError('UnsupportedOperationException', 'Token revocation is not enabled for this client');
    }
    const grant = ctx.state.refreshGrants.get(input.Token);
    if (!grant) return {};
    if (grant.clientId !== client.ClientId) throw invalidClient();
    revokeGrant(ctx.state, grant);
    return {};
  },
});
