import { z } from 'zod';
import { deletePasskey } from '../model/webauthn.js';
import { defineOperation } from '../operation.js';
import { verifyAccessToken } from '../tokens.js';

/** DeleteWebAuthnCredential: removes one of the signed-in user's passkeys. */
export const deleteWebAuthnCredential = defineOperation({
  name: 'DeleteWebAuthnCredential',
  mutates: true,
  input: z.object({ AccessToken: z.string().min(1), CredentialId: z.string().min(1) }),
  handler: async (input, ctx) => {
    const { user } = await verifyAccessToken(ctx.state, input.AccessToken, ctx.clock);
    deletePasskey(user, input.CredentialId, ctx.clock());
    return {};
  },
});
