import { z } from 'zod';
import { signUp as register } from '../model/sign-up.js';
import { attributeList, clientUserRef, defineOperation, requestContext } from '../operation.js';
import { recordClientUserContext } from '../model/user-context.js';

/** SignUp: a user registers themself; they stay UNCONFIRMED until ConfirmSignUp with the code from the outbox. */
export const signUp = defineOperation({
  name: 'SignUp',
  mutates: true,
  input: z.object({
    ...clientUserRef,
    Password: z.string().min(1),
    UserAttributes: attributeList.optional(),
    ValidationData: attributeList.optional(),
    ...requestContext,
  }),
  handler: (input, ctx, caller) => {
    recordClientUserContext(ctx, 'SignUp', input, caller);
    return register(ctx, input);
  },
});
