import { z } from 'zod';
import { getPool, getUser } from '../lookup.js';
import { addUserToGroup } from '../model/groups.js';
import { defineOperation, userRef } from '../operation.js';

export const adminAddUserToGroup = defineOperation({
  name: 'AdminAddUserToGroup',
  mutates: true,
  input: z.object({ ...userRef, GroupName: z.string().min(1) }),
  handler: (input, ctx) => {
    const pool = getPool(ctx.state, input.UserPoolId);
    addUserToGroup(pool, getUser(ctx.state, pool, input.Username), input.GroupName);
    return {};
  },
});
