import { z } from 'zod';
import { adminResetUserPassword as resetPassword } from '../model/forgot-password.js';
import { defineOperation, stringMap, userRef } from '../operation.js';

/** AdminResetUserPassword: the password stops working until the user completes the forgot-password flow. */
export const adminResetUserPassword = defineOperation({
  name: 'AdminResetUserPassword',
  mutates: true,
  input: z.object({ ...userRef, ClientMetadata: stringMap.optional() }),
  handler: (input, ctx) => resetPassword(ctx, input),
});
