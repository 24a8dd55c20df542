import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  CreateUserPoolClientCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { hashFor, rejection, startTestStack } from '../support/stack.js';
import type { TestStack } from '../support/stack.js';

describe('Cognito emulator: USER_PASSWORD_AUTH and SECRET_HASH', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack();
  });
  after(() => stack.close());

  const signIn = (username: string, password: string, extra: Record<string, string> = {}, clientId?: string) =>
    stack.cognito.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: clientId ?? stack.secretClient.ClientId,
        AuthParameters: { USERNAME: username, PASSWORD: password, ...extra },
      }),
    );
  const hash = (username: string) => hashFor(username, stack.secretClient.ClientId, stack.secretClient.ClientSecret);

  it('refuses a confidential client without SECRET_HASH, with the exact AWS message', async () => {
    const err = await rejection(() => signIn('alice', 'Alice-Passw0rd!'));
    assert.equal(err.name, 'NotAuthorizedException');
    assert.equal(
      err.message,
      `Client ${stack.secretClient.ClientId} is configured with secret but SECRET_HASH was not received`,
    );
  });

  it('refuses a wrong SECRET_HASH, including one computed for another username', async () => {
    for (const wrong of ['bm90LWEtaGFzaA==', hash('bob'), 'not base64 at all']) {
      const err = await rejection(() => signIn('alice', 'Alice-Passw0rd!', { SECRET_HASH: wrong }));
      assert.equal(err.name, 'NotAuthorizedException');
      assert.equal(err.message, `Unable to verify secret hash for client ${stack.secretClient.ClientId}`);
    }
  });

  it('signs a confirmed user in with the right hash: tokens, ExpiresIn 3600, TokenType Bearer', async () => {
    const out = await signIn('alice', 'Alice-Passw0rd!', { SECRET_HASH: hash('alice') });
    assert.equal(out.ChallengeName, undefined);
    assert.equal(out.AuthenticationResult?.ExpiresIn, 3600);
    assert.equal(out.AuthenticationResult?.TokenType, 'Bearer');
    assert.ok(out.AuthenticationResult?.IdToken?.split('.').length === 3);
    assert.ok(out.AuthenticationResult?.AccessToken);
    assert.ok(out.AuthenticationResult?.RefreshToken);
  });

  it('signs in on the public client with no hash at all', async () => {
    const out = await signIn('alice', 'Alice-Passw0rd!', {}, stack.publicClient.ClientId);
    assert.ok(out.AuthenticationResult?.IdToken);
  });

  it('answers a wrong password and an unknown user identically when PreventUserExistenceErrors is ENABLED', async () => {
    const wrong = await rejection(() => signIn('alice', 'Wrong-passw0rd!', { SECRET_HASH: hash('alice') }));
    const unknown = await rejection(() => signIn('nobody', 'Wrong-passw0rd!', { SECRET_HASH: hash('nobody') }));
    assert.equal(wrong.name, 'NotAuthorizedException');
    assert.equal(wrong.message, 'Incorrect username or password.');
    assert.equal(unknown.name, wrong.name);
    assert.equal(unknown.message, wrong.message);
  });

  it('reveals unknown users with UserNotFoundException when the client is LEGACY', async () => {
    const { UserPoolClient } = await stack.cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: stack.poolId,
        ClientName: 'legacy',
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        PreventUserExistenceErrors: 'LEGACY',
      }),
    );
    const err = await rejection(() => signIn('nobody', 'Wrong-passw0rd!', {}, UserPoolClient?.ClientId));
    assert.equal(err.name, 'UserNotFoundException');
    assert.equal(err.message, 'User does not exist.');
  });

  it('refuses an auth flow the client does not allow with InvalidParameterException', async () => {
    const { UserPoolClient } = await stack.cognito.send(
      new CreateUserPoolClientCommand({ UserPoolId: stack.poolId, ClientName: 'srp-only' }),
    );
    const err = await rejection(() => signIn('alice', 'Alice-Passw0rd!', {}, UserPoolClient?.ClientId));
    assert.equal(err.name, 'InvalidParameterException');
    assert.equal(err.message, 'USER_PASSWORD_AUTH flow not enabled for this client');
  });

  it('says "User is disabled." for a disabled user and lets them back in when enabled', async () => {
    await stack.cognito.send(new AdminDisableUserCommand({ UserPoolId: stack.poolId, Username: 'bob' }));
    const err = await rejection(() => signIn('bob', 'Bob-Passw0rd!', { SECRET_HASH: hash('bob') }));
    assert.equal(err.name, 'NotAuthorizedException');
    assert.equal(err.message, 'User is disabled.');
    await stack.cognito.send(new AdminEnableUserCommand({ UserPoolId: stack.poolId, Username: 'bob' }));
    const out = await signIn('bob', 'Bob-Passw0rd!', { SECRET_HASH: hash('bob') });
    assert.ok(out.AuthenticationResult?.IdToken);
  });

  it('maps UNCONFIRMED and RESET_REQUIRED users to their exceptions', async () => {
    const user = stack.pool().users.get('alice');
    assert.ok(user);
    user.status = 'UNCONFIRMED';
    const unconfirmed = await rejection(() => signIn('alice', 'Alice-Passw0rd!', { SECRET_HASH: hash('alice') }));
    user.status = 'RESET_REQUIRED';
    const reset = await rejection(() => signIn('alice', 'Alice-Passw0rd!', { SECRET_HASH: hash('alice') }));
    user.status = 'CONFIRMED';
    assert.equal(unconfirmed.name, 'UserNotConfirmedException');
    assert.equal(unconfirmed.message, 'User is not confirmed.');
    assert.equal(reset.name, 'PasswordResetRequiredException');
    assert.equal(reset.message, 'Password reset required for the user');
  });

  it('names missing auth parameters', async () => {
    const err = await rejection(() =>
      stack.cognito.send(
        new InitiateAuthCommand({
          AuthFlow: 'USER_PASSWORD_AUTH',
          ClientId: stack.secretClient.ClientId,
          AuthParameters: { USERNAME: 'alice' },
        }),
      ),
    );
    assert.equal(err.name, 'InvalidParameterException');
    assert.equal(err.message, 'Missing required parameter PASSWORD');
  });

  it('refuses an unknown client with ResourceNotFoundException', async () => {
    const err = await rejection(() => signIn('alice', 'Alice-Passw0rd!', {}, 'nosuchclient'));
    assert.equal(err.name, 'ResourceNotFoundException');
  });
});

