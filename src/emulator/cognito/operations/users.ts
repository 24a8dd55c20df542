import { z } from 'zod';
import { CognitoError, invalidParameter, resourceNotFound } from '../errors.js';
import { newSub, newTemporaryPassword } from '../ids.js';
import { attributeListOf, epochSeconds, getPool, getUser } from '../lookup.js';
import { attributeList, operation } from '../operation.js';
import type { OperationContext } from '../operation.js';
import { assertPasswordConforms } from '../password-policy.js';
import { hashPassword } from '../state.js';
import type { CognitoState, User, UserPool } from '../state.js';

const DAY_MS = 86_400_000;

function describeUser(user: User) {
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
function setTemporaryPassword(pool: UserPool, user: User, password: string, now: number): void {
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

/** Revokes every token the user holds (GlobalSignOut, AdminUserGlobalSignOut). */
export function signOutEverywhere(state: CognitoState, pool: UserPool, user: User): void {
  for (const grant of state.refreshGrants.values()) {
    if (grant.poolId === pool.Id && grant.username === user.Username) {
      grant.revoked = true;
      state.revokedOrigins.add(grant.originJti);
    }
  }
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
  const attributes: Record<string, string> = {};
  for (const { Name, Value } of input.UserAttributes ?? []) {
    if (Name !== 'sub') attributes[Name] = Value ?? '';
  }
  const signsInByEmail = pool.UsernameAttributes.includes('email');
  if (signsInByEmail) {
    if (!input.Username.includes('@')) throw invalidParameter('Username should be an email.');
    attributes['email'] = input.Username;
  }
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

const adminCreateUser = operation(
  z.object({
    UserPoolId: z.string(),
    Username: z.string().min(1).max(128),
    UserAttributes: attributeList.optional(),
    TemporaryPassword: z.string().optional(),
    MessageAction: z.enum(['RESEND', 'SUPPRESS']).optional(),
    DesiredDeliveryMediums: z.array(z.string()).optional(),
  }),
  (input, ctx) => {
    if (input.MessageAction === 'RESEND') {
      const user = getUser(ctx.state, getPool(ctx.state, input.UserPoolId), input.Username);
      return { User: describeUser(user) };
    }
    return { User: describeUser(createUser(ctx, input).user) };
  },
);

const userRef = { UserPoolId: z.string(), Username: z.string().min(1) };

const adminSetUserPassword = operation(
  z.object({ ...userRef, Password: z.string().min(1), Permanent: z.boolean().optional() }),
  (input, ctx) => {
    const pool = getPool(ctx.state, input.UserPoolId);
    const user = getUser(ctx.state, pool, input.Username);
    assertPasswordConforms(input.Password, pool.PasswordPolicy);
    if (input.Permanent) setPermanentPassword(user, input.Password, ctx.clock());
    else setTemporaryPassword(pool, user, input.Password, ctx.clock());
    return {};
  },
);

const adminGetUser = operation(z.object(userRef), (input, ctx) => {
  const user = getUser(ctx.state, getPool(ctx.state, input.UserPoolId), input.Username);
  const { Attributes, ...rest } = describeUser(user);
  return { ...rest, UserAttributes: Attributes };
});

const adminAddUserToGroup = operation(z.object({ ...userRef, GroupName: z.string().min(1) }), (input, ctx) => {
  const pool = getPool(ctx.state, input.UserPoolId);
  const user = getUser(ctx.state, pool, input.Username);
  if (!pool.groups.has(input.GroupName)) throw resourceNotFound('Group not found.');
  if (!user.groups.includes(input.GroupName)) user.groups.push(input.GroupName);
  return {};
});

const adminListGroupsForUser = operation(z.object(userRef), (input, ctx) => {
  const pool = getPool(ctx.state, input.UserPoolId);
  const user = getUser(ctx.state, pool, input.Username);
  return { Groups: user.groups.map((GroupName) => ({ GroupName, UserPoolId: pool.Id })) };
});

const setEnabled = (enabled: boolean) =>
  operation(z.object(userRef), (input, ctx) => {
    const user = getUser(ctx.state, getPool(ctx.state, input.UserPoolId), input.Username);
    user.enabled = enabled;
    user.modifiedAt = ctx.clock();
    return {};
  });

const adminUserGlobalSignOut = operation(z.object(userRef), (input, ctx) => {
  const pool = getPool(ctx.state, input.UserPoolId);
  signOutEverywhere(ctx.state, pool, getUser(ctx.state, pool, input.Username));
  return {};
});

const adminDeleteUser = operation(z.object(userRef), (input, ctx) => {
  const pool = getPool(ctx.state, input.UserPoolId);
  const user = getUser(ctx.state, pool, input.Username);
  signOutEverywhere(ctx.state, pool, user);
  pool.users.delete(user.Username);
  return {};
});

/** ListUsers `Filter`: `attribute = "value"` (exact) or `attribute ^= "value"` (prefix). */
function parseFilter(filter: string | undefined): ((user: User) => boolean) | undefined {
  if (filter === undefined || filter.trim() === '') return undefined;
  const match = /^\s*([\w:]+)\s*(\^?=)\s*"((?:[^"\\]|\\.)*)"\s*$/.exec(filter);
  if (!match) throw invalidParameter('Error while parsing filter.');
  const [, name = '', op, value = ''] = match;
  const read = (user: User) =>
    name === 'username'
      ? user.Username
      : name === 'sub'
        ? user.sub
        : name === 'status'
          ? user.status
          : user.attributes[name];
  return (user) => {
    const actual = read(user);
    if (actual === undefined) return false;
    return op === '=' ? actual === value : actual.startsWith(value);
  };
}

const listUsers = operation(
  z.object({
    UserPoolId: z.string(),
    Filter: z.string().optional(),
    Limit: z.number().int().min(0).max(60).optional(),
    AttributesToGet: z.array(z.string()).optional(),
  }),
  (input, ctx) => {
    const keep = parseFilter(input.Filter);
    const users = [...getPool(ctx.state, input.UserPoolId).users.values()].filter((u) => !keep || keep(u));
    return { Users: users.slice(0, input.Limit ?? 60).map(describeUser) };
  },
);

export const userOperations = {
  AdminCreateUser: adminCreateUser,
  AdminSetUserPassword: adminSetUserPassword,
  AdminGetUser: adminGetUser,
  AdminAddUserToGroup: adminAddUserToGroup,
  AdminListGroupsForUser: adminListGroupsForUser,
  AdminDisableUser: setEnabled(false),
  AdminEnableUser: setEnabled(true),
  AdminUserGlobalSignOut: adminUserGlobalSignOut,
  AdminDeleteUser: adminDeleteUser,
  ListUsers: listUsers,
};
