import { z } from 'zod';
import { getPool, getUser } from '../lookup.js';
import { createUser, describeUser } from '../model/users.js';
import { attributeList, defineOperation } from '../operation.js';

/** AdminCreateUser; with MessageAction RESEND it only describes the existing user (the emulator sends no mail). */
export const adminCreateUser = defineOperation({
  name: 'AdminCreateUser',
  mutates: true,
  input: z.object({
    UserPoolId: z.string(),
    Username: z.string().min(1).max(128),
    UserAttributes: attributeList.optional(),
    TemporaryPassword: z.string().optional(),
    MessageAction: z.enum(['RESEND', 'SUPPRESS']).optional(),
    DesiredDeliveryMediums: z.array(z.string()).optional(),
  }),
  handler: (input, ctx) => {
    if (input.MessageAction === 'RESEND') {
      const user = getUser(ctx.state, getPool(ctx.state, input.UserPoolId), input.Username);
      return { User: describeUser(user) };
    }
    return { User: describeUser(createUser(ctx, input).user) };
  },
});
