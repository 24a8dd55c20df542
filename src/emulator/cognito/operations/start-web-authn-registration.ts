import { z } from 'zod';
import { startRegistration } from '../model/webauthn.js';
import { defineOperation } from '../operation.js';
import { verifyAccessToken } from '../tokens.js';

/** StartWebAuthnRegistration: creation options for a new passkey of the signed-in user. */
export const startWebAuthnRegistration = defineOperation({
  name: 'StartWebAuthnRegistration',
  mutates: true,
  input: z.object({ AccessToken: z.string().min(1) }),
  handler: async (input, ctx) => {
    const { pool, user, claims } = await verifyAccessToken(ctx.state, input.AccessToken, ctx.clock);
    const options = await startRegistration(pool, user, String(claims['client_id']), ctx.clock());
    return { CredentialCreationOptions: options };
  },
});
