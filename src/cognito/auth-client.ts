import {
  GetTokensFromRefreshTokenCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type {
  AuthenticationResultType,
  ChallengeNameType,
  CognitoIdentityProviderClient,
  InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import type { OutageLog } from '../ops/outage-log.js';
import type { IdClaims, IdTokenVerifier } from '../tokens/verifier.js';
import { AuthFailure, classifyCognitoError } from './errors.js';
import type { CognitoOperation } from './errors.js';
import { secretHash } from './secret-hash.js';

/** The tokens of one signed-in user. Kept server-side only. */
export interface TokenSet {
  idToken: string;
  accessToken: string;
  refreshToken: string;
  /** When the ID token expires, epoch milliseconds. */
  idTokenExpiresAt: number;
  /** The ID token's lifetime as issued (exp - iat), ms; absent in records sealed by earlier versions. */
  idTokenLifetimeMs?: number;
}

/** A NEW_PASSWORD_REQUIRED challenge in progress; its `session` is Cognito's, valid for a few minutes, single-use. */
export interface NewPasswordChallenge {
  name: 'NEW_PASSWORD_REQUIRED';
  session: string;
  /** Cognito's canonical username (USER_ID_FOR_SRP), which the answer and its SECRET_HASH must use. */
  username: string;
  /** Attribute names Cognito asks for, without the `userAttributes.` prefix. */
  requiredAttributes: string[];
}

export type SignInResult =
  { kind: 'signed-in'; tokens: TokenSet; claims: IdClaims } | { kind: 'challenge'; challenge: NewPasswordChallenge };

export interface CognitoAuth {
  signIn(username: string, password: string): Promise<SignInResult>;
  completeNewPassword(
    challenge: NewPasswordChallenge,
    newPassword: string,
    attributes: Record<string, string>,
  ): Promise<SignInResult>;
  /**
   * New ID and access tokens from the refresh token, SECRET_HASH on the canonical `cognito:username`; with
   * rotation, GetTokensFromRefreshToken and a new refresh token.
   */
  refresh(tokens: TokenSet, username: string): Promise<TokenSet>;
  /** Signs out everywhere and revokes the refresh token; best effort, never throws. Returns what failed. */
  signOut(tokens: TokenSet): Promise<string[]>;
}

export interface CognitoAuthOptions {
  client: CognitoIdentityProviderClient;
  clientId: string;
  clientSecret?: string;
  verifier: IdTokenVerifier;
  /** Abort a Cognito call after this long (ms). */
  timeoutMs?: number;
  /** The app client rotates refresh tokens. */
  rotation?: boolean;
  /** Told when Cognito cannot be reached and when it answers again; logs the outage, not each failed call. */
  outage?: OutageLog;
}

function parseRequiredAttributes(raw: string | undefined): string[] {
  if (!raw) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed)) return [];
    return parsed.map(String).map((name) => name.replace(/^userAttributes\./, ''));
  } catch {
    return [];
  }
}

