import { z } from 'zod';
import { notAuthorized } from '../errors.js';
import { getClient } from '../lookup.js';
import { usableGrant } from '../model/grants.js';
import { defineOperation, stringMap } from '../operation.js';
import { issueRefresh, issueRotation } from '../tokens.js';

/** GetTokensFromRefreshToken: the raw client secret, and with rotation enabled a new refresh token too. */
export const getTokensFromRefreshToken = defineOperation({
  name: 'GetTokensFromRefreshToken',
  // Rotation replaces the refresh token.
  mutates: true,
  input: z.object({
    RefreshToken: z.string().min(1),
    ClientId: z.string().min(1),
    ClientSecret: z.string().optional(),
    ClientMetadata: stringMap.optional(),
    DeviceKey: z.string().optional(),
  }),
  handler: async (input, ctx) => {
    const { pool, client } = getClient(ctx.state, input.ClientId);
    if (client.ClientSecret !== undefined && input.ClientSecret !== client.ClientSecret) {
      throw notAuthorized(`Unable to verify client secret for client ${client.ClientId}`);
    }
    const { grant, check } = usableGrant(ctx, pool, client, input.RefreshToken);
    const user = check();
    const result =
      client.RefreshTokenRotation.Feature === 'ENABLED'
        ? await issueRotation(ctx.state, pool, client, user, input.RefreshToken, ctx.clock)
        : await issueRefresh(pool, client, user, grant, ctx.clock);
    return { AuthenticationResult: result };
  },
});
