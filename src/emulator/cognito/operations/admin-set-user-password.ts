import { z } from 'zod';
import { getPool, getUser } from '../lookup.js';
import { setPermanentPassword, setTemporaryPassword } from '../model/users.js';
import { defineOperation, userRef } from '../operation.js';
import { assertPasswordConforms } from '../password-policy.js';

export const adminSetUserPassword = defineOperation({
  name: 'AdminSetUserPassword',
  mutates: true,
  input: z.object({ ...userRef, Password: z.string().min(1), Permanent: z.boolean().optional() }),
  handler: (input, ctx) => {
    const pool = getPool(ctx.state, input.UserPoolId);
    const user = getUser(ctx.state, pool, input.Username);
    assertPasswordConforms(input.Password, pool.PasswordPolicy);
    if (input.Permanent) setPermanentPassword(user, input.Password, ctx.clock());
    else setTemporaryPassword(pool, user, input.Password, ctx.clock());
    return {};
  },
});
