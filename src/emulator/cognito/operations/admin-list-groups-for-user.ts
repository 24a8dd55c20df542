import { z } from 'zod';
import { getPool, getUser } from '../lookup.js';
import { defineOperation, userRef } from '../operation.js';

export const adminListGroupsForUser = defineOperation({
  name: 'AdminListGroupsForUser',
  mutates: false,
  input: z.object(userRef),
  handler: (input, ctx) => {
    const pool = getPool(ctx.state, input.UserPoolId);
    const user = getUser(ctx.state, pool, input.Username);
    return { Groups: user.groups.map((GroupName) => ({ GroupName, UserPoolId: pool.Id })) };
  },
});
