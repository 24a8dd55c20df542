import { z } from 'zod';
import { getUserAttributeVerificationCode as sendCode } from '../model/attributes.js';
import { defineOperation, stringMap } from '../operation.js';
import { verifyAccessToken } from '../tokens.js';

/** GetUserAttributeVerificationCode: a code in the outbox that verifies the user's email or phone number. */
export const getUserAttributeVerificationCode = defineOperation({
  name: 'GetUserAttributeVerificationCode',
  mutates: true,
  input: z.object({
    AccessToken: z.string().min(1),
    AttributeName: z.string().min(1).max(32),
    ClientMetadata: stringMap.optional(),
  }),
  handler: async (input, ctx) => {
    const owner = await verifyAccessToken(ctx.state, input.AccessToken, ctx.clock);
    return sendCode(ctx, owner, input.AttributeName);
  },
});
