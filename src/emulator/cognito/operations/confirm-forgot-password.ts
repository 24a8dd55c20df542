import { z } from 'zod';
import { confirmForgotPassword as confirmReset } from '../model/forgot-password.js';
import { clientUserRef, defineOperation, requestContext } from '../operation.js';
import { recordClientUserContext } from '../model/user-context.js';

/** ConfirmForgotPassword: the reset code from the outbox and a new password; the user is CONFIRMED after it. */
export const confirmForgotPassword = defineOperation({
  name: 'ConfirmForgotPassword',
  mutates: true,
  input: z.object({
    ...clientUserRef,
    ConfirmationCode: z.string().min(1).max(2048),
    Password: z.string().min(1).max(256),
    ...requestContext,
  }),
  handler: (input, ctx, caller) => {
    recordClientUserContext(ctx, 'ConfirmForgotPassword', input, caller);
    return confirmReset(ctx, input);
  },
});
