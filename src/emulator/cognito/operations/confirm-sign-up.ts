import { z } from 'zod';
import { confirmSignUp as confirm } from '../model/sign-up.js';
import { clientUserRef, defineOperation, requestContext } from '../operation.js';
import { recordClientUserContext } from '../model/user-context.js';

/** ConfirmSignUp: the code from the outbox turns an UNCONFIRMED user into a CONFIRMED one who can sign in. */
export const confirmSignUp = defineOperation({
  name: 'ConfirmSignUp',
  mutates: true,
  input: z.object({
    ...clientUserRef,
    ConfirmationCode: z.string().min(1).max(2048),
    ForceAliasCreation: z.boolean().optional(),
    ...requestContext,
    Session: z.string().optional(),
  }),
  handler: (input, ctx, caller) => {
    recordClientUserContext(ctx, 'ConfirmSignUp', input, caller);
    return confirm(ctx, input);
  },
});
