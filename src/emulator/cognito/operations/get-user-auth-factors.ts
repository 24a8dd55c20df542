import { z } from 'zod';
import { availableChallenges } from '../auth-flows/first-factors.js';
import { describeUserMfa } from '../model/mfa.js';
import { defineOperation } from '../operation.js';
import type { AuthFactor } from '../state.js';
import { verifyAccessToken } from '../tokens.js';

const isAuthFactor = (name: string): name is AuthFactor =>
  name === 'PASSWORD' || name === 'EMAIL_OTP' || name === 'SMS_OTP' || name === 'WEB_AUTHN';

/**
 * GetUserAuthFactors: the signed-in user's MFA settings (as GetUser shows them) and ConfiguredUserAuthFactors, "the
 * authentication types that are available to the user with USER_AUTH sign-in" (API reference): the same first factors
 * SELECT_CHALLENGE would offer now, by AuthFactorType name (PASSWORD_SRP is a way to send the password, not a factor).
 */
export const getUserAuthFactors = defineOperation({
  name: 'GetUserAuthFactors',
  mutates: false,
  input: z.object({ AccessToken: z.string().min(1) }),
  handler: async (input, ctx) => {
    const { pool, user } = await verifyAccessToken(ctx.state, input.AccessToken, ctx.clock);
    return {
      Username: user.Username,
      ...describeUserMfa(user),
      ConfiguredUserAuthFactors: availableChallenges(pool, user).filter(isAuthFactor),
    };
  },
});
