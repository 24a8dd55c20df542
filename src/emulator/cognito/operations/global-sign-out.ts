import { z } from 'zod';
import { signOutEverywhere } from '../model/grants.js';
import { defineOperation } from '../operation.js';
import { verifyAccessToken } from '../tokens.js';

export const globalSignOut = defineOperation({
  name: 'GlobalSignOut',
  mutates: true,
  input: z.object({ AccessToken: z.string().min(1) }),
  handler: async (input, ctx) => {
    const { pool, user } = await verifyAccessToken(ctx.state, input.AccessToken, ctx.clock);
    signOutEverywhere(ctx.state, pool, user);
    return {};
  },
});
