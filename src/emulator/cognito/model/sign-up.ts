import { CognitoError, invalidParameter, notAuthorized, userNotFound } from '../errors.js';
import { newChallengeSession, newSub } from '../ids.js';
import { checkSecretHash, getClient, getPool, getUser } from '../lookup.js';
import type { OperationContext } from '../operation.js';
import { assertPasswordConforms } from '../password-policy.js';
import type { User, UserPool } from '../state.js';
import { SIGN_UP_CODE_LIFETIME_MS, checkCode, codeMismatch, pendingCode, recordCodeRequest } from './codes.js';
import { deliveryFor, sendCode, simulatedDelivery } from './outbox.js';
import type { CodeDeliveryDetails } from './outbox.js';
import { hashPassword } from './passwords.js';
import { newUserAttributes } from './users.js';

export interface SignUpInput {
  ClientId: string;
  SecretHash?: string | undefined;
  Username: string;
  Password: string;
  UserAttributes?: { Name: string; Value?: string | undefined }[] | undefined;
}

/** Required schema attributes the request leaves out, worded as Cognito's InvalidParameterException. */
function assertRequiredAttributes(pool: UserPool, attributes: Record<string, string>): void {
  const missing = pool.requiredAttributes.filter((name) => !attributes[name]);
  if (missing.length === 0) return;
  throw invalidParameter(
    `Attributes did not conform to the schema: ${missing.map((name) => `${name}: The attribute is required\n`).join('')}`,
  );
}

/**
 * Sends the sign-up code to the first auto-verified attribute the user has: the phone number before the email, as
 * "if both email and phone is set, Cognito only verifies the phone number" (AWS CDK, AutoVerifiedAttrs). None when
 * the pool verifies nothing automatically: the user then waits for an administrator.
 */
function sendSignUpCode(ctx: OperationContext, pool: UserPool, user: User): CodeDeliveryDetails | undefined {
  for (const attribute of ['phone_number', 'email']) {
    if (!pool.AutoVerifiedAttributes.includes(attribute)) continue;
    const delivery = deliveryFor(user, attribute);
    if (!delivery) continue;
    user.signUpCode = { ...pendingCode(ctx.clock(), SIGN_UP_CODE_LIFETIME_MS), attribute };
    return sendCode(ctx, pool, user, { kind: 'SIGN_UP', attribute, ...delivery, code: user.signUpCode.code });
  }
  return undefined;
}

/**
 * SignUp: checked in the order Cognito reports problems (client secret hash, self sign-up allowed, user name form,
 * required attributes, taken name, password policy); the user is created UNCONFIRMED and the code "sent".
 */
export function signUp(ctx: OperationContext, input: SignUpInput) {
  const { pool, client } = getClient(ctx.state, input.ClientId);
  checkSecretHash(client, input.Username, input.SecretHash);
  if (pool.AllowAdminCreateUserOnly) throw notAuthorized('SignUp is not permitted for this user pool');
  const { attributes, signsInByEmail } = newUserAttributes(pool, input.Username, input.UserAttributes);
  assertRequiredAttributes(pool, attributes);
  if (ctx.state.findUser(pool, input.Username)) {
    throw new CognitoError('UsernameExistsException', 'User already exists');
  }
  assertPasswordConforms(input.Password, pool.PasswordPolicy);
  const now = ctx.clock();
  const sub = newSub();
  const user: User = {
    Username: signsInByEmail ? sub : input.Username,
    sub,
    attributes,
    status: 'UNCONFIRMED',
    enabled: true,
    password: hashPassword(input.Password),
    groups: [],
    createdAt: now,
    modifiedAt: now,
  };
  pool.users.set(user.Username, user);
  const delivery = sendSignUpCode(ctx, pool, user);
  return { UserConfirmed: false, UserSub: sub, ...(delivery ? { CodeDeliveryDetails: delivery } : {}) };
}

/**
 * TooManyFailedAttemptsException is in ConfirmSignUp's documented errors; no public source quotes its text, so this
 * wording is the emulator's (unconfirmed).
 */
