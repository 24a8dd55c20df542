import { z } from 'zod';
import { confirmSignUp as confirm } from '../model/sign-up.js';
import { defineOperation, stringMap } from '../operation.js';

/** ConfirmSignUp: the code from the outbox turns an UNCONFIRMED user into a CONFIRMED one who can sign in. */
export const confirmSignUp = defineOperation({
  name: 'ConfirmSignUp',
  mutates: true,
  input: z.object({
    ClientId: z.string().min(1),
    SecretHash: z.string().optional(),
    Username: z.string().min(1).max(128),
    ConfirmationCode: z.string().min(1).max(2048),
    ForceAliasCreation: z.boolean().optional(),
    ClientMetadata: stringMap.optional(),
    UserContextData: z.object({ IpAddress: z.string().optional(), EncodedData: z.string().optional() }).optional(),
    AnalyticsMetadata: z.object({ AnalyticsEndpointId: z.string().optional() }).optional(),
    Session: z.string().optional(),
  }),
  handler: (input, ctx) => confirm(ctx, input),
});
