import { z } from 'zod';
import { forgotPassword as requestReset } from '../model/forgot-password.js';
import { defineOperation, stringMap } from '../operation.js';

/** ForgotPassword: a one-hour reset code in the outbox, sent to the user's verified phone or email. */
export const forgotPassword = defineOperation({
  name: 'ForgotPassword',
  mutates: true,
  input: z.object({
    ClientId: z.string().min(1),
    SecretHash: z.string().optional(),
    Username: z.string().min(1).max(128),
    ClientMetadata: stringMap.optional(),
    UserContextData: z.object({ IpAddress: z.string().optional(), EncodedData: z.string().optional() }).optional(),
    AnalyticsMetadata: z.object({ AnalyticsEndpointId: z.string().optional() }).optional(),
  }),
  handler: (input, ctx) => requestReset(ctx, input),
});
