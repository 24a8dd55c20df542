import { z } from 'zod';
import { getPool, getUser } from '../lookup.js';
import { describeUserMfa } from '../model/mfa.js';
import { describeUser } from '../model/users.js';
import { defineOperation, userRef } from '../operation.js';

export const adminGetUser = defineOperation({
  name: 'AdminGetUser',
  mutates: false,
  input: z.object(userRef),
  handler: (input, ctx) => {
    const user = getUser(ctx.state, getPool(ctx.state, input.UserPoolId), input.Username);
    const { Attributes, ...rest } = describeUser(user);
    return { ...rest, UserAttributes: Attributes, ...describeUserMfa(user) };
  },
});
