import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  ChangePasswordCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  RevokeTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { JwtRsaVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { FetchJwksFetcher } from '../../src/cognito/jwks-fetcher.js';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { hashFor, rejection, startTestStack } from '../support/stack.js';
import { readJson } from '../support/http.js';
import type { TestStack } from '../support/stack.js';

describe('Cognito emulator: tokens, refresh and revocation', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack();
  });
  after(() => stack.close());

  const pool = () => stack.pool();
  const hash = (username: string) => hashFor(username, stack.secretClient.ClientId, stack.secretClient.ClientSecret);
  const signIn = async (username = 'bob', password = 'Bob-Passw0rd!') => {
    const out = await stack.cognito.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: stack.secretClient.ClientId,
        AuthParameters: { USERNAME: username, PASSWORD: password, SECRET_HASH: hash(username) },
      }),
    );
    const result = out.AuthenticationResult;
    assert.ok(result?.IdToken && result.AccessToken && result.RefreshToken);
    return { id: result.IdToken, access: result.AccessToken, refresh: result.RefreshToken };
  };
  const refresh = (token: string, secretHash?: string, clientId = stack.secretClient.ClientId) =>
    stack.cognito.send(
      new InitiateAuthCommand({
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        ClientId: clientId,
        AuthParameters: { REFRESH_TOKEN: token, ...(secretHash ? { SECRET_HASH: secretHash } : {}) },
      }),
    );

  it('publishes the JWKS and discovery document under the pool id', async () => {
    const jwks = await readJson(await fetch(`${stack.cognitoEndpoint}/${stack.poolId}/.well-known/jwks.json`));
    assert.equal(jwks.keys.length, 1);
    assert.equal(jwks.keys[0].alg, 'RS256');
    assert.equal(jwks.keys[0].d, undefined, 'the private part never leaves');
    const oidc = await readJson(
      await fetch(`${stack.cognitoEndpoint}/${stack.poolId}/.well-known/openid-configuration`),
    );
    assert.equal(oidc.issuer, `${stack.cognitoEndpoint}/${stack.poolId}`);
    assert.equal(oidc.jwks_uri, `${stack.cognitoEndpoint}/${stack.poolId}/.well-known/jwks.json`);
  });

  it('issues ID tokens that aws-jwt-verify and jose accept, with the claims Cognito sets', async () => {
    const { id, access } = await signIn();
    const issuer = `${stack.cognitoEndpoint}/${stack.poolId}`;
    const verifier = JwtRsaVerifier.create(
      {
        issuer,
        audience: stack.secretClient.ClientId,
        jwksUri: `${issuer}/.well-known/jwks.json`,
        customJwtCheck: ({ payload }) => assert.equal(payload['token_use'], 'id'),
      },
      { jwksCache: new SimpleJwksCache({ fetcher: new FetchJwksFetcher() }) },
    );
    const claims = await verifier.verify(id);
    assert.equal(claims['cognito:username'], 'bob');
    assert.deepEqual(claims['cognito:groups'], ['admins', 'readers']);
    assert.equal(claims['email'], 'bob@example.com');
    assert.equal(claims['email_verified'], true);
    for (const name of ['sub', 'auth_time', 'exp', 'iat', 'jti', 'origin_jti', 'event_id'])
      assert.ok(claims[name], name);
    assert.equal((claims.exp ?? 0) - (claims.iat ?? 0), 3600);
    assert.equal(decodeProtectedHeader(id).kid, pool().key.kid);

    const jwks = createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`));
    const byJose = await jwtVerify(id, jwks, { issuer, audience: stack.secretClient.ClientId });
    assert.equal(byJose.payload['token_use'], 'id');
    assert.equal(byJose.payload['cognito:username'], 'bob');
    const { payload } = await jwtVerify(access, jwks, { issuer });
    assert.equal(payload['token_use'], 'access');
    assert.equal(payload['client_id'], stack.secretClient.ClientId);
    assert.equal(payload['username'], 'bob');
    assert.equal(payload['scope'], 'aws.cognito.signin.user.admin');
    assert.equal(payload.aud, undefined);
  });

  it('takes token lifetimes from the app client', async () => {
    const { UserPoolClient } = await stack.cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: stack.poolId,
        ClientName: 'short-lived',
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        AccessTokenValidity: 5,
        IdTokenValidity: 10,
        TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes' },
      }),
    );
    const out = await stack.cognito.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: UserPoolClient?.ClientId,
        AuthParameters: { USERNAME: 'alice', PASSWORD: 'Alice-Passw0rd!' },
      }),
    );
    assert.equal(out.AuthenticationResult?.ExpiresIn, 300);
    const id = decodeJwt(out.AuthenticationResult?.IdToken ?? '');
    assert.equal((id.exp ?? 0) - (id.iat ?? 0), 600);
    const tooShort = await rejection(() =>
      stack.cognito.send(
        new CreateUserPoolClientCommand({
          UserPoolId: stack.poolId,
          ClientName: 'too-short',
          AccessTokenValidity: 1,
          TokenValidityUnits: { AccessToken: 'minutes' },
        }),
      ),
    );
    assert.equal(tooShort.name, 'InvalidParameterException');
  });

  it('refreshes with the hash on cognito:username, returning no new refresh token', async () => {
    const { refresh: token } = await signIn();
    const missing = await rejection(() => refresh(token));
    assert.equal(
      missing.message,
      `Client ${stack.secretClient.ClientId} is configured with secret but SECRET_HASH was not received`,
    );
    const out = await refresh(token, hash('bob'));
    assert.equal(out.AuthenticationResult?.RefreshToken, undefined);
    assert.equal(out.AuthenticationResult?.ExpiresIn, 3600);
    assert.equal(out.AuthenticationResult?.TokenType, 'Bearer');
    assert.equal(decodeJwt(out.AuthenticationResult?.IdToken ?? '')['cognito:username'], 'bob');
  });

  it('in a pool that signs in by email, the refresh hash must use the sub-style username, not the email', async () => {
    const { UserPool } = await stack.cognito.send(
      new CreateUserPoolCommand({ PoolName: 'by-email', UsernameAttributes: ['email'] }),
    );
    const poolId = UserPool?.Id ?? '';
    const { UserPoolClient } = await stack.cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'secret',
        GenerateSecret: true,
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    const clientId = UserPoolClient?.ClientId ?? '';
    const secret = UserPoolClient?.ClientSecret ?? '';
    const { User } = await stack.cognito.send(
      new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'carol@example.com', MessageAction: 'SUPPRESS' }),
    );
    assert.notEqual(User?.Username, 'carol@example.com');
    await stack.cognito.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: poolId,
        Username: 'carol@example.com',
        Password: 'Carol-Passw0rd!',
        Permanent: true,
      }),
    );
    const out = await stack.cognito.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: clientId,
        AuthParameters: {
          USERNAME: 'carol@example.com',
          PASSWORD: 'Carol-Passw0rd!',
          SECRET_HASH: hashFor('carol@example.com', clientId, secret),
        },
      }),
    );
    const token = out.AuthenticationResult?.RefreshToken ?? '';
    const canonical = String(decodeJwt(out.AuthenticationResult?.IdToken ?? '')['cognito:username']);
    assert.equal(canonical, User?.Username);
    const byEmail = await rejection(() => refresh(token, hashFor('carol@example.com', clientId, secret), clientId));
    assert.equal(byEmail.message, `Unable to verify secret hash for client ${clientId}`);
    const ok = await refresh(token, hashFor(canonical, clientId, secret), clientId);
    assert.ok(ok.AuthenticationResult?.IdToken);
  });

  it('binds a refresh token to its client', async () => {
    const { refresh: token } = await signIn();
    const err = await rejection(() => refresh(token, undefined, stack.publicClient.ClientId));
    assert.equal(err.name, 'NotAuthorizedException');
    assert.equal(err.message, 'Invalid Refresh Token');
  });

  it('RevokeToken needs the raw client secret and ends the refresh token and its access tokens', async () => {
    const { refresh: token, access } = await signIn();
    const noSecret = await rejection(() =>
      stack.cognito.send(new RevokeTokenCommand({ ClientId: stack.secretClient.ClientId, Token: token })),
    );
    assert.equal(noSecret.name, 'UnauthorizedException');
    await stack.cognito.send(
      new RevokeTokenCommand({
        ClientId: stack.secretClient.ClientId,
        ClientSecret: stack.secretClient.ClientSecret,
        Token: token,
      }),
    );
    const err = await rejection(() => refresh(token, hash('bob')));
    assert.equal(err.name, 'NotAuthorizedException');
    assert.equal(err.message, 'Refresh Token has been revoked');
    const getUser = await rejection(() => stack.cognito.send(new GetUserCommand({ AccessToken: access })));
    assert.equal(getUser.message, 'Access Token has been revoked');
  });

  it('GlobalSignOut revokes every refresh token of the user', async () => {
    const first = await signIn();
    const second = await signIn();
    const me = await stack.cognito.send(new GetUserCommand({ AccessToken: first.access }));
    assert.equal(me.Username, 'bob');
    await stack.cognito.send(new GlobalSignOutCommand({ AccessToken: first.access }));
    for (const session of [first, second]) {
      const err = await rejection(() => refresh(session.refresh, hash('bob')));
      assert.equal(err.message, 'Refresh Token has been revoked');
    }
    const fresh = await signIn();
    assert.ok((await refresh(fresh.refresh, hash('bob'))).AuthenticationResult?.IdToken, 'a new sign-in still works');
  });

  it('GetUser refuses an ID token, garbage and an expired access token', async () => {
    const { id, access } = await signIn('alice', 'Alice-Passw0rd!');
    for (const bad of [id, 'garbage']) {
      const err = await rejection(() => stack.cognito.send(new GetUserCommand({ AccessToken: bad })));
      assert.equal(err.name, 'NotAuthorizedException');
      assert.equal(err.message, 'Invalid Access Token');
    }
    stack.clock.advance(3601_000);
    const expired = await rejection(() => stack.cognito.send(new GetUserCommand({ AccessToken: access })));
    assert.equal(expired.message, 'Access Token has expired');
  });

  it('ChangePassword checks the previous password and the policy', async () => {
    const { access } = await signIn('alice', 'Alice-Passw0rd!');
    const wrong = await rejection(() =>
      stack.cognito.send(
        new ChangePasswordCommand({
          AccessToken: access,
          PreviousPassword: 'nope',
          ProposedPassword: 'Next-Passw0rd!',
        }),
      ),
    );
    assert.equal(wrong.message, 'Incorrect username or password.');
    const weak = await rejection(() =>
      stack.cognito.send(
        new ChangePasswordCommand({
          AccessToken: access,
          PreviousPassword: 'Alice-Passw0rd!',
          ProposedPassword: 'weak',
        }),
      ),
    );
    assert.equal(weak.name, 'InvalidPasswordException');
    await stack.cognito.send(
      new ChangePasswordCommand({
        AccessToken: access,
        PreviousPassword: 'Alice-Passw0rd!',
        ProposedPassword: 'Next-Passw0rd!',
      }),
    );
    assert.ok((await signIn('alice', 'Next-Passw0rd!')).id);
  });

  it('rotates refresh tokens with GetTokensFromRefreshToken, honouring RetryGracePeriodSeconds', async () => {
    const { UserPoolClient } = await stack.cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: stack.poolId,
        ClientName: 'rotating',
        GenerateSecret: true,
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 10 },
      }),
    );
    const clientId = UserPoolClient?.ClientId ?? '';
    const secret = UserPoolClient?.ClientSecret ?? '';
    const out = await stack.cognito.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: clientId,
        AuthParameters: { USERNAME: 'bob', PASSWORD: 'Bob-Passw0rd!', SECRET_HASH: hashFor('bob', clientId, secret) },
      }),
    );
    const first = out.AuthenticationResult?.RefreshToken ?? '';
    const viaInitiate = await rejection(() => refresh(first, hashFor('bob', clientId, secret), clientId));
    assert.equal(viaInitiate.name, 'InvalidParameterException');
    const noSecret = await rejection(() =>
      stack.cognito.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: first })),
    );
    assert.equal(noSecret.name, 'NotAuthorizedException');
    const rotate = (token: string) =>
      stack.cognito.send(
        new GetTokensFromRefreshTokenCommand({ ClientId: clientId, ClientSecret: secret, RefreshToken: token }),
      );
    const rotated = await rotate(first);
    const second = rotated.AuthenticationResult?.RefreshToken ?? '';
    assert.ok(second && second !== first, 'a new refresh token');
    assert.ok(rotated.AuthenticationResult?.IdToken);
    assert.ok((await rotate(first)).AuthenticationResult?.IdToken, 'the old token works within the grace period');
    stack.clock.advance(11_000);
    const reused = await rejection(() => rotate(first));
    assert.equal(reused.name, 'RefreshTokenReuseException');
    assert.ok((await rotate(second)).AuthenticationResult?.RefreshToken, 'the new token works');
  });
});
