import {
  GetTokensFromRefreshTokenCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  AssociateSoftwareTokenCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type {
  AuthenticationResultType,
  CognitoIdentityProviderClient,
  InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import type { OutageLog } from '../ops/outage-log.js';
import type { IdClaims, IdTokenVerifier } from './verifier.js';
import { challengeStep } from './challenges/index.js';
import type { AnswerOf, Challenge, ChallengeOf, SupportedChallengeName } from './challenges/index.js';
import type { ChallengeCalls } from './challenges/step.js';
import { COGNITO_TIMEOUT_MS, cognitoCaller } from './call.js';
import { AuthFailure } from './errors.js';
import { secretHash } from './secret-hash.js';
import { userContextData } from './user-context.js';
import type { UserContext } from './user-context.js';

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

export type SignInResult =
  { kind: 'signed-in'; tokens: TokenSet; claims: IdClaims } | { kind: 'challenge'; challenge: Challenge };

/** Sign-in on behalf of a browser; every call but refresh and sign-out carries its UserContext (user-context.ts). */
export interface CognitoAuth {
  signIn(username: string, password: string, context: UserContext): Promise<SignInResult>;
  /**
   * Choice-based sign-in (InitiateAuth USER_AUTH): without `preferred`, Cognito answers SELECT_CHALLENGE with what
   * this user can use; with it, that factor's challenge (a code sent, a passkey asked for). Sending it again for an
   * emailed or texted code sends a new one.
   */
  startUserAuth(username: string, context: UserContext, preferred?: string): Promise<SignInResult>;
  /** Signs a just-confirmed user in with the Session ConfirmSignUp answered (USER_AUTH, no second code). */
  signInAfterConfirm(username: string, session: string, context: UserContext): Promise<SignInResult>;
  /**
   * A new authenticator-app secret for an MFA_SETUP challenge (AssociateSoftwareToken on its Session): the secret to
   * show, and the Session that replaces the challenge's.
   */
  associateSoftwareToken(session: string): Promise<{ secret: string; session: string }>;
  /** Answers the challenge in progress (RespondToAuthChallenge), with the responses its step builds. */
  respond<N extends SupportedChallengeName>(
    challenge: ChallengeOf<N>,
    answer: AnswerOf<N>,
    context: UserContext,
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

/** Sign-in against a Cognito app client, confidential (SECRET_HASH on every call) or public. */
export function createCognitoAuth(options: CognitoAuthOptions): CognitoAuth {
  const { client, clientId, clientSecret, verifier, outage } = options;
  const timeoutMs = options.timeoutMs ?? COGNITO_TIMEOUT_MS;
  // Sign-out must not keep the user waiting when Cognito is slow: the local session ends regardless.
  const signOutTimeoutMs = Math.min(timeoutMs, 3000);
  const call = cognitoCaller(timeoutMs, outage);
  const hashFor = (username: string): Record<string, string> =>
    clientSecret === undefined ? {} : { SECRET_HASH: secretHash(username, clientId, clientSecret) };

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
    out: Pick<
      InitiateAuthCommandOutput,
      'AuthenticationResult' | 'ChallengeName' | 'ChallengeParameters' | 'Session' | 'AvailableChallenges'
    >,
    typed: string,
  ) {
    const name: string | undefined = out.ChallengeName;
    if (name === undefined) return tokensFrom(out.AuthenticationResult);
    const step = challengeStep(name);
    if (!step || 'unsupported' in step) throw new AuthFailure('unsupported-step', `challenge ${name} is not supported`);
    if (!out.Session) throw new AuthFailure('misconfigured', `${name} without a Session`);
    const challenge = step.read({
      session: out.Session,
      parameters: out.ChallengeParameters ?? {},
      typed,
      ...(out.AvailableChallenges ? { available: out.AvailableChallenges } : {}),
    });
    return Promise.resolve<SignInResult>({ kind: 'challenge', challenge });
  }

  /** InitiateAuth for `username` (SECRET_HASH added), read as a sign-in result. */
  async function initiate(
    flow: 'USER_PASSWORD_AUTH' | 'USER_AUTH',
    username: string,
    parameters: Record<string, string>,
    context: UserContext,
    session?: string,
  ): Promise<SignInResult> {
    const out = await call('sign-in', (abortSignal) =>
      client.send(
        new InitiateAuthCommand({
          AuthFlow: flow,
          ClientId: clientId,
          ...(session ? { Session: session } : {}),
          AuthParameters: { USERNAME: username, ...parameters, ...hashFor(username) },
          ...userContextData(context),
        }),
        { abortSignal },
      ),
    );
    return outcome(out, username);
  }

  const challengeCalls: ChallengeCalls = {
    async verifySoftwareToken(session, code, deviceName) {
      const out = await call('challenge', (abortSignal) =>
        client.send(
          new VerifySoftwareTokenCommand({
            Session: session,
            UserCode: code,
            ...(deviceName ? { FriendlyDeviceName: deviceName } : {}),
          }),
          { abortSignal },
        ),
      );
      if (out.Status !== 'SUCCESS' || !out.Session)
        throw new AuthFailure('code-mismatch', `VerifySoftwareToken ${out.Status}`);
      return out.Session;
    },
  };

  return {
    signIn: (username, password, context) => initiate('USER_PASSWORD_AUTH', username, { PASSWORD: password }, context),
    startUserAuth: (username, context, preferred) =>
      initiate('USER_AUTH', username, preferred ? { PREFERRED_CHALLENGE: preferred } : {}, context),
    signInAfterConfirm: (username, session, context) => initiate('USER_AUTH', username, {}, context, session),

    async associateSoftwareToken(session) {
      const out = await call('challenge', (abortSignal) =>
        client.send(new AssociateSoftwareTokenCommand({ Session: session }), { abortSignal }),
      );
      if (!out.SecretCode || !out.Session)
        throw new AuthFailure('misconfigured', 'AssociateSoftwareToken without a secret');
      return { secret: out.SecretCode, session: out.Session };
    },

    async respond(challenge, answer, context) {
      const step = challengeStep(challenge.name);
      if (!step || 'unsupported' in step) throw new AuthFailure('unsupported-step', `no step for ${challenge.name}`);
      const before = step.beforeRespond ? await step.beforeRespond(challengeCalls, challenge, answer) : {};
      const out = await call('challenge', (abortSignal) =>
        client.send(
          new RespondToAuthChallengeCommand({
            ClientId: clientId,
            ChallengeName: challenge.name,
            Session: before.session ?? challenge.session,
            ChallengeResponses: {
              USERNAME: challenge.username,
              ...step.responses(challenge, answer),
              ...hashFor(challenge.username),
            },
            ...userContextData(context),
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
