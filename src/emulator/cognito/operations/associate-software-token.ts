import { z } from 'zod';
import { invalidParameter } from '../errors.js';
import { associateSoftwareToken as associate } from '../model/software-token.js';
import { openSetupSession, renewSession } from '../model/sessions.js';
import { defineOperation } from '../operation.js';
import { verifyAccessToken } from '../tokens.js';

/**
 * AssociateSoftwareToken: a signed-in user (AccessToken) or one in an MFA_SETUP challenge (Session, answered with a
 * new Session for the next step) gets a new authenticator-app secret.
 */
export const associateSoftwareToken = defineOperation({
  name: 'AssociateSoftwareToken',
  mutates: true,
  input: z.object({ AccessToken: z.string().min(1).optional(), Session: z.string().min(20).optional() }),
  handler: async (input, ctx) => {
    if (input.AccessToken !== undefined) {
      const { pool, user } = await verifyAccessToken(ctx.state, input.AccessToken, ctx.clock);
      return { SecretCode: associate(pool, user, ctx.clock()) };
    }
    if (input.Session === undefined) throw invalidParameter('Either AccessToken or Session must be provided.');
    const { pool, client, user } = openSetupSession(ctx, input.Session);
    const SecretCode = associate(pool, user, ctx.clock());
    return { SecretCode, Session: renewSession(ctx, input.Session, client) };
  },
});
