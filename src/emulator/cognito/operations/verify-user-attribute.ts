import { z } from 'zod';
import { verifyUserAttribute as verify } from '../model/attributes.js';
import { defineOperation } from '../operation.js';
import { verifyAccessToken } from '../tokens.js';

/** VerifyUserAttribute: the code from the outbox marks the email or phone number verified. */
export const verifyUserAttribute = defineOperation({
  name: 'VerifyUserAttribute',
  mutates: true,
  input: z.object({
    AccessToken: z.string().min(1),
    AttributeName: z.string().min(1).max(32),
    Code: z.string().min(1).max(2048),
  }),
  handler: async (input, ctx) => {
    const { user } = await verifyAccessToken(ctx.state, input.AccessToken, ctx.clock);
    return verify(ctx, user, input.AttributeName, input.Code);
  },
});
