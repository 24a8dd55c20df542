import { z } from 'zod';
import {
  CognitoError,
  INCORRECT_CREDENTIALS,
  INVALID_SESSION,
  invalidParameter,
  missingParameter,
  missingSecretHash,
  notAuthorized,
} from '../errors.js';
import { newChallengeSession } from '../ids.js';
import { checkSecretHash, getClient } from '../lookup.js';
import { operation, stringMap } from '../operation.js';
import type { OperationContext } from '../operation.js';
import { assertPasswordConforms } from '../password-policy.js';
import { passwordMatches } from '../state.js';
import type { AppClient, User, UserPool } from '../state.js';
import { issueRefresh, issueRotation, issueSignIn } from '../tokens.js';
import { setPermanentPassword } from './users.js';

const AUTH_FLOWS = [
  'USER_SRP_AUTH',
  'REFRESH_TOKEN_AUTH',
  'REFRESH_TOKEN',
  'CUSTOM_AUTH',
  'ADMIN_NO_SRP_AUTH',
  'USER_PASSWORD_AUTH',
  'ADMIN_USER_PASSWORD_AUTH',
  'USER_AUTH',
] as const;

const CHALLENGES = [
  'SMS_MFA',
  'EMAIL_OTP',
  'SOFTWARE_TOKEN_MFA',
  'SELECT_MFA_TYPE',
  'MFA_SETUP',
  'PASSWORD_VERIFIER',
  'CUSTOM_CHALLENGE',
  'SELECT_CHALLENGE',
  'DEVICE_SRP_AUTH',
  'DEVICE_PASSWORD_VERIFIER',
  'ADMIN_NO_SRP_AUTH',
  'NEW_PASSWORD_REQUIRED',
  'SMS_OTP',
  'PASSWORD',
  'WEB_AUTHN',
  'PASSWORD_SRP',
] as const;

function flowEnabled(client: AppClient, flow: 'USER_PASSWORD_AUTH' | 'REFRESH_TOKEN_AUTH'): boolean {
  const flows = client.ExplicitAuthFlows;
  if (flow === 'REFRESH_TOKEN_AUTH')
    return flows.includes('ALLOW_REFRESH_TOKEN_AUTH') || !flows.some((f) => f.startsWith('ALLOW_'));
  return flows.includes('ALLOW_USER_PASSWORD_AUTH') || flows.includes('USER_PASSWORD_AUTH');
}

function pruneExpiredSessions(ctx: OperationContext, now: number): void {
  if (ctx.state.sessions.size % 1024 !== 1023) return;
  for (const [id, session] of ctx.state.sessions) if (session.expiresAt < now) ctx.state.sessions.delete(id);
}

/** Attributes the pool requires that the user has not got yet, as `userAttributes.<name>`. */
const missingRequired = (pool: UserPool, user: User) =>
  pool.requiredAttributes.filter((name) => !user.attributes[name]).map((name) => `userAttributes.${name}`);

