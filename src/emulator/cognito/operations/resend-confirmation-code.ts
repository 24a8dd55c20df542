import { z } from 'zod';
import { resendConfirmationCode as resend } from '../model/sign-up.js';
import { defineOperation, stringMap } from '../operation.js';

/** ResendConfirmationCode: a fresh sign-up code in the outbox; only the newest one confirms. */
export const resendConfirmationCode = defineOperation({
  name: 'ResendConfirmationCode',
  mutates: true,
  input: z.object({
    ClientId: z.string().min(1),
    SecretHash: z.string().optional(),
    Username: z.string().min(1).max(128),
    ClientMetadata: stringMap.optional(),
    UserContextData: z.object({ IpAddress: z.string().optional(), EncodedData: z.string().optional() }).optional(),
    AnalyticsMetadata: z.object({ AnalyticsEndpointId: z.string().optional() }).optional(),
  }),
  handler: (input, ctx) => resend(ctx, input),
});
