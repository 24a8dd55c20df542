import { z } from 'zod';
import { resendConfirmationCode as resend } from '../model/sign-up.js';
import { clientUserRef, defineOperation, requestContext } from '../operation.js';
import { recordClientUserContext } from '../model/user-context.js';

/** ResendConfirmationCode: a fresh sign-up code in the outbox; only the newest one confirms. */
export const resendConfirmationCode = defineOperation({
  name: 'ResendConfirmationCode',
  mutates: true,
  input: z.object({
    ...clientUserRef,
    ...requestContext,
  }),
  handler: (input, ctx, caller) => {
    recordClientUserContext(ctx, 'ResendConfirmationCode', input, caller);
    return resend(ctx, input);
  },
});
