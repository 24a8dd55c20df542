import { z } from 'zod';
import { updateUserAttributes as update } from '../model/attributes.js';
import { attributeList, defineOperation, stringMap } from '../operation.js';
import { verifyAccessToken } from '../tokens.js';

/** UpdateUserAttributes: the signed-in user changes their own attributes; a new email or phone gets a code. */
export const updateUserAttributes = defineOperation({
  name: 'UpdateUserAttributes',
  mutates: true,
  input: z.object({
    AccessToken: z.string().min(1),
    UserAttributes: attributeList,
    ClientMetadata: stringMap.optional(),
  }),
  handler: async (input, ctx) => {
    const owner = await verifyAccessToken(ctx.state, input.AccessToken, ctx.clock);
    return update(ctx, owner, input.UserAttributes);
  },
});
