import { z } from 'zod';
import { INCORRECT_CREDENTIALS, notAuthorized } from '../errors.js';
import { passwordMatches } from '../model/passwords.js';
import { setPermanentPassword } from '../model/users.js';
import { defineOperation } from '../operation.js';
import { assertPasswordConforms } from '../password-policy.js';
import { verifyAccessToken } from '../tokens.js';

export const changePassword = defineOperation({
  name: 'ChangePassword',
  mutates: true,
  input: z.object({
    AccessToken: z.string().min(1),
    PreviousPassword: z.string().optional(),
    ProposedPassword: z.string().min(1),
  }),
  handler: async (input, ctx) => {
    const { pool, user } = await verifyAccessToken(ctx.state, input.AccessToken, ctx.clock);
    if (!passwordMatches(user.password, input.PreviousPassword ?? '')) throw notAuthorized(INCORRECT_CREDENTIALS);
    assertPasswordConforms(input.ProposedPassword, pool.PasswordPolicy);
    setPermanentPassword(user, input.ProposedPassword, ctx.clock());
    return {};
  },
});