async function userPasswordAuth(
  ctx: OperationContext,
  pool: UserPool,
  client: AppClient,
  params: Record<string, string>,
) {
  if (!flowEnabled(client, 'USER_PASSWORD_AUTH')) {
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
  const now = ctx.clock();
  switch (user.status) {
    case 'UNCONFIRMED':
      throw new CognitoError('UserNotConfirmedException', 'User is not confirmed.');
    case 'RESET_REQUIRED':
      throw new CognitoError('PasswordResetRequiredException', 'Password reset required for the user');
    case 'FORCE_CHANGE_PASSWORD': {
      if (user.temporaryPasswordExpiresAt !== undefined && now > user.temporaryPasswordExpiresAt) {
        throw notAuthorized('Temporary password has expired and must be reset by an administrator.');
      }
      const session = newChallengeSession();
      pruneExpiredSessions(ctx, now);
      ctx.state.sessions.set(session, {
        poolId: pool.Id,
        clientId: client.ClientId,
        username: user.Username,
        challengeName: 'NEW_PASSWORD_REQUIRED',
        expiresAt: now + client.AuthSessionValidity * 60_000,
      });
      const { email_verified: _verified, ...visible } = user.attributes;
      return {
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: session,
        ChallengeParameters: {
          USER_ID_FOR_SRP: user.Username,
          requiredAttributes: JSON.stringify(missingRequired(pool, user)),
          userAttributes: JSON.stringify(visible),
        },
      };
    }
    case 'CONFIRMED':
      return {
        ChallengeParameters: {},
        AuthenticationResult: await issueSignIn(ctx.state, pool, client, user, ctx.clock),
      };
  }
}

/**
 * The refresh token's grant, if it may still be used by this client: not revoked, not expired, not rotated out
 * past its grace period, and its user enabled.
 */
function usableGrant(ctx: OperationContext, pool: UserPool, client: AppClient, token: string) {
  const grant = ctx.state.refreshGrants.get(token);
  if (!grant || grant.clientId !== client.ClientId) throw notAuthorized('Invalid Refresh Token');
  return {
    grant,
    check(): User {
      const now = ctx.clock();
      if (grant.revoked) throw notAuthorized('Refresh Token has been revoked');
      if (now > grant.expiresAt) throw notAuthorized('Refresh Token has expired');
      if (grant.rotatedOutUntil !== undefined && now > grant.rotatedOutUntil) {
        throw new CognitoError(
          'RefreshTokenReuseException',
          'Refresh token has been rotated and can no longer be used.',
        );
      }
      const user = pool.users.get(grant.username);
      if (!user) throw notAuthorized('Invalid Refresh Token');
      if (!user.enabled) throw notAuthorized('User is disabled.');
      return user;
    },
  };
}

async function refreshTokenAuth(
  ctx: OperationContext,
  pool: UserPool,
  client: AppClient,
  params: Record<string, string>,
) {
  if (!flowEnabled(client, 'REFRESH_TOKEN_AUTH')) {
    throw invalidParameter('REFRESH_TOKEN_AUTH flow not enabled for this client');
  }
  if (client.RefreshTokenRotation.Feature === 'ENABLED') {
    throw invalidParameter('Refresh token rotation is enabled for this client: use GetTokensFromRefreshToken.');
  }
  const token = params['REFRESH_TOKEN'] ?? params['REFRESH'];
  if (!token) throw missingParameter('REFRESH_TOKEN');
  if (client.ClientSecret !== undefined && !params['SECRET_HASH']) throw missingSecretHash(client.ClientId);
  const { grant, check } = usableGrant(ctx, pool, client, token);
  // The hash is over the canonical username (the sub in pools that sign in by email), whatever was typed at sign-in.
  checkSecretHash(client, grant.username, params['SECRET_HASH']);
  const user = check();
  return { ChallengeParameters: {}, AuthenticationResult: await issueRefresh(pool, client, user, grant, ctx.clock) };
}

/** GetTokensFromRefreshToken: the raw client secret, and with rotation enabled a new refresh token too. */
const getTokensFromRefreshToken = operation(
  z.object({
    RefreshToken: z.string().min(1),
    ClientId: z.string().min(1),
    ClientSecret: z.string().optional(),
    ClientMetadata: stringMap.optional(),
    DeviceKey: z.string().optional(),
  }),
  async (input, ctx) => {
    const { pool, client } = getClient(ctx.state, input.ClientId);
    if (client.ClientSecret !== undefined && input.ClientSecret !== client.ClientSecret) {
      throw notAuthorized(`Unable to verify client secret for client ${client.ClientId}`);
    }
    const { grant, check } = usableGrant(ctx, pool, client, input.RefreshToken);
    const user = check();
    const result =
      client.RefreshTokenRotation.Feature === 'ENABLED'
        ? await issueRotation(ctx.state, pool, client, user, input.RefreshToken, ctx.clock)
        : await issueRefresh(pool, client, user, grant, ctx.clock);
    return { AuthenticationResult: result };
  },
);

const initiateAuth = operation(
  z.object({
    AuthFlow: z.enum(AUTH_FLOWS),
    ClientId: z.string().min(1),
    AuthParameters: stringMap.optional(),
    ClientMetadata: stringMap.optional(),
  }),
  (input, ctx) => {
    const { pool, client } = getClient(ctx.state, input.ClientId);
    const params = input.AuthParameters ?? {};
    switch (input.AuthFlow) {
      case 'USER_PASSWORD_AUTH':
        return userPasswordAuth(ctx, pool, client, params);
      case 'REFRESH_TOKEN_AUTH':
      case 'REFRESH_TOKEN':
        return refreshTokenAuth(ctx, pool, client, params);
      case 'ADMIN_NO_SRP_AUTH':
      case 'ADMIN_USER_PASSWORD_AUTH':
        throw invalidParameter('Initiate Auth method not supported.');
      case 'USER_SRP_AUTH':
      case 'CUSTOM_AUTH':
      case 'USER_AUTH':
        throw invalidParameter(`${input.AuthFlow} is not supported by this emulator.`);
    }
  },
);

const respondToAuthChallenge = operation(
  z.object({
    ClientId: z.string().min(1),
    ChallengeName: z.enum(CHALLENGES),
    Session: z.string().optional(),
    ChallengeResponses: stringMap.optional(),
    ClientMetadata: stringMap.optional(),
  }),
  async (input, ctx) => {
    const { pool, client } = getClient(ctx.state, input.ClientId);
    const responses = input.ChallengeResponses ?? {};
    const username = responses['USERNAME'];
    if (!username) throw missingParameter('USERNAME');
    checkSecretHash(client, username, responses['SECRET_HASH']);
    const session = input.Session === undefined ? undefined : ctx.state.sessions.get(input.Session);
    const user = session ? pool.users.get(session.username) : undefined;
    if (
      !session ||
      !user ||
      session.clientId !== client.ClientId ||
      session.challengeName !== input.ChallengeName ||
      ctx.clock() > session.expiresAt ||
      ctx.state.findUser(pool, username) !== user
    ) {
      throw notAuthorized(INVALID_SESSION);
    }
    const newPassword = responses['NEW_PASSWORD'];
    if (!newPassword) throw missingParameter('NEW_PASSWORD');
    const given: Record<string, string> = {};
    for (const [key, value] of Object.entries(responses)) {
      if (key.startsWith('userAttributes.')) given[key.slice('userAttributes.'.length)] = value;
    }
    const missing = pool.requiredAttributes.filter((name) => !user.attributes[name] && !given[name]);
    if (missing.length > 0) throw invalidParameter(`Invalid attributes given, ${missing.join(', ')} is missing`);
    // A policy failure leaves the session usable so the user can try another password, as Cognito does.
    assertPasswordConforms(newPassword, pool.PasswordPolicy);
    if (!user.enabled) throw notAuthorized('User is disabled.');
    ctx.state.sessions.delete(input.Session as string);
    Object.assign(user.attributes, given);
    setPermanentPassword(user, newPassword, ctx.clock());
    return {
      ChallengeParameters: {},
      AuthenticationResult: await issueSignIn(ctx.state, pool, client, user, ctx.clock),
    };
  },
);

export const signInOperations = {
  InitiateAuth: initiateAuth,
  GetTokensFromRefreshToken: getTokensFromRefreshToken,
  RespondToAuthChallenge: respondToAuthChallenge,
};
