import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  InitiateAuthCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { readOutbox, rejection, startTestStack } from '../support/stack.js';
import type { TestStack } from '../support/stack.js';

const PASSWORD = 'Attr-Passw0rd!';
const DAY = 24 * 3_600_000;

describe('Cognito emulator: UpdateUserAttributes, GetUserAttributeVerificationCode, VerifyUserAttribute', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack();
  });
  after(() => stack.close());

  /** A CONFIRMED user with a verified email in `poolId`, signed in on `clientId`: their access token. */
  const signedInUser = async (username: string, poolId = stack.poolId, clientId = stack.publicClient.ClientId) => {
    await stack.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: username,
        UserAttributes: [
          { Name: 'email', Value: `${username}@example.com` },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
    await stack.cognito.send(
      new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PASSWORD, Permanent: true }),
    );
    return signIn(username, clientId);
  };
  const signIn = async (username: string, clientId = stack.publicClient.ClientId) => {
    const out = await stack.cognito.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: clientId,
        AuthParameters: { USERNAME: username, PASSWORD },
      }),
    );
    return out.AuthenticationResult?.AccessToken ?? '';
  };
  const attributesOf = async (token: string) => {
    const { UserAttributes } = await stack.cognito.send(new GetUserCommand({ AccessToken: token }));
    return Object.fromEntries((UserAttributes ?? []).map((a) => [a.Name, a.Value]));
  };
  const update = (token: string, attributes: Record<string, string>) =>
    stack.cognito.send(
      new UpdateUserAttributesCommand({
        AccessToken: token,
        UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
      }),
    );
  const verify = (token: string, code: string, name = 'email') =>
    stack.cognito.send(new VerifyUserAttributeCommand({ AccessToken: token, AttributeName: name, Code: code }));
  const requestCode = (token: string, name = 'email') =>
    stack.cognito.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: token, AttributeName: name }));
  const lastCode = async (who: string) => {
    const last = (await readOutbox(stack, `?username=${who}`)).at(-1);
    assert.equal(last?.kind, 'VERIFY_ATTRIBUTE');
    return last.code;
  };
  const otherThan = (code: string) => (code === '000000' ? '111111' : '000000');

  it('stores attributes that take no code at once, with no code sent', async () => {
    const token = await signedInUser('ann');
    const out = await update(token, { name: 'Ann', 'custom:team': 'blue' });
    assert.equal(out.CodeDeliveryDetailsList, undefined);
    const attributes = await attributesOf(token);
    assert.equal(attributes['name'], 'Ann');
    assert.equal(attributes['custom:team'], 'blue');
    assert.deepEqual(await readOutbox(stack, '?username=ann'), []);
  });

  it('stores a new email unverified and sends a code to it; the code verifies it once', async () => {
    const token = await signedInUser('ben');
    const out = await update(token, { email: 'ben.new@example.org' });
    assert.deepEqual(out.CodeDeliveryDetailsList, [
      { Destination: 'b***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' },
    ]);
    let attributes = await attributesOf(token);
    assert.equal(attributes['email'], 'ben.new@example.org');
    assert.equal(attributes['email_verified'], 'false');
    const [message] = await readOutbox(stack, '?username=ben');
    assert.equal(message?.destination, 'ben.new@example.org');
    assert.equal(message?.kind, 'VERIFY_ATTRIBUTE');
    const code = message?.code ?? '';

    const wrong = await rejection(() => verify(token, otherThan(code)));
    assert.equal(wrong.name, 'CodeMismatchException');
    assert.equal(wrong.message, 'Invalid verification code provided, please try again.');
    await verify(token, code);
    attributes = await attributesOf(token);
    assert.equal(attributes['email_verified'], 'true');
    const reused = await rejection(() => verify(token, code));
    assert.equal(reused.name, 'CodeMismatchException');

    const same = await update(token, { email: 'ben.new@example.org' });
    assert.equal(same.CodeDeliveryDetailsList, undefined, 'the same value sends nothing');
    assert.equal((await attributesOf(token))['email_verified'], 'true');
  });

  it('refuses sub, the *_verified flags and attributes outside the schema, one line each', async () => {
    const token = await signedInUser('cleo');
    const err = await rejection(() => update(token, { sub: 'mine', email_verified: 'true', favourite: 'tea' }));
    assert.equal(err.name, 'InvalidParameterException');
    assert.equal(
      err.message,
      'user.sub: Attribute cannot be updated.\n' +
        'user.email_verified: Attribute cannot be updated.\n' +
        'user.favourite: Attribute does not exist in the schema.\n',
    );
  });

  it('sends a 24-hour verification code on request, to email or phone_number only', async () => {
    const token = await signedInUser('dan');
    const out = await requestCode(token);
    assert.deepEqual(out.CodeDeliveryDetails, {
      Destination: 'd***@e***',
      DeliveryMedium: 'EMAIL',
      AttributeName: 'email',
    });
    const code = await lastCode('dan');
    stack.clock.advance(DAY + 1000);
    const late = await rejection(async () => verify(await signIn('dan'), code));
    assert.equal(late.name, 'ExpiredCodeException');
    assert.equal(late.message, 'Invalid code provided, please request a code again.');

    const fresh = await signedInUser('dan2');
    const notVerifiable = await rejection(() => requestCode(fresh, 'name'));
    assert.equal(notVerifiable.name, 'InvalidParameterException');
    assert.equal(notVerifiable.message, 'invalid attribute name. Only phone_number and email can be verified');
    const noPhone = await rejection(() => requestCode(fresh, 'phone_number'));
    assert.equal(noPhone.name, 'InvalidParameterException');
    await requestCode(fresh);
    await verify(fresh, await lastCode('dan2'));
  });

  it('limits code requests to five an hour and a code to five wrong answers', async () => {
    const token = await signedInUser('eve');
    for (let i = 0; i < 5; i += 1) await requestCode(token);
    const limited = await rejection(() => requestCode(token));
    assert.equal(limited.name, 'LimitExceededException');
    assert.equal(limited.message, 'Attempt limit exceeded, please try after some time.');
    const code = await lastCode('eve');
    for (let i = 0; i < 5; i += 1) {
      assert.equal((await rejection(() => verify(token, otherThan(code)))).name, 'CodeMismatchException');
    }
    assert.equal((await rejection(() => verify(token, code))).name, 'LimitExceededException');
  });

  it('refuses an access token that is not one', async () => {
    const err = await rejection(() => update('not-a-token', { name: 'x' }));
    assert.equal(err.name, 'NotAuthorizedException');
    assert.equal(err.message, 'Invalid Access Token');
  });

  it('keeps the old email until the new one is verified when the pool requires it', async () => {
    const { UserPool } = await stack.cognito.send(
      new CreateUserPoolCommand({
        PoolName: 'verify-first',
        AutoVerifiedAttributes: ['email'],
        UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
      }),
    );
    const poolId = UserPool?.Id ?? '';
    assert.deepEqual(UserPool?.UserAttributeUpdateSettings?.AttributesRequireVerificationBeforeUpdate, ['email']);
    const { UserPoolClient } = await stack.cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'app',
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'],
      }),
    );
    const token = await signedInUser('fay', poolId, UserPoolClient?.ClientId);
    await update(token, { email: 'fay.new@example.com' });
    let attributes = await attributesOf(token);
    assert.equal(attributes['email'], 'fay@example.com', 'the old email stays');
    assert.equal(attributes['email_verified'], 'true');
    const [message] = await readOutbox(stack, `?poolId=${poolId}`);
    assert.equal(message?.destination, 'fay.new@example.com');
    await verify(token, message?.code ?? '');
    attributes = await attributesOf(token);
    assert.equal(attributes['email'], 'fay.new@example.com');
    assert.equal(attributes['email_verified'], 'true');
  });
});
