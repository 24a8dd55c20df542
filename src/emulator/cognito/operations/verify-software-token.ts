import { z } from 'zod';
import { invalidParameter } from '../errors.js';
import { openSetupSession, renewSession } from '../model/sessions.js';
import { verifySoftwareToken as verify } from '../model/software-token.js';
import { defineOperation } from '../operation.js';
import { verifyAccessToken } from '../tokens.js';

/**
 * VerifySoftwareToken: checks a code from the secret AssociateSoftwareToken gave. With a Session (MFA_SETUP) the
 * answer carries the Session that RespondToAuthChallenge MFA_SETUP then takes.
 */
export const verifySoftwareToken = defineOperation({
  name: 'VerifySoftwareToken',
  mutates: true,
  input: z.object({
    AccessToken: z.string().min(1).optional(),
    Session: z.string().min(20).optional(),
    UserCode: z
      .string()
      .regex(/^[0-9]+$/, 'Member must satisfy regular expression pattern: [0-9]+')
      .length(6),
    FriendlyDeviceName: z.string().optional(),
  }),
  handler: async (input, ctx) => {
    if (input.AccessToken !== undefined) {
      const { pool, user } = await verifyAccessToken(ctx.state, input.AccessToken, ctx.clock);
      verify(pool, user, input.UserCode, ctx.clock());
      return { Status: 'SUCCESS' };
    }
    if (input.Session === undefined) throw invalidParameter('Either AccessToken or Session must be provided.');
    const { pool, client, user } = openSetupSession(ctx, input.Session);
    verify(pool, user, input.UserCode, ctx.clock());
    return { Status: 'SUCCESS', Session: renewSession(ctx, input.Session, client, { softwareTokenVerified: true }) };
  },
});
