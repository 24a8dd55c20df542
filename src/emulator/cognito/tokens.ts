import { SignJWT, decodeJwt, jwtVerify, createLocalJWKSet, errors as joseErrors } from 'jose';
import type { JWTPayload } from 'jose';
import type { Clock } from '../clock.js';
import { notAuthorized } from './errors.js';
import { newJti, newRefreshToken } from './ids.js';
import { toSeconds } from './state.js';
import type { AppClient, CognitoState, User, UserPool } from './state.js';

export interface AuthenticationResult {
  AccessToken: string;
  IdToken: string;
  RefreshToken?: string;
  ExpiresIn: number;
  TokenType: 'Bearer';
}

interface Grant {
  originJti: string;
  authTime: number;
}

const sign = (pool: UserPool, claims: JWTPayload) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: pool.key.kid }).sign(pool.key.privateKey);

/** Claim values of the ID token as Cognito writes them: user attributes, with `email_verified` as a boolean. */
function attributeClaims(user: User): Record<string, unknown> {
  const claims: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(user.attributes)) {
    if (name === 'sub') continue;
    claims[name] = name.endsWith('_verified') ? value === 'true' : value;
  }
  return claims;
}

/** Issues the ID and access tokens for one sign-in or refresh, with lifetimes from the app client. */
async function issueJwts(pool: UserPool, client: AppClient, user: User, grant: Grant, now: number) {
  const iat = Math.floor(now / 1000);
  const eventId = newJti();
  const groups = user.groups.length > 0 ? { 'cognito:groups': [...user.groups] } : {};
  const idLifetime = toSeconds(client.IdTokenValidity, client.TokenValidityUnits.IdToken);
  const accessLifetime = toSeconds(client.AccessTokenValidity, client.TokenValidityUnits.AccessToken);
  const idToken = await sign(pool, {
    sub: user.sub,
    ...groups,
    ...attributeClaims(user),
    iss: pool.issuer,
    'cognito:username': user.Username,
    origin_jti: grant.originJti,
    aud: client.ClientId,
    event_id: eventId,
    token_use: 'id',
    auth_time: grant.authTime,
    exp: iat + idLifetime,
    iat,
    jti: newJti(),
  });
  const accessToken = await sign(pool, {
    sub: user.sub,
    ...groups,
    iss: pool.issuer,
    client_id: client.ClientId,
    origin_jti: grant.originJti,
    event_id: eventId,
    token_use: 'access',
    scope: 'aws.cognito.signin.user.admin',
    auth_time: grant.authTime,
    exp: iat + accessLifetime,
    iat,
    jti: newJti(),
    username: user.Username,
  });
  return { idToken, accessToken, expiresIn: accessLifetime };
}

/** Stores a new refresh token for a grant. */
function newRefreshGrant(
  state: CognitoState,
  pool: UserPool,
  client: AppClient,
  user: User,
  grant: Grant,
  now: number,
): string {
  const refreshToken = newRefreshToken();
  state.refreshGrants.set(refreshToken, {
    poolId: pool.Id,
    clientId: client.ClientId,
    username: user.Username,
    ...grant,
    expiresAt: now + toSeconds(client.RefreshTokenValidity, client.TokenValidityUnits.RefreshToken) * 1000,
    revoked: false,
  });
  return refreshToken;
}

/** ID, access and a new refresh token on a grant: a sign-in, or a rotation. */
async function issueWithRefreshToken(
  state: CognitoState,
  pool: UserPool,
  client: AppClient,
  user: User,
  grant: Grant,
  now: number,
): Promise<AuthenticationResult> {
  const { idToken, accessToken, expiresIn } = await issueJwts(pool, client, user, grant, now);
  const refreshToken = newRefreshGrant(state, pool, client, user, grant, now);
  return {
    AccessToken: accessToken,
    IdToken: idToken,
    RefreshToken: refreshToken,
    ExpiresIn: expiresIn,
    TokenType: 'Bearer',
  };
}

/** A full sign-in: new grant (origin_jti), ID, access and refresh tokens. */
export function issueSignIn(
  state: CognitoState,
  pool: UserPool,
  client: AppClient,
  user: User,
  clock: Clock,
): Promise<AuthenticationResult> {
  const now = clock();
  return issueWithRefreshToken(
    state,
    pool,
    client,
    user,
    { originJti: newJti(), authTime: Math.floor(now / 1000) },
    now,
  );
}

/** REFRESH_TOKEN_AUTH: new ID and access tokens on the same grant, no new refresh token. */
export async function issueRefresh(
  pool: UserPool,
  client: AppClient,
  user: User,
  grant: Grant,
  clock: Clock,
): Promise<AuthenticationResult> {
  const { idToken, accessToken, expiresIn } = await issueJwts(pool, client, user, grant, clock());
  return { AccessToken: accessToken, IdToken: idToken, ExpiresIn: expiresIn, TokenType: 'Bearer' };
}

/**
 * GetTokensFromRefreshToken with rotation on: new ID, access and refresh tokens on the same grant; the old refresh
 * token keeps working for RetryGracePeriodSeconds, then is refused.
 */
export async function issueRotation(
  state: CognitoState,
  pool: UserPool,
  client: AppClient,
  user: User,
  oldToken: string,
  clock: Clock,
): Promise<AuthenticationResult> {
  const now = clock();
  const old = state.refreshGrants.get(oldToken);
  if (!old) throw notAuthorized('Invalid Refresh Token');
  const grant = { originJti: old.originJti, authTime: old.authTime };
  old.rotatedOutUntil ??= now + client.RefreshTokenRotation.RetryGracePeriodSeconds * 1000;
  return issueWithRefreshToken(state, pool, client, user, grant, now);
}

export interface AccessTokenOwner {
  pool: UserPool;
  user: User;
  claims: JWTPayload;
}

/**
 * Checks an access token as Cognito's user APIs (GetUser, ChangePassword, GlobalSignOut) do: signed by the pool,
 * `token_use` "access", not expired, not revoked by GlobalSignOut or RevokeToken.
 */
export async function verifyAccessToken(state: CognitoState, token: string, clock: Clock): Promise<AccessTokenOwner> {
  let issuer: unknown;
  try {
    issuer = decodeJwt(token).iss;
  } catch {
    throw notAuthorized('Invalid Access Token');
  }
  const pool = [...state.pools.values()].find((p) => p.issuer === issuer);
  if (!pool) throw notAuthorized('Invalid Access Token');
  let claims: JWTPayload;
  try {
    ({ payload: claims } = await jwtVerify(token, createLocalJWKSet({ keys: [pool.key.publicJwk] }), {
      issuer: pool.issuer,
      currentDate: new Date(clock()),
      algorithms: ['RS256'],
    }));
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) throw notAuthorized('Access Token has expired');
    throw notAuthorized('Invalid Access Token');
  }
  if (claims['token_use'] !== 'access') throw notAuthorized('Invalid Access Token');
  if (state.revokedOrigins.has(String(claims['origin_jti']))) throw notAuthorized('Access Token has been revoked');
  const user = pool.users.get(String(claims['username']));
  if (!user) throw notAuthorized('Invalid Access Token');
  return { pool, user, claims };
}