/** Sign-in against a Cognito app client, confidential (SECRET_HASH on every call) or public. */
export function createCognitoAuth(options: CognitoAuthOptions): CognitoAuth {
  const { client, clientId, clientSecret, verifier, outage } = options;
  const timeoutMs = options.timeoutMs ?? 10_000;
  // Sign-out must not keep the user waiting when Cognito is slow: the local session ends regardless.
  const signOutTimeoutMs = Math.min(timeoutMs, 3000);
  const hashFor = (username: string): Record<string, string> =>
    clientSecret === undefined ? {} : { SECRET_HASH: secretHash(username, clientId, clientSecret) };

  async function call<T>(
    operation: CognitoOperation,
    send: (signal: AbortSignal) => Promise<T>,
    limitMs = timeoutMs,
  ): Promise<T> {
    let out: T;
    try {
      out = await send(AbortSignal.timeout(limitMs));
    } catch (err) {
      const failure = classifyCognitoError(err, operation);
      // Any answer from Cognito, a refusal included, shows it is there; only no answer is an outage.
      if (failure.kind === 'unavailable') outage?.failed(err);
      else outage?.succeeded();
      throw failure;
    }
    outage?.succeeded();
    return out;
  }

  async function tokensFrom(
    result: AuthenticationResultType | undefined,
    keepRefreshToken?: string,
  ): Promise<SignInResult> {
    const refreshToken = result?.RefreshToken ?? keepRefreshToken;
    if (!result?.IdToken || !result.AccessToken || !refreshToken) {
      throw new AuthFailure('misconfigured', 'AuthenticationResult without the three tokens');
    }
    let claims: IdClaims;
    try {
      claims = await verifier.verify(result.IdToken);
    } catch (err) {
      throw new AuthFailure('misconfigured', `ID token failed verification: ${(err as Error).name}`);
    }
    const lifetimeMs = (claims.exp - claims.iat) * 1000;
    return {
      kind: 'signed-in',
      claims,
      tokens: {
        idToken: result.IdToken,
        accessToken: result.AccessToken,
        refreshToken,
        idTokenExpiresAt: claims.exp * 1000,
        ...(Number.isFinite(lifetimeMs) && lifetimeMs > 0 ? { idTokenLifetimeMs: lifetimeMs } : {}),
      },
    };
  }

  function outcome(
    out: Pick<InitiateAuthCommandOutput, 'AuthenticationResult' | 'ChallengeName' | 'ChallengeParameters' | 'Session'>,
    typed: string,
  ) {
    const name: ChallengeNameType | undefined = out.ChallengeName;
    if (name === undefined) return tokensFrom(out.AuthenticationResult);
    switch (name) {
      case 'NEW_PASSWORD_REQUIRED':
        if (!out.Session) throw new AuthFailure('misconfigured', 'NEW_PASSWORD_REQUIRED without a Session');
        return Promise.resolve<SignInResult>({
          kind: 'challenge',
          challenge: {
            name,
            session: out.Session,
            username: out.ChallengeParameters?.['USER_ID_FOR_SRP'] ?? typed,
            requiredAttributes: parseRequiredAttributes(out.ChallengeParameters?.['requiredAttributes']),
          },
        });
      case 'SMS_MFA':
      case 'SMS_OTP':
      case 'EMAIL_OTP':
      case 'SOFTWARE_TOKEN_MFA':
      case 'SELECT_MFA_TYPE':
      case 'MFA_SETUP':
      case 'SELECT_CHALLENGE':
      case 'CUSTOM_CHALLENGE':
      case 'PASSWORD':
      case 'PASSWORD_SRP':
      case 'PASSWORD_VERIFIER':
      case 'WEB_AUTHN':
      case 'DEVICE_SRP_AUTH':
      case 'DEVICE_PASSWORD_VERIFIER':
      case 'ADMIN_NO_SRP_AUTH':
        throw new AuthFailure('unsupported-step', `challenge ${name} is not supported`);
    }
  }

  return {
    async signIn(username, password) {
      const out = await call('sign-in', (abortSignal) =>
        client.send(
          new InitiateAuthCommand({
            AuthFlow: 'USER_PASSWORD_AUTH',
            ClientId: clientId,
            AuthParameters: { USERNAME: username, PASSWORD: password, ...hashFor(username) },
          }),
          { abortSignal },
        ),
      );
      return outcome(out, username);
    },

    async completeNewPassword(challenge, newPassword, attributes) {
      const extra = Object.fromEntries(Object.entries(attributes).map(([k, v]) => [`userAttributes.${k}`, v]));
      const out = await call('challenge', (abortSignal) =>
        client.send(
          new RespondToAuthChallengeCommand({
            ClientId: clientId,
            ChallengeName: 'NEW_PASSWORD_REQUIRED',
            Session: challenge.session,
            ChallengeResponses: {
              USERNAME: challenge.username,
              NEW_PASSWORD: newPassword,
              ...extra,
              ...hashFor(challenge.username),
            },
          }),
          { abortSignal },
        ),
      );
      return outcome(out, challenge.username);
    },

    async refresh(tokens, username) {
      const out = await call('refresh', (abortSignal) =>
        options.rotation
          ? client.send(
              new GetTokensFromRefreshTokenCommand({
                ClientId: clientId,
                RefreshToken: tokens.refreshToken,
                ...(clientSecret === undefined ? {} : { ClientSecret: clientSecret }),
              }),
              { abortSignal },
            )
          : client.send(
              new InitiateAuthCommand({
                AuthFlow: 'REFRESH_TOKEN_AUTH',
                ClientId: clientId,
                AuthParameters: { REFRESH_TOKEN: tokens.refreshToken, ...hashFor(username) },
              }),
              { abortSignal },
            ),
      );
      const result = await tokensFrom(out.AuthenticationResult, tokens.refreshToken);
      if (result.kind !== 'signed-in') throw new AuthFailure('misconfigured', 'refresh answered with a challenge');
      return result.tokens;
    },

    async signOut(tokens) {
      const failed: string[] = [];
      // GlobalSignOut first: RevokeToken also revokes the access token GlobalSignOut needs.
      await call(
        'sign-out',
        (abortSignal) => client.send(new GlobalSignOutCommand({ AccessToken: tokens.accessToken }), { abortSignal }),
        signOutTimeoutMs,
      ).catch((err: AuthFailure) => failed.push(`GlobalSignOut ${err.detail}`));
      await call(
        'sign-out',
        (abortSignal) =>
          client.send(
            new RevokeTokenCommand({
              ClientId: clientId,
              Token: tokens.refreshToken,
              ...(clientSecret === undefined ? {} : { ClientSecret: clientSecret }),
            }),
            { abortSignal },
          ),
        signOutTimeoutMs,
      ).catch((err: AuthFailure) => failed.push(`RevokeToken ${err.detail}`));
      return failed;
    },
  };
}
