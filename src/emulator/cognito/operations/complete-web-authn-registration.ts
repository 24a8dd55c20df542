import { z } from 'zod';
import { completeRegistration } from '../model/webauthn.js';
import { defineOperation } from '../operation.js';
import { verifyAccessToken } from '../tokens.js';

/** The RegistrationResponseJSON members the emulator reads; others (clientExtensionResults, ...) are passed on. */
const registrationResponse = z.looseObject({
  id: z.string().min(1),
  rawId: z.string().min(1),
  type: z.string(),
  response: z.looseObject({
    clientDataJSON: z.string().min(1),
    attestationObject: z.string().min(1),
    transports: z.array(z.string()).optional(),
  }),
  authenticatorAttachment: z.string().optional(),
  clientExtensionResults: z.record(z.string(), z.unknown()).optional(),
});

/** CompleteWebAuthnRegistration: the browser's RegistrationResponseJSON (a JSON document) for the pending challenge. */
export const completeWebAuthnRegistration = defineOperation({
  name: 'CompleteWebAuthnRegistration',
  mutates: true,
  input: z.object({ AccessToken: z.string().min(1), Credential: registrationResponse }),
  handler: async (input, ctx) => {
    const { pool, user, claims } = await verifyAccessToken(ctx.state, input.AccessToken, ctx.clock);
    await completeRegistration(pool, user, String(claims['client_id']), input.Credential, ctx.clock());
    return {};
  },
});
