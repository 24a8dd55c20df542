import { CognitoError, invalidParameter, notAuthorized, userNotFound } from '../errors.js';
import { checkSecretHash, getClient, getPool, getUser } from '../lookup.js';
import type { OperationContext } from '../operation.js';
import { assertPasswordConforms } from '../password-policy.js';
import type { User, UserPool } from '../state.js';
import {
  FORGOT_PASSWORD_CODE_LIFETIME_MS,
  attemptLimitExceeded,
  checkCode,
  codeMismatch,
  expiredCode,
  pendingCode,
  recordCodeRequest,
} from './codes.js';
import { sendCode, simulatedDelivery, verifiedDelivery } from './outbox.js';
import type { CodeDeliveryDetails } from './outbox.js';
import { setPermanentPassword } from './users.js';

// Quoted from Cognito's answers in amazon-cognito-identity-js#678 and aws-amplify/aws-sdk-android#142.
const NO_VERIFIED_CONTACT =
  'Cannot reset password for the user as there is no registered/verified email or phone_number';
// NotAuthorizedException for a FORCE_CHANGE_PASSWORD or UNCONFIRMED user (aws/aws-aspnet-cognito-identity-provider#37,
// aws-solutions/distributed-load-testing-on-aws#1).
const CANNOT_RESET_IN_STATE = 'User password cannot be reset in the current state.';
// The text Cognito gives a disabled user everywhere it tells them (amazon-cognito-identity-js#373).
const USER_DISABLED = 'User is disabled.';

interface ClientRequest {
  ClientId: string;
  SecretHash?: string | undefined;
  Username: string;
}

/** Sends a password-reset code to the user's verified phone or email; undefined when they have neither. */
function sendResetCode(ctx: OperationContext, pool: UserPool, user: User): CodeDeliveryDetails | undefined {
  const delivery = verifiedDelivery(user);
  if (!delivery) return undefined;
  user.forgotPasswordCode = {
    ...pendingCode(ctx.clock(), FORGOT_PASSWORD_CODE_LIFETIME_MS),
    attribute: delivery.attribute,
  };
  return sendCode(ctx, pool, user, { kind: 'FORGOT_PASSWORD', ...delivery, code: user.forgotPasswordCode.code });
}

/**
 * ForgotPassword: a one-hour code to the verified phone, else the verified email; the newest code replaces older
 * ones. With PreventUserExistenceErrors ENABLED an unknown or disabled user gets a simulated answer and nothing is
 * sent (developer guide, "Managing user existence error responses"); LEGACY clients learn UserNotFoundException and
 * "User is disabled.".
 */
export function forgotPassword(
  ctx: OperationContext,
  input: ClientRequest,
): { CodeDeliveryDetails: CodeDeliveryDetails } {
  const { pool, client } = getClient(ctx.state, input.ClientId);
  checkSecretHash(client, input.Username, input.SecretHash);
  const hidesUsers = client.PreventUserExistenceErrors === 'ENABLED';
  const user = ctx.state.findUser(pool, input.Username);
  if (!user || !user.enabled) {
    if (hidesUsers) return { CodeDeliveryDetails: simulatedDelivery(pool, input.Username) };
    throw user ? notAuthorized(USER_DISABLED) : userNotFound();
  }
  if (user.status === 'FORCE_CHANGE_PASSWORD' || user.status === 'UNCONFIRMED') {
    throw notAuthorized(CANNOT_RESET_IN_STATE);
  }
  if (!verifiedDelivery(user)) throw invalidParameter(NO_VERIFIED_CONTACT);
  recordCodeRequest(user, ctx.clock());
  const delivery = sendResetCode(ctx, pool, user);
  if (!delivery) throw invalidParameter(NO_VERIFIED_CONTACT);
  return { CodeDeliveryDetails: delivery };
}

/**
 * ConfirmForgotPassword: the newest reset code and a new password that meets the pool's policy. The code is single
 * use; with no code pending (never asked for, or used) Cognito answers ExpiredCodeException, and an unknown or
 * disabled user gets CodeMismatchException on an ENABLED client (developer guide, "Managing user existence error
 * responses"). After MAX_FAILED_CODE_ATTEMPTS wrong codes the next try, right or wrong, is LimitExceededException
 * (as users report: aws-amplify/amplify-ui-android#180), until ForgotPassword sends a new code.
 */
export function confirmForgotPassword(
  ctx: OperationContext,
  input: ClientRequest & { ConfirmationCode: string; Password: string },
): Record<string, never> {
  const { pool, client } = getClient(ctx.state, input.ClientId);
  checkSecretHash(client, input.Username, input.SecretHash);
  const hidesUsers = client.PreventUserExistenceErrors === 'ENABLED';
  const user = ctx.state.findUser(pool, input.Username);
  if (!user || !user.enabled) {
    if (hidesUsers) throw codeMismatch();
    throw user ? notAuthorized(USER_DISABLED) : userNotFound();
  }
  if (user.status === 'UNCONFIRMED') throw new CognitoError('UserNotConfirmedException', 'User is not confirmed.');
  const now = ctx.clock();
  checkCode(user.forgotPasswordCode, input.ConfirmationCode, now, {
    missing: expiredCode,
    tooMany: attemptLimitExceeded,
  });
  assertPasswordConforms(input.Password, pool.PasswordPolicy);
  setPermanentPassword(user, input.Password, now);
  delete user.forgotPasswordCode;
  return {};
}

/**
 * AdminResetUserPassword: the user's password stops working (InitiateAuth answers PasswordResetRequiredException),
 * status RESET_REQUIRED, and a reset code goes to their verified phone or email when they have one. Not counted
 * against the self-service send limit.
 */
export function adminResetUserPassword(
  ctx: OperationContext,
  input: { UserPoolId: string; Username: string },
): Record<string, never> {
  const pool = getPool(ctx.state, input.UserPoolId);
  const user = getUser(ctx.state, pool, input.Username);
  if (!user.enabled) throw notAuthorized(USER_DISABLED);
  user.status = 'RESET_REQUIRED';
  delete user.temporaryPasswordExpiresAt;
  user.modifiedAt = ctx.clock();
  sendResetCode(ctx, pool, user);
  return {};
}
