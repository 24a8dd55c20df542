import { z } from 'zod';
import { confirmForgotPassword as confirmReset } from '../model/forgot-password.js';
import { defineOperation, stringMap } from '../operation.js';

/** ConfirmForgotPassword: the reset code from the outbox and a new password; the user is CONFIRMED after it. */
export const confirmForgotPassword = defineOperation({
  name: 'ConfirmForgotPassword',
  mutates: true,
  input: z.object({
    ClientId: z.string().min(1),
    SecretHash: z.string().optional(),
    Username: z.string().min(1).max(128),
    ConfirmationCode: z.string().min(1).max(2048),
    Password: z.string().min(1).max(256),
    ClientMetadata: stringMap.optional(),
    UserContextData: z.object({ IpAddress: z.string().optional(), EncodedData: z.string().optional() }).optional(),
    AnalyticsMetadata: z.object({ AnalyticsEndpointId: z.string().optional() }).optional(),
  }),
  handler: (input, ctx) => confirmReset(ctx, input),
});
