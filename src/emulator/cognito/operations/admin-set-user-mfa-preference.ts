import { z } from 'zod';
import { getPool, getUser } from '../lookup.js';
import { setMfaPreference } from '../model/mfa.js';
import { defineOperation, mfaPreferenceInput, userRef } from '../operation.js';

export const adminSetUserMfaPreference = defineOperation({
  name: 'AdminSetUserMFAPreference',
  mutates: true,
  input: z.object({ ...userRef, ...mfaPreferenceInput }),
  handler: (input, ctx) => {
    const user = getUser(ctx.state, getPool(ctx.state, input.UserPoolId), input.Username);
    setMfaPreference(user, input, ctx.clock());
    return {};
  },
});