describe('Cognito emulator: NEW_PASSWORD_REQUIRED', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack();
  });
  after(() => stack.close());

  const hash = (username: string) => hashFor(username, stack.secretClient.ClientId, stack.secretClient.ClientSecret);
  const startChallenge = async () => {
    const out = await stack.cognito.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: stack.secretClient.ClientId,
        AuthParameters: { USERNAME: 'demo', PASSWORD: 'Welcome-2-cognito!', SECRET_HASH: hash('demo') },
      }),
    );
    assert.equal(out.ChallengeName, 'NEW_PASSWORD_REQUIRED');
    assert.ok(out.Session);
    return out;
  };
  const answer = (session: string | undefined, responses: Record<string, string>) =>
    stack.cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: stack.secretClient.ClientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: session,
        ChallengeResponses: { USERNAME: 'demo', SECRET_HASH: hash('demo'), ...responses },
      }),
    );

  it('gives the temporary-password user the challenge with its parameters', async () => {
    const out = await startChallenge();
    assert.equal(out.AuthenticationResult, undefined);
    assert.equal(out.ChallengeParameters?.['USER_ID_FOR_SRP'], 'demo');
    assert.deepEqual(JSON.parse(out.ChallengeParameters?.['requiredAttributes'] ?? ''), []);
    assert.equal(JSON.parse(out.ChallengeParameters?.['userAttributes'] ?? '{}').email, 'demo@example.com');
  });

  it('refuses a wrong temporary password', async () => {
    const err = await rejection(() =>
      stack.cognito.send(
        new InitiateAuthCommand({
          AuthFlow: 'USER_PASSWORD_AUTH',
          ClientId: stack.secretClient.ClientId,
          AuthParameters: { USERNAME: 'demo', PASSWORD: 'Not-the-temp-1!', SECRET_HASH: hash('demo') },
        }),
      ),
    );
    assert.equal(err.message, 'Incorrect username or password.');
  });

  it('checks SECRET_HASH on the answer too', async () => {
    const { Session } = await startChallenge();
    const missing = await rejection(() =>
      stack.cognito.send(
        new RespondToAuthChallengeCommand({
          ClientId: stack.secretClient.ClientId,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session,
          ChallengeResponses: { USERNAME: 'demo', NEW_PASSWORD: 'Brand-new-passw0rd!' },
        }),
      ),
    );
    assert.equal(
      missing.message,
      `Client ${stack.secretClient.ClientId} is configured with secret but SECRET_HASH was not received`,
    );
    const wrong = await rejection(() =>
      answer(Session, { NEW_PASSWORD: 'Brand-new-passw0rd!', SECRET_HASH: hash('alice') }),
    );
    assert.equal(wrong.message, `Unable to verify secret hash for client ${stack.secretClient.ClientId}`);
  });

  it('refuses a session that was never issued', async () => {
    const err = await rejection(() => answer('AYABeforged', { NEW_PASSWORD: 'Brand-new-passw0rd!' }));
    assert.equal(err.name, 'NotAuthorizedException');
    assert.equal(err.message, 'Invalid session for the user, session is expired.');
  });

  it('refuses a session older than AuthSessionValidity (3 minutes)', async () => {
    const { Session } = await startChallenge();
    stack.clock.advance(3 * 60_000 + 1000);
    const err = await rejection(() => answer(Session, { NEW_PASSWORD: 'Brand-new-passw0rd!' }));
    assert.equal(err.message, 'Invalid session for the user, session is expired.');
  });

  it('rejects a password that breaks the policy, keeps the session, then signs in; the session is single-use', async () => {
    const { Session } = await startChallenge();
    const weak = await rejection(() => answer(Session, { NEW_PASSWORD: 'short' }));
    assert.equal(weak.name, 'InvalidPasswordException');
    assert.equal(weak.message, 'Password does not conform to policy: Password not long enough');
    const noSymbol = await rejection(() => answer(Session, { NEW_PASSWORD: 'LongEnough123' }));
    assert.equal(noSymbol.message, 'Password does not conform to policy: Password must have symbol characters');
    const out = await answer(Session, { NEW_PASSWORD: 'Brand-new-passw0rd!' });
    assert.equal(out.AuthenticationResult?.TokenType, 'Bearer');
    assert.equal(out.AuthenticationResult?.ExpiresIn, 3600);
    assert.ok(out.AuthenticationResult?.RefreshToken);
    const reused = await rejection(() => answer(Session, { NEW_PASSWORD: 'Another-passw0rd!' }));
    assert.equal(reused.message, 'Invalid session for the user, session is expired.');
    const again = await stack.cognito.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: stack.secretClient.ClientId,
        AuthParameters: { USERNAME: 'demo', PASSWORD: 'Brand-new-passw0rd!', SECRET_HASH: hash('demo') },
      }),
    );
    assert.equal(again.ChallengeName, undefined);
    assert.ok(again.AuthenticationResult?.IdToken);
  });
});
