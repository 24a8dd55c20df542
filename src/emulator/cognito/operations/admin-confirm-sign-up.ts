import { z } from 'zod';
import { adminConfirmSignUp as confirm } from '../model/sign-up.js';
import { defineOperation, stringMap, userRef } from '../operation.js';

/** AdminConfirmSignUp: an administrator confirms an UNCONFIRMED user without a code. */
export const adminConfirmSignUp = defineOperation({
  name: 'AdminConfirmSignUp',
  mutates: true,
  input: z.object({ ...userRef, ClientMetadata: stringMap.optional() }),
  handler: (input, ctx) => confirm(ctx, input),
});
