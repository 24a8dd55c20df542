import { z } from 'zod';
import { authFlows } from '../auth-flows/index.js';
import { authStep } from '../challenges/index.js';
import { getClient } from '../lookup.js';
import { AUTH_FLOWS } from '../names.js';
import { defineOperation, stringMap } from '../operation.js';

/** InitiateAuth: finds the client, then hands `AuthParameters` to the AuthFlow's entry in the flow table. */
export const initiateAuth = defineOperation({
  name: 'InitiateAuth',
  // Opens challenge sessions and issues refresh tokens.
  mutates: true,
  input: z.object({
    AuthFlow: z.enum(AUTH_FLOWS),
    ClientId: z.string().min(1),
    AuthParameters: stringMap.optional(),
    ClientMetadata: stringMap.optional(),
    Session: z.string().optional(),
  }),
  handler: (input, ctx) => {
    const { pool, client } = getClient(ctx.state, input.ClientId);
    return authFlows[input.AuthFlow](authStep({ ctx, pool, client }), input.AuthParameters ?? {}, {
      session: input.Session,
    });
  },
});
