import { z } from 'zod';
import { setMfaPreference } from '../model/mfa.js';
import { defineOperation, mfaPreferenceInput } from '../operation.js';
import { verifyAccessToken } from '../tokens.js';

/** SetUserMFAPreference: the signed-in user turns their own factors on or off. */
export const setUserMfaPreference = defineOperation({
  name: 'SetUserMFAPreference',
  mutates: true,
  input: z.object({ AccessToken: z.string().min(1), ...mfaPreferenceInput }),
  handler: async (input, ctx) => {
    const { user } = await verifyAccessToken(ctx.state, input.AccessToken, ctx.clock);
    setMfaPreference(user, input, ctx.clock());
    return {};
  },
});
