import { z } from 'zod';
import { listPasskeys } from '../model/webauthn.js';
import { defineOperation } from '../operation.js';
import { verifyAccessToken } from '../tokens.js';

/** ListWebAuthnCredentials: the signed-in user's passkeys, MaxResults (1 to 20, default 20) to a page. */
export const listWebAuthnCredentials = defineOperation({
  name: 'ListWebAuthnCredentials',
  mutates: false,
  input: z.object({
    AccessToken: z.string().min(1),
    NextToken: z.string().min(1).optional(),
    MaxResults: z.number().int().min(1).max(20).optional(),
  }),
  handler: async (input, ctx) => {
    const { user } = await verifyAccessToken(ctx.state, input.AccessToken, ctx.clock);
    return listPasskeys(user, input.MaxResults ?? 20, input.NextToken);
  },
});
