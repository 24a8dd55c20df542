import { z } from 'zod';
import { getPool, getUser } from '../lookup.js';
import { signOutEverywhere } from '../model/grants.js';
import { defineOperation, userRef } from '../operation.js';

/** AdminDeleteUser: the user's tokens are revoked with it, so none outlives the account. */
export const adminDeleteUser = defineOperation({
  name: 'AdminDeleteUser',
  mutates: true,
  input: z.object(userRef),
  handler: (input, ctx) => {
    const pool = getPool(ctx.state, input.UserPoolId);
    const user = getUser(ctx.state, pool, input.Username);
    signOutEverywhere(ctx.state, pool, user);
    pool.users.delete(user.Username);
    return {};
  },
});
