import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolClientCommand,
  InitiateAuthCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  ListUsersCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { hashFor, rejection, startTestStack } from '../support/stack.js';
import { readJson } from '../support/http.js';
import type { TestStack } from '../support/stack.js';

describe('Cognito emulator: AWS JSON 1.1 protocol and bad input', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack();
  });
  after(() => stack.close());

  const raw = (target: string | undefined, body: string) =>
    fetch(stack.cognitoEndpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        ...(target ? { 'x-amz-target': `AWSCognitoIdentityProviderService.${target}` } : {}),
      },
      body,
    });

  it('answers bad requests with 400 and an AWS-shaped __type, never 500', async () => {
    const cases: [string | undefined, string, string, RegExp][] = [
      ['NoSuchOperation', '{}', 'UnknownOperationException', /NoSuchOperation/],
      [undefined, '{}', 'UnknownOperationException', /Unknown operation/],
      ['InitiateAuth', '{not json', 'SerializationException', /not valid JSON/],
      ['InitiateAuth', '[1,2]', 'SerializationException', /JSON object/],
      ['InitiateAuth', '{}', 'InvalidParameterException', /Value null at 'authFlow'.*Member must not be null/],
      ['InitiateAuth', '{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":42}', 'SerializationException', /clientId/],
      ['InitiateAuth', '{"AuthFlow":"MAGIC","ClientId":"x"}', 'InvalidParameterException', /enum value set/],
      [
        'InitiateAuth',
        '{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":"x","AuthParameters":{"USERNAME":7}}',
        'SerializationException',
        /authParameters\.USERNAME/,
      ],
      ['RespondToAuthChallenge', '{"ClientId":"x"}', 'InvalidParameterException', /challengeName/],
      [
        'AdminCreateUser',
        '{"UserPoolId":"us-east-1_nope","Username":"x"}',
        'ResourceNotFoundException',
        /does not exist/,
      ],
      ['ListUserPools', '{"MaxResults":"ten"}', 'SerializationException', /maxResults/],
    ];
    for (const [target, body, type, message] of cases) {
      const res = await raw(target, body);
      assert.equal(res.status, 400, `${target} ${body}`);
      const json = await readJson(res);
      assert.equal(json.__type, type, `${target} ${body}`);
      assert.match(json.message, message, `${target} ${body}`);
    }
  });

  it('keeps serving after a flood of malformed requests', async () => {
    await Promise.all(Array.from({ length: 50 }, (_, i) => raw('InitiateAuth', '{'.repeat(i))));
    const out = await stack.cognito.send(new ListUserPoolsCommand({ MaxResults: 10 }));
    assert.equal(out.UserPools?.length, 1);
  });

  it('runs the setup operations: pool with policy, clients, groups, users, required attributes', async () => {
    const { UserPool } = await stack.cognito.send(
      new CreateUserPoolCommand({
        PoolName: 'setup',
        Policies: { PasswordPolicy: { MinimumLength: 12, RequireSymbols: false } },
        Schema: [{ Name: 'name', Required: true }],
      }),
    );
    const poolId = UserPool?.Id ?? '';
    assert.match(poolId, /^us-east-1_[0-9A-Za-z]{9}$/);
    const { UserPools } = await stack.cognito.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    assert.ok(UserPools?.some((p) => p.Id === poolId && p.Name === 'setup'));

    const { UserPoolClient } = await stack.cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'app',
        GenerateSecret: true,
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        AuthSessionValidity: 5,
      }),
    );
    assert.match(UserPoolClient?.ClientId ?? '', /^[a-z0-9]{26}$/);
    assert.match(UserPoolClient?.ClientSecret ?? '', /^[a-z0-9]{51}$/);
    const described = await stack.cognito.send(
      new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: UserPoolClient?.ClientId }),
    );
    assert.equal(described.UserPoolClient?.AuthSessionValidity, 5);
    assert.equal(
      described.UserPoolClient?.PreventUserExistenceErrors,
      'LEGACY',
      'the API default (the console picks ENABLED)',
    );
    assert.equal(described.UserPoolClient?.RefreshTokenValidity, 30);
    assert.ok(described.UserPoolClient?.CreationDate instanceof Date);
    const listed = await stack.cognito.send(new ListUserPoolClientsCommand({ UserPoolId: poolId }));
    assert.equal(listed.UserPoolClients?.[0]?.ClientName, 'app');

    await stack.cognito.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'staff' }));
    const dup = await rejection(() =>
      stack.cognito.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'staff' })),
    );
    assert.equal(dup.name, 'GroupExistsException');

    const weakTemp = await rejection(() =>
      stack.cognito.send(
        new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'dave', TemporaryPassword: 'Short1!' }),
      ),
    );
    assert.equal(weakTemp.name, 'InvalidPasswordException');
    const created = await stack.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: 'dave',
        TemporaryPassword: 'Temporary-pass-1',
        MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'email', Value: 'dave@example.com' }],
      }),
    );
    assert.equal(created.User?.UserStatus, 'FORCE_CHANGE_PASSWORD');
    const exists = await rejection(() =>
      stack.cognito.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'dave' })),
    );
    assert.equal(exists.name, 'UsernameExistsException');
    await stack.cognito.send(
      new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: 'dave', GroupName: 'staff' }),
    );
    const found = await stack.cognito.send(
      new ListUsersCommand({ UserPoolId: poolId, Filter: 'email = "dave@example.com"' }),
    );
    assert.equal(found.Users?.[0]?.Username, 'dave');
    const none = await stack.cognito.send(new ListUsersCommand({ UserPoolId: poolId, Filter: 'email ^= "zed"' }));
    assert.equal(none.Users?.length, 0);

    // The pool requires `name`, so the challenge asks for it and refuses an answer without it.
    const started = await stack.cognito.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: UserPoolClient?.ClientId,
        AuthParameters: {
          USERNAME: 'dave',
          PASSWORD: 'Temporary-pass-1',
          SECRET_HASH: hashFor('dave', UserPoolClient?.ClientId ?? '', UserPoolClient?.ClientSecret ?? ''),
        },
      }),
    );
    assert.deepEqual(JSON.parse(started.ChallengeParameters?.['requiredAttributes'] ?? ''), ['userAttributes.name']);
    const responses = {
      USERNAME: 'dave',
      NEW_PASSWORD: 'Long-enough-passw0rd',
      SECRET_HASH: hashFor('dave', UserPoolClient?.ClientId ?? '', UserPoolClient?.ClientSecret ?? ''),
    };
    const missing = await rejection(() =>
      stack.cognito.send(
        new RespondToAuthChallengeCommand({
          ClientId: UserPoolClient?.ClientId,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: started.Session,
          ChallengeResponses: responses,
        }),
      ),
    );
    assert.equal(missing.name, 'InvalidParameterException');
    assert.match(missing.message, /name/);
    const done = await stack.cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: UserPoolClient?.ClientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: started.Session,
        ChallengeResponses: { ...responses, 'userAttributes.name': 'Dave Example' },
      }),
    );
    const claims = decodeJwt(done.AuthenticationResult?.IdToken ?? '');
    assert.equal(claims['name'], 'Dave Example');
    assert.deepEqual(claims['cognito:groups'], ['staff']);
    const user = await stack.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'dave' }));
    assert.equal(user.UserStatus, 'CONFIRMED');

    await stack.cognito.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: poolId,
        Username: 'dave',
        Password: 'Temporary-pass-2',
        Permanent: false,
      }),
    );
    const reset = await stack.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'dave' }));
    assert.equal(reset.UserStatus, 'FORCE_CHANGE_PASSWORD');
  });
});