const tooManyFailedAttempts = () =>
  new CognitoError('TooManyFailedAttemptsException', 'Too many failed attempts, please request a code again.');

const cannotConfirm = (user: User) => notAuthorized(`User cannot be confirmed. Current status is ${user.status}`);

/**
 * ConfirmSignUp: the newest code sent to an UNCONFIRMED user confirms them and verifies the attribute it went to.
 * It answers a `Session` that signs the user in once through InitiateAuth USER_AUTH without a second code, on this
 * client within its AuthSessionValidity (API reference, ConfirmSignUp and InitiateAuth `Session`).
 * Messages are Cognito's: a wrong code is CodeMismatchException, a code past its 24 hours ExpiredCodeException, a
 * confirmed user NotAuthorizedException. After MAX_FAILED_CODE_ATTEMPTS wrong codes the next try is
 * TooManyFailedAttemptsException and the code is dead: only a resent one confirms.
 */
export function confirmSignUp(
  ctx: OperationContext,
  input: { ClientId: string; SecretHash?: string | undefined; Username: string; ConfirmationCode: string },
): { Session: string } {
  const { pool, client } = getClient(ctx.state, input.ClientId);
  checkSecretHash(client, input.Username, input.SecretHash);
  const user = ctx.state.findUser(pool, input.Username);
  if (!user) throw userNotFound();
  if (user.status !== 'UNCONFIRMED') throw cannotConfirm(user);
  const pending = user.signUpCode;
  const now = ctx.clock();
  checkCode(pending, input.ConfirmationCode, now, {
    missing: codeMismatch,
    tooMany: () => {
      delete user.signUpCode;
      return tooManyFailedAttempts();
    },
  });
  user.status = 'CONFIRMED';
  if (pending.attribute) user.attributes[`${pending.attribute}_verified`] = 'true';
  delete user.signUpCode;
  user.modifiedAt = now;
  const session = newChallengeSession();
  user.signUpSignIn = { session, clientId: client.ClientId, expiresAt: now + client.AuthSessionValidity * 60_000 };
  return { Session: session };
}

/**
 * ResendConfirmationCode: a new code for an UNCONFIRMED user, replacing the one sent before. A confirmed user gets
 * Cognito's InvalidParameterException "User is already confirmed."; too many requests LimitExceededException. On a
 * client with PreventUserExistenceErrors ENABLED an unknown or disabled user gets a simulated CodeDeliveryDetails and
 * nothing is sent (developer guide, "Managing user existence error responses").
 */
export function resendConfirmationCode(
  ctx: OperationContext,
  input: { ClientId: string; SecretHash?: string | undefined; Username: string },
): { CodeDeliveryDetails?: CodeDeliveryDetails } {
  const { pool, client } = getClient(ctx.state, input.ClientId);
  checkSecretHash(client, input.Username, input.SecretHash);
  const user = ctx.state.findUser(pool, input.Username);
  if (!user || !user.enabled) {
    if (client.PreventUserExistenceErrors === 'ENABLED') {
      return { CodeDeliveryDetails: simulatedDelivery(pool, input.Username) };
    }
    if (!user) throw userNotFound();
  }
  if (user.status !== 'UNCONFIRMED') throw invalidParameter('User is already confirmed.');
  recordCodeRequest(user, ctx.clock());
  const delivery = sendSignUpCode(ctx, pool, user);
  return delivery ? { CodeDeliveryDetails: delivery } : {};
}

/**
 * AdminConfirmSignUp: confirms an UNCONFIRMED user without a code. It verifies no attribute (no code reached one), and
 * a user in any other status gets the same NotAuthorizedException as ConfirmSignUp.
 */
export function adminConfirmSignUp(
  ctx: OperationContext,
  input: { UserPoolId: string; Username: string },
): Record<string, never> {
  const pool = getPool(ctx.state, input.UserPoolId);
  const user = getUser(ctx.state, pool, input.Username);
  if (user.status !== 'UNCONFIRMED') throw cannotConfirm(user);
  user.status = 'CONFIRMED';
  delete user.signUpCode;
  user.modifiedAt = ctx.clock();
  return {};
}
