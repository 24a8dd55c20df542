import type { AuthFlowHandler, AuthResponse, AuthStep } from '../auth-step.js';
import { CognitoError, INVALID_SESSION, invalidParameter, missingParameter, notAuthorized } from '../errors.js';
import { checkSecretHash } from '../lookup.js';
import { allowsFlow } from '../model/clients.js';
import { signedIn } from '../sign-in.js';
import type { User } from '../state.js';
import { availableChallenges, firstFactors, isFirstFactorChallenge } from './first-factors.js';
import { startDecoy } from './user-auth-decoy.js';

/**
 * The `Session` ConfirmSignUp answered stands in for the first factor: the confirmation code already proved the
 * address, so tokens follow without another code, once, on the same client, within its AuthSessionValidity (API
 * reference, InitiateAuth `Session`). No MFA follows either: a new user's first sign-in counts the confirmation as
 * the second factor (developer guide, "Adding MFA to a user pool").
 */
function signInAfterSignUp(step: AuthStep, user: User | undefined, session: string): Promise<AuthResponse> {
  const pending = user?.signUpSignIn;
  if (
    !user ||
    !pending ||
    pending.session !== session ||
    pending.clientId !== step.client.ClientId ||
    step.ctx.clock() > pending.expiresAt ||
    user.status !== 'CONFIRMED' ||
    !user.enabled
  ) {
    throw notAuthorized(INVALID_SESSION);
  }
  delete user.signUpSignIn;
  return signedIn(step, user);
}

/**
 * USER_AUTH, choice-based sign-in (API reference, InitiateAuth): USERNAME, SECRET_HASH, and optionally
 * PREFERRED_CHALLENGE (with PASSWORD when it is PASSWORD). A preference the user can use starts that factor at once;
 * anything else answers SELECT_CHALLENGE with the user's AvailableChallenges. Checked in Cognito's order: flow
 * allowed (the refusal worded as for USER_PASSWORD_AUTH), secret hash, then the user. An unconfirmed user gets
 * UserNotConfirmedException here, before any code is sent.
 */
export const userAuth: AuthFlowHandler = async (step, params, request) => {
  const { ctx, pool, client } = step;
  if (!allowsFlow(client, 'USER_AUTH')) throw invalidParameter('USER_AUTH flow not enabled for this client');
  const username = params['USERNAME'];
  if (!username) throw missingParameter('USERNAME');
  checkSecretHash(client, username, params['SECRET_HASH']);
  const user = ctx.state.findUser(pool, username);
  if (request.session !== undefined) return signInAfterSignUp(step, user, request.session);
  if (!user) {
    if (client.PreventUserExistenceErrors === 'LEGACY')
      throw new CognitoError('UserNotFoundException', 'User does not exist.');
    return startDecoy(step, username, params);
  }
  if (!user.enabled) throw notAuthorized('User is disabled.');
  if (user.status === 'UNCONFIRMED') throw new CognitoError('UserNotConfirmedException', 'User is not confirmed.');
  const available = availableChallenges(pool, user);
  const preferred = params['PREFERRED_CHALLENGE'];
  if (isFirstFactorChallenge(preferred) && available.includes(preferred)) {
    return await firstFactors[preferred].start(step, user, params);
  }
  return { ...step.challenge(user, 'SELECT_CHALLENGE'), AvailableChallenges: available };
};
