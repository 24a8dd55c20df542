import { z } from 'zod';
import { resendConfirmationCode as resend } from '../model/sign-up.js';
import { clientUserRef, defineOperation, requestContext } from '../operation.js';

/** ResendConfirmationCode: a fresh sign-up code in the outbox; only the newest one confirms. */
export const resendConfirmationCode = defineOperation({
  name: 'ResendConfirmationCode',
  mutates: true,
  input: z.object({
    ...clientUserRef,
    ...requestContext,
  }),
  handler: (input, ctx) => resend(ctx, input),
});
