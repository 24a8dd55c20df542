import { CognitoError, invalidParameter } from '../errors.js';
import type { OperationContext } from '../operation.js';
import type { User, UserPool } from '../state.js';
import {
  ATTRIBUTE_CODE_LIFETIME_MS,
  attemptLimitExceeded,
  checkCode,
  codeMismatch,
  pendingCode,
  recordCodeRequest,
} from './codes.js';
import { deliveryFor, sendCode } from './outbox.js';
import type { CodeDeliveryDetails } from './outbox.js';

/** Cognito's standard attributes a user may write (OpenID Connect's standard claims, developer guide "Attributes"). */
const WRITABLE_STANDARD = new Set([
  'address',
  'birthdate',
  'email',
  'family_name',
  'gender',
  'given_name',
  'locale',
  'middle_name',
  'name',
  'nickname',
  'phone_number',
  'picture',
  'preferred_username',
  'profile',
  'updated_at',
  'website',
  'zoneinfo',
]);
/** Attributes only the pool sets: `sub` never changes, and a user proves `*_verified` with a code, never by writing it. */
const POOL_OWNED = new Set(['sub', 'email_verified', 'phone_number_verified']);
/** Attributes that take a verification code. */
const VERIFIABLE = ['email', 'phone_number'];

/**
 * One line per refused attribute, as Cognito words them: "user.custom:address: Attribute does not exist in the
 * schema.\n" (aws-amplify/amplify-flutter#1531) and "user.email: Attribute cannot be updated.\n" for an immutable one
 * (aws-amplify/amplify-swift#3981). Custom attributes are accepted as the emulator keeps no custom schema.
 */
function attributeProblem(name: string): string | undefined {
  if (POOL_OWNED.has(name)) return `user.${name}: Attribute cannot be updated.\n`;
  if (!WRITABLE_STANDARD.has(name) && !name.startsWith('custom:')) {
    return `user.${name}: Attribute does not exist in the schema.\n`;
  }
  return undefined;
}

// Cognito's answer for an attribute that takes no code, as quoted in aws-amplify/amplify-js#3652.
const notVerifiable = () => invalidParameter('invalid attribute name. Only phone_number and email can be verified');

/** The record without one key. */
function without<T>(record: Record<string, T> | undefined, key: string): Record<string, T> {
  const { [key]: _dropped, ...rest } = record ?? {};
  return rest;
}

/** Sends a code that verifies `attribute` at `destination` (its new value, or the pending one). */
function sendAttributeCode(
  ctx: OperationContext,
  pool: UserPool,
  user: User,
  attribute: string,
  destination: string,
): CodeDeliveryDetails {
  const delivery = deliveryFor({ ...user, attributes: { [attribute]: destination } }, attribute);
  if (!delivery) throw notVerifiable();
  const code = { ...pendingCode(ctx.clock(), ATTRIBUTE_CODE_LIFETIME_MS), attribute };
  user.attributeCodes = { ...user.attributeCodes, [attribute]: code };
  return sendCode(ctx, pool, user, { kind: 'VERIFY_ATTRIBUTE', attribute, ...delivery, code: code.code });
}

/** In pools that sign in by email, one email belongs to one user (Cognito's AliasExistsException). */
function assertEmailFree(ctx: OperationContext, pool: UserPool, user: User, email: string): void {
  if (!pool.UsernameAttributes.includes('email')) return;
  const owner = ctx.state.findUser(pool, email);
  if (owner && owner !== user) {
    throw new CognitoError('AliasExistsException', 'An account with the given email already exists.');
  }
}

/**
 * UpdateUserAttributes: a new email or phone number is stored unverified (`<attr>_verified` false) and, when the pool
 * verifies that attribute automatically, a VERIFY_ATTRIBUTE code goes to the new value. When the pool's
 * AttributesRequireVerificationBeforeUpdate names the attribute, the old value stays (still verified) and the new one
 * waits until VerifyUserAttribute. Writing the same value again changes nothing and sends nothing.
 */
export function updateUserAttributes(
  ctx: OperationContext,
  { pool, user }: { pool: UserPool; user: User },
  attributes: { Name: string; Value?: string | undefined }[],
): { CodeDeliveryDetailsList?: CodeDeliveryDetails[] } {
  const problems = attributes.map((a) => attributeProblem(a.Name)).filter((p) => p !== undefined);
  if (problems.length > 0) throw invalidParameter(problems.join(''));
  const sent: CodeDeliveryDetails[] = [];
  for (const { Name, Value = '' } of attributes) {
    if (!VERIFIABLE.includes(Name)) {
      user.attributes[Name] = Value;
      continue;
    }
    if (user.attributes[Name] === Value && user.pendingAttributes?.[Name] === undefined) continue;
    if (Name === 'email') assertEmailFree(ctx, pool, user, Value);
    user.attributeCodes = without(user.attributeCodes, Name);
    if (pool.AttributesRequireVerificationBeforeUpdate.includes(Name)) {
      user.pendingAttributes = { ...user.pendingAttributes, [Name]: Value };
    } else {
      user.attributes[Name] = Value;
      user.attributes[`${Name}_verified`] = 'false';
    }
    if (pool.AutoVerifiedAttributes.includes(Name) && Value !== '') {
      sent.push(sendAttributeCode(ctx, pool, user, Name, Value));
    }
  }
  user.modifiedAt = ctx.clock();
  return sent.length > 0 ? { CodeDeliveryDetailsList: sent } : {};
}

/**
 * GetUserAttributeVerificationCode: a 24-hour code for email or phone_number, to the value waiting for verification
 * when there is one. Counts against the self-service send limit.
 */
export function getUserAttributeVerificationCode(
  ctx: OperationContext,
  { pool, user }: { pool: UserPool; user: User },
  name: string,
): { CodeDeliveryDetails: CodeDeliveryDetails } {
  if (!VERIFIABLE.includes(name)) throw notVerifiable();
  const destination = user.pendingAttributes?.[name] ?? user.attributes[name];
  // Unconfirmed wording: no public source quotes Cognito's text for an attribute the user has no value for.
  if (!destination) throw invalidParameter(`User has no value for attribute ${name}.`);
  recordCodeRequest(user, ctx.clock());
  return { CodeDeliveryDetails: sendAttributeCode(ctx, pool, user, name, destination) };
}

/**
 * VerifyUserAttribute: the newest code for the attribute marks it verified (and puts a waiting value in place).
 * Wrong codes count; after MAX_FAILED_CODE_ATTEMPTS the code is refused as ConfirmForgotPassword refuses its own.
 */
export function verifyUserAttribute(
  ctx: OperationContext,
  user: User,
  name: string,
  code: string,
): Record<string, never> {
  if (!VERIFIABLE.includes(name)) throw notVerifiable();
  const now = ctx.clock();
  checkCode(user.attributeCodes?.[name], code, now, { missing: codeMismatch, tooMany: attemptLimitExceeded });
  const waiting = user.pendingAttributes?.[name];
  if (waiting !== undefined) {
    user.attributes[name] = waiting;
    user.pendingAttributes = without(user.pendingAttributes, name);
  }
  user.attributes[`${name}_verified`] = 'true';
  user.attributeCodes = without(user.attributeCodes, name);
  user.modifiedAt = now;
  return {};
}
