import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateUserPoolClientCommand,
  DescribeUserPoolClientCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  SignUpCommand,
  UpdateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { MAX_USER_CONTEXTS } from '../../src/emulator/cognito/model/user-context.js';
import { contextOf, hashFor, rejection, startTestStack } from '../support/stack.js';
import type { TestStack } from '../support/stack.js';

describe('Cognito emulator: UserContextData and EnablePropagateAdditionalUserContextData', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack();
  });
  after(() => stack.close());

  const secretHash = (username: string) =>
    hashFor(username, stack.secretClient.ClientId, stack.secretClient.ClientSecret);

  it('the walkthrough confidential client propagates user context; the public one cannot', async () => {
    const described = async (ClientId: string) =>
      (await stack.cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: stack.poolId, ClientId })))
        .UserPoolClient;
    assert.equal((await described(stack.secretClient.ClientId))?.EnablePropagateAdditionalUserContextData, true);
    assert.equal((await described(stack.publicClient.ClientId))?.EnablePropagateAdditionalUserContextData, false);
  });

  it('turns the flag on only for a client with a secret, on create and on update', async () => {
    const refused = await rejection(() =>
      stack.cognito.send(
        new CreateUserPoolClientCommand({
          UserPoolId: stack.poolId,
          ClientName: 'no-secret',
          EnablePropagateAdditionalUserContextData: true,
        }),
      ),
    );
    assert.equal(refused.name, 'InvalidParameterException');
    assert.match(refused.message, /EnablePropagateAdditionalUserContextData/);

    const created = await stack.cognito.send(
      new CreateUserPoolClientCommand({ UserPoolId: stack.poolId, ClientName: 'plain' }),
    );
    const ClientId = created.UserPoolClient?.ClientId;
    assert.equal(created.UserPoolClient?.EnablePropagateAdditionalUserContextData, false);
    const update = await rejection(() =>
      stack.cognito.send(
        new UpdateUserPoolClientCommand({
          UserPoolId: stack.poolId,
          ClientId,
          EnablePropagateAdditionalUserContextData: true,
        }),
      ),
    );
    assert.equal(update.name, 'InvalidParameterException');

    const secret = await stack.cognito.send(
      new CreateUserPoolClientCommand({ UserPoolId: stack.poolId, ClientName: 'secret', GenerateSecret: true }),
    );
    const updated = await stack.cognito.send(
      new UpdateUserPoolClientCommand({
        UserPoolId: stack.poolId,
        ClientId: secret.UserPoolClient?.ClientId,
        EnablePropagateAdditionalUserContextData: true,
      }),
    );
    assert.equal(updated.UserPoolClient?.EnablePropagateAdditionalUserContextData, true);
    assert.equal(updated.UserPoolClient?.ClientSecret, secret.UserPoolClient?.ClientSecret);
    assert.equal(updated.UserPoolClient?.ClientName, 'secret');
  });

  it('believes the sent IpAddress only from a client with the flag, and keeps EncodedData as sent', async () => {
    await stack.cognito.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: stack.secretClient.ClientId,
        AuthParameters: { USERNAME: 'alice', PASSWORD: 'Alice-Passw0rd!', SECRET_HASH: secretHash('alice') },
        UserContextData: { IpAddress: '203.0.113.9', EncodedData: 'fingerprint-1' },
      }),
    );
    assert.deepEqual(
      { ...(await contextOf(stack, 'alice')), at: undefined },
      {
        operation: 'InitiateAuth',
        clientId: stack.secretClient.ClientId,
        ipAddress: '203.0.113.9',
        encodedData: 'fingerprint-1',
        at: undefined,
      },
    );

    await stack.cognito.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: stack.publicClient.ClientId,
        AuthParameters: { USERNAME: 'alice', PASSWORD: 'Alice-Passw0rd!' },
        UserContextData: { IpAddress: '203.0.113.9', EncodedData: 'fingerprint-2' },
      }),
    );
    const viaPublic = await contextOf(stack, 'alice');
    assert.equal(viaPublic?.ipAddress, '127.0.0.1', 'the caller’s own address, the sent one ignored');
    assert.equal(viaPublic?.encodedData, 'fingerprint-2');
  });

  it('records the other unauthenticated operations, a failed one too', async () => {
    await stack.cognito.send(
      new SignUpCommand({
        ClientId: stack.secretClient.ClientId,
        Username: 'ctx-new',
        Password: 'Ctx-Passw0rd!',
        SecretHash: secretHash('ctx-new'),
        UserAttributes: [{ Name: 'email', Value: 'ctx-new@example.com' }],
        UserContextData: { IpAddress: '198.51.100.7' },
      }),
    );
    assert.equal((await contextOf(stack, 'ctx-new'))?.ipAddress, '198.51.100.7');
    assert.equal((await contextOf(stack, 'ctx-new'))?.operation, 'SignUp');

    await stack.cognito.send(
      new ForgotPasswordCommand({
        ClientId: stack.secretClient.ClientId,
        Username: 'bob',
        SecretHash: secretHash('bob'),
        UserContextData: { IpAddress: '198.51.100.8' },
      }),
    );
    assert.equal((await contextOf(stack, 'bob'))?.operation, 'ForgotPassword');

    await rejection(() =>
      stack.cognito.send(
        new InitiateAuthCommand({
          AuthFlow: 'USER_PASSWORD_AUTH',
          ClientId: stack.secretClient.ClientId,
          AuthParameters: { USERNAME: 'bob', PASSWORD: 'wrong', SECRET_HASH: secretHash('bob') },
          UserContextData: { IpAddress: '198.51.100.9' },
        }),
      ),
    );
    assert.equal((await contextOf(stack, 'bob'))?.ipAddress, '198.51.100.9');
    assert.equal(await contextOf(stack, 'nobody-ever'), null);
  });

  it('refuses a UserContextData of the wrong shape as AWS validation does', async () => {
    const raw = (body: unknown) =>
      fetch(stack.cognitoEndpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth',
        },
        body: JSON.stringify(body),
      });
    const base = {
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: stack.publicClient.ClientId,
      AuthParameters: { USERNAME: 'alice', PASSWORD: 'Alice-Passw0rd!' },
    };
    const cases: [unknown, string, RegExp][] = [
      ['203.0.113.9', 'SerializationException', /userContextData/],
      [{ IpAddress: 7 }, 'SerializationException', /userContextData\.ipAddress/],
      [{ EncodedData: ['x'] }, 'SerializationException', /userContextData\.encodedData/],
      [{ EncodedData: 'x'.repeat(131073) }, 'InvalidParameterException', /userContextData\.encodedData/],
    ];
    for (const [UserContextData, type, message] of cases) {
      const res = await raw({ ...base, UserContextData });
      assert.equal(res.status, 400, JSON.stringify(UserContextData).slice(0, 40));
      const body = (await res.json()) as { __type: string; message: string };
      assert.equal(body.__type, type);
      assert.match(body.message, message);
    }
  });

  it('keeps the contexts of the last MAX_USER_CONTEXTS names only, however many unknown names are tried', async () => {
    const tryName = (USERNAME: string) =>
      rejection(() =>
        stack.cognito.send(
          new InitiateAuthCommand({
            AuthFlow: 'USER_PASSWORD_AUTH',
            ClientId: stack.publicClient.ClientId,
            AuthParameters: { USERNAME, PASSWORD: 'Wrong-Passw0rd!' },
          }),
        ),
      );
    await tryName('ctx-oldest-unknown');
    await tryName('ctx-kept-unknown');
    for (let batch = 0; batch < MAX_USER_CONTEXTS; batch += 50) {
      await Promise.all(Array.from({ length: 50 }, (_, i) => tryName(`ctx-flood-${String(batch + i)}`)));
      if (batch === 500) await tryName('ctx-kept-unknown');
    }
    assert.equal(await contextOf(stack, 'ctx-oldest-unknown'), null, 'the oldest is dropped');
    assert.equal((await contextOf(stack, 'ctx-kept-unknown'))?.operation, 'InitiateAuth', 'recorded again: kept');
    assert.equal((await contextOf(stack, `ctx-flood-${String(MAX_USER_CONTEXTS - 1)}`))?.operation, 'InitiateAuth');
  });
});
