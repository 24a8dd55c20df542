import { z } from 'zod';
import { authFlows } from '../auth-flows/index.js';
import { authStep } from '../challenges/index.js';
import { getClient } from '../lookup.js';
import { AUTH_FLOWS } from '../names.js';
import { recordUserContext } from '../model/user-context.js';
import { defineOperation, stringMap, userContextData } from '../operation.js';

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
    UserContextData: userContextData,
  }),
  handler: (input, ctx, caller) => {
    const { pool, client } = getClient(ctx.state, input.ClientId);
    const username = input.AuthParameters?.['USERNAME'];
    recordUserContext(ctx, pool, client, username, 'InitiateAuth', input.UserContextData, caller);
    return authFlows[input.AuthFlow](authStep({ ctx, pool, client }), input.AuthParameters ?? {}, {
      session: input.Session,
    });
  },
});
