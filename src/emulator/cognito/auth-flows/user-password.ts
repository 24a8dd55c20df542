import { CognitoError, INCORRECT_CREDENTIALS, invalidParameter, missingParameter, notAuthorized } from '../errors.js';
import type { AuthFlowHandler, AuthResponse, AuthStep } from '../auth-step.js';
import { checkSecretHash } from '../lookup.js';
import { allowsFlow } from '../model/clients.js';
import { passwordMatches } from '../model/passwords.js';
import { finishSignIn } from '../sign-in.js';
import type { User } from '../state.js';

/**
 * USER_PASSWORD_AUTH: USERNAME and PASSWORD in clear (over TLS), checked in Cognito's order: flow allowed, secret
 * hash, credentials (one message for unknown user and wrong password unless the client is LEGACY), then status.
 */
export const userPasswordAuth: AuthFlowHandler = async (step, params) => {
  const { ctx, pool, client } = step;
  if (!allowsFlow(client, 'USER_PASSWORD_AUTH')) {
    throw invalidParameter('USER_PASSWORD_AUTH flow not enabled for this client');
  }
  const username = params['USERNAME'];
  const password = params['PASSWORD'];
  if (!username) throw missingParameter('USERNAME');
  if (!password) throw missingParameter('PASSWORD');
  checkSecretHash(client, username, params['SECRET_HASH']);
  const user = ctx.state.findUser(pool, username);
  if (!user) {
    if (client.PreventUserExistenceErrors === 'LEGACY')
      throw new CognitoError('UserNotFoundException', 'User does not exist.');
    throw notAuthorized(INCORRECT_CREDENTIALS);
  }
  if (!passwordMatches(user.password, password)) throw notAuthorized(INCORRECT_CREDENTIALS);
  if (!user.enabled) throw notAuthorized('User is disabled.');
  return passwordAccepted(step, user);
};

/**
 * What follows a correct password (USER_PASSWORD_AUTH, or PASSWORD in USER_AUTH), by the user's status: an error
 * for an unconfirmed or reset user, NEW_PASSWORD_REQUIRED for a temporary password, else the MFA the pool asks for.
 */
export async function passwordAccepted(step: AuthStep, user: User): Promise<AuthResponse> {
  const { ctx } = step;
  switch (user.status) {
    case 'UNCONFIRMED':
      throw new CognitoError('UserNotConfirmedException', 'User is not confirmed.');
    case 'RESET_REQUIRED':
      throw new CognitoError('PasswordResetRequiredException', 'Password reset required for the user');
    case 'FORCE_CHANGE_PASSWORD':
      if (user.temporaryPasswordExpiresAt !== undefined && ctx.clock() > user.temporaryPasswordExpiresAt) {
        throw notAuthorized('Temporary password has expired and must be reset by an administrator.');
      }
      return step.challenge(user, 'NEW_PASSWORD_REQUIRED');
    case 'CONFIRMED':
      return await finishSignIn(step, user);
  }
}
