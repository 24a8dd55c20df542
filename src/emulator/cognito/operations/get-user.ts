import { z } from 'zod';
import { attributeListOf } from '../lookup.js';
import { describeUserMfa } from '../model/mfa.js';
import { defineOperation } from '../operation.js';
import { verifyAccessToken } from '../tokens.js';

export const getUser = defineOperation({
  name: 'GetUser',
  mutates: false,
  input: z.object({ AccessToken: z.string().min(1) }),
  handler: async (input, ctx) => {
    const { user } = await verifyAccessToken(ctx.state, input.AccessToken, ctx.clock);
    return { Username: user.Username, UserAttributes: attributeListOf(user), ...describeUserMfa(user) };
  },
});
