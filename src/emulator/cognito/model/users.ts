import { CognitoError, invalidParameter } from '../errors.js';
import { newSub, newTemporaryPassword } from '../ids.js';
import { attributeListOf, epochSeconds, getPool } from '../lookup.js';
import type { OperationContext } from '../operation.js';
import { assertPasswordConforms } from '../password-policy.js';
import type { User, UserPool } from '../state.js';
import { hashPassword } from './passwords.js';

const DAY_MS = 86_400_000;

/** A user in the shape AdminCreateUser and ListUsers return. */
export function describeUser(user: User) {
  return {
    Username: user.Username,
    Attributes: attributeListOf(user),
    UserCreateDate: epochSeconds(user.createdAt),
    UserLastModifiedDate: epochSeconds(user.modifiedAt),
    Enabled: user.enabled,
    UserStatus: user.status,
  };
}

/** Gives the user a temporary password: status FORCE_CHANGE_PASSWORD until NEW_PASSWORD_REQUIRED is answered. */
export function setTemporaryPassword(pool: UserPool, user: User, password: string, now: number): void {
  user.password = hashPassword(password);
  user.status = 'FORCE_CHANGE_PASSWORD';
  user.temporaryPasswordExpiresAt = now + pool.PasswordPolicy.TemporaryPasswordValidityDays * DAY_MS;
  user.modifiedAt = now;
}

export function setPermanentPassword(user: User, password: string, now: number): void {
  user.password = hashPassword(password);
  user.status = 'CONFIRMED';
  delete user.temporaryPasswordExpiresAt;
  user.modifiedAt = now;
}

/**
 * The attributes a new user starts with (`sub` is the pool's to give, never the caller's), and whether the pool signs
 * in by email: then the username must be an email, it becomes the email attribute, and the user is stored by sub.
 */
export function newUserAttributes(
  pool: UserPool,
  username: string,
  given: { Name: string; Value?: string | undefined }[] | undefined,
): { attributes: Record<string, string>; signsInByEmail: boolean } {
  const attributes: Record<string, string> = {};
  for (const { Name, Value } of given ?? []) {
    if (Name !== 'sub') attributes[Name] = Value ?? '';
  }
  const signsInByEmail = pool.UsernameAttributes.includes('email');
  if (signsInByEmail) {
    if (!username.includes('@')) throw invalidParameter('Username should be an email.');
    attributes['email'] = username;
  }
  return { attributes, signsInByEmail };
}

export function createUser(
  ctx: OperationContext,
  input: {
    UserPoolId: string;
    Username: string;
    UserAttributes?: { Name: string; Value?: string | undefined }[];
    TemporaryPassword?: string;
  },
): { user: User } {
  const pool = getPool(ctx.state, input.UserPoolId);
  const { attributes, signsInByEmail } = newUserAttributes(pool, input.Username, input.UserAttributes);
  if (ctx.state.findUser(pool, input.Username)) {
    throw new CognitoError('UsernameExistsException', 'User account already exists');
  }
  const temporaryPassword = input.TemporaryPassword ?? newTemporaryPassword();
  assertPasswordConforms(temporaryPassword, pool.PasswordPolicy);
  const sub = newSub();
  const now = ctx.clock();
  const user: User = {
    Username: signsInByEmail ? sub : input.Username,
    sub,
    attributes,
    status: 'FORCE_CHANGE_PASSWORD',
    enabled: true,
    groups: [],
    createdAt: now,
    modifiedAt: now,
  };
  setTemporaryPassword(pool, user, temporaryPassword, now);
  pool.users.set(user.Username, user);
  return { user };
}

/** AdminDisableUser / AdminEnableUser: a disabled user cannot sign in or refresh. */
export function setEnabled(user: User, enabled: boolean, now: number): void {
  user.enabled = enabled;
  user.modifiedAt = now;
}
