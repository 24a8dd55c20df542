import { z } from 'zod';
import { getPool, getUser } from '../lookup.js';
import { signOutEverywhere } from '../model/grants.js';
import { defineOperation, userRef } from '../operation.js';

export const adminUserGlobalSignOut = defineOperation({
  name: 'AdminUserGlobalSignOut',
  mutates: true,
  input: z.object(userRef),
  handler: (input, ctx) => {
    const pool = getPool(ctx.state, input.UserPoolId);
    signOutEverywhere(ctx.state, pool, getUser(ctx.state, pool, input.Username));
    return {};
  },
});
