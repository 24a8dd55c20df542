import { z } from 'zod';
import { signUp as register } from '../model/sign-up.js';
import { attributeList, defineOperation, stringMap } from '../operation.js';

/** SignUp: a user registers themself; they stay UNCONFIRMED until ConfirmSignUp with the code from the outbox. */
export const signUp = defineOperation({
  name: 'SignUp',
  mutates: true,
  input: z.object({
    ClientId: z.string().min(1),
    SecretHash: z.string().optional(),
    Username: z.string().min(1).max(128),
    Password: z.string().min(1),
    UserAttributes: attributeList.optional(),
    ValidationData: attributeList.optional(),
    ClientMetadata: stringMap.optional(),
    UserContextData: z.object({ IpAddress: z.string().optional(), EncodedData: z.string().optional() }).optional(),
    AnalyticsMetadata: z.object({ AnalyticsEndpointId: z.string().optional() }).optional(),
  }),
  handler: (input, ctx) => register(ctx, input),
});
