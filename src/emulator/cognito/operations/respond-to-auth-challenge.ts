import { z } from 'zod';
import { answerDecoy } from '../auth-flows/user-auth-decoy.js';
import { authStep, challenges } from '../challenges/index.js';
import { INVALID_SESSION, missingParameter, notAuthorized } from '../errors.js';
import { checkSecretHash, getClient } from '../lookup.js';
import { endChallenge, openChallenge } from '../model/sessions.js';
import { CHALLENGE_NAMES } from '../names.js';
import { recordUserContext } from '../model/user-context.js';
import { defineOperation, stringMap, userContextData } from '../operation.js';

/**
 * RespondToAuthChallenge: the checks every challenge shares (client, USERNAME, SECRET_HASH, a live session for this
 * challenge), then the ChallengeName's entry in the challenge table checks the answer itself.
 */
export const respondToAuthChallenge = defineOperation({
  name: 'RespondToAuthChallenge',
  mutates: true,
  input: z.object({
    ClientId: z.string().min(1),
    ChallengeName: z.enum(CHALLENGE_NAMES),
    Session: z.string().optional(),
    ChallengeResponses: stringMap.optional(),
    ClientMetadata: stringMap.optional(),
    UserContextData: userContextData,
  }),
  handler: (input, ctx, caller) => {
    const { pool, client } = getClient(ctx.state, input.ClientId);
    const responses = input.ChallengeResponses ?? {};
    const username = responses['USERNAME'];
    if (!username) throw missingParameter('USERNAME');
    checkSecretHash(client, username, responses['SECRET_HASH']);
    recordUserContext(ctx, pool, client, username, 'RespondToAuthChallenge', input.UserContextData, caller);
    const decoy = answerDecoy(ctx, pool, client, {
      session: input.Session,
      challengeName: input.ChallengeName,
      username,
      responses,
    });
    if (decoy) return decoy;
    const { user, session } = openChallenge(ctx, pool, client, {
      session: input.Session,
      challengeName: input.ChallengeName,
      username,
    });
    const handler = challenges[input.ChallengeName];
    if (!handler) throw notAuthorized(INVALID_SESSION);
    const end = () => endChallenge(ctx, input.Session as string);
    return handler.respond(authStep({ ctx, pool, client }), { user, session, responses, end });
  },
});
