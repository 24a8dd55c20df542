import { z } from 'zod';
import { forgotPassword as requestReset } from '../model/forgot-password.js';
import { clientUserRef, defineOperation, requestContext } from '../operation.js';
import { recordClientUserContext } from '../model/user-context.js';

/** ForgotPassword: a one-hour reset code in the outbox, sent to the user's verified phone or email. */
export const forgotPassword = defineOperation({
  name: 'ForgotPassword',
  mutates: true,
  input: z.object({
    ...clientUserRef,
    ...requestContext,
  }),
  handler: (input, ctx, caller) => {
    recordClientUserContext(ctx, 'ForgotPassword', input, caller);
    return requestReset(ctx, input);
  },
});
