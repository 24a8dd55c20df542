import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AdminGetUserCommand,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { SignUpCommandInput } from '@aws-sdk/client-cognito-identity-provider';
import { hashFor, readOutbox as outbox, rejection, startTestStack } from '../support/stack.js';
import type { TestStack } from '../support/stack.js';

describe('Cognito emulator: SignUp and the outbox', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack();
  });
  after(() => stack.close());

  const hash = (username: string) => hashFor(username, stack.secretClient.ClientId, stack.secretClient.ClientSecret);
  const signUp = (input: Partial<SignUpCommandInput> & { Username: string }) =>
    stack.cognito.send(
      new SignUpCommand({
        ClientId: stack.secretClient.ClientId,
        SecretHash: hash(input.Username),
        Password: 'Carol-Passw0rd!',
        UserAttributes: [{ Name: 'email', Value: `${input.Username}@example.com` }],
        ...input,
      }),
    );

  it('starts with an empty outbox at <endpoint>/_outbox', async () => {
    assert.deepEqual(await outbox(stack), []);
  });

  it('creates an UNCONFIRMED user and puts the code in the outbox, masked in the answer', async () => {
    const out = await signUp({ Username: 'carol' });
    assert.equal(out.UserConfirmed, false);
    assert.match(out.UserSub ?? '', /^[0-9a-f-]{36}$/);
    assert.deepEqual(out.CodeDeliveryDetails, {
      Destination: 'c***@e***',
      DeliveryMedium: 'EMAIL',
      AttributeName: 'email',
    });
    const [message, ...rest] = await outbox(stack, '?username=carol');
    assert.equal(rest.length, 0);
    assert.equal(message?.poolId, stack.poolId);
    assert.equal(message?.username, 'carol');
    assert.equal(message?.destination, 'carol@example.com');
    assert.equal(message?.medium, 'EMAIL');
    assert.equal(message?.kind, 'SIGN_UP');
    assert.match(message?.code ?? '', /^\d{6}$/);
    assert.equal(message?.text, `Your verification code is ${message?.code ?? ''}. `);
    assert.ok(!Number.isNaN(Date.parse(message?.sentAt ?? '')));
    assert.equal(stack.pool().users.get('carol')?.status, 'UNCONFIRMED');
  });

  it('keeps messages newest last and narrows them by username and poolId', async () => {
    await signUp({ Username: 'dave' });
    const all = await outbox(stack);
    assert.deepEqual(
      all.map((m) => m.username),
      ['carol', 'dave'],
    );
    assert.deepEqual(
      (await outbox(stack, '?username=dave')).map((m) => m.destination),
      ['dave@example.com'],
    );
    assert.equal((await outbox(stack, `?poolId=${stack.poolId}`)).length, 2);
    assert.deepEqual(await outbox(stack, '?poolId=us-east-1_nothere'), []);
  });

  it('refuses the outbox to a Host that is not loopback or allowed', async () => {
    const url = new URL(stack.outboxUrl);
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: url.hostname, port: url.port, path: url.pathname, headers: { host: 'evil.example' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    assert.equal(status, 403);
  });

  it('tells an unconfirmed user signing in that they are not confirmed', async () => {
    const err = await rejection(() =>
      stack.cognito.send(
        new InitiateAuthCommand({
          AuthFlow: 'USER_PASSWORD_AUTH',
          ClientId: stack.secretClient.ClientId,
          AuthParameters: { USERNAME: 'carol', PASSWORD: 'Carol-Passw0rd!', SECRET_HASH: hash('carol') },
        }),
      ),
    );
    assert.equal(err.name, 'UserNotConfirmedException');
    assert.equal(err.message, 'User is not confirmed.');
  });

  it('needs SECRET_HASH on a client with a secret, with the InitiateAuth messages', async () => {
    const missing = await rejection(() => signUp({ Username: 'erin', SecretHash: undefined }));
    assert.equal(missing.name, 'NotAuthorizedException');
    assert.equal(
      missing.message,
      `Client ${stack.secretClient.ClientId} is configured with secret but SECRET_HASH was not received`,
    );
    const wrong = await rejection(() => signUp({ Username: 'erin', SecretHash: hash('someone-else') }));
    assert.equal(wrong.name, 'NotAuthorizedException');
    assert.equal(wrong.message, `Unable to verify secret hash for client ${stack.secretClient.ClientId}`);
    const open = await stack.cognito.send(
      new SignUpCommand({ ClientId: stack.publicClient.ClientId, Username: 'erin', Password: 'Erin-Passw0rd!' }),
    );
    assert.equal(open.UserConfirmed, false);
  });

  it('refuses a taken username and a password the policy refuses', async () => {
    const taken = await rejection(() => signUp({ Username: 'alice' }));
    assert.equal(taken.name, 'UsernameExistsException');
    assert.equal(taken.message, 'User already exists');
    const weak = await rejection(() => signUp({ Username: 'frank', Password: 'short' }));
    assert.equal(weak.name, 'InvalidPasswordException');
    assert.equal(stack.pool().users.has('frank'), false);
  });

  it('sends no code when the pool verifies nothing automatically', async () => {
    const { UserPool } = await stack.cognito.send(new CreateUserPoolCommand({ PoolName: 'no-verify' }));
    const { UserPoolClient } = await stack.cognito.send(
      new CreateUserPoolClientCommand({ UserPoolId: UserPool?.Id, ClientName: 'app' }),
    );
    const out = await stack.cognito.send(
      new SignUpCommand({
        ClientId: UserPoolClient?.ClientId,
        Username: 'gina',
        Password: 'Gina-Passw0rd!',
        UserAttributes: [{ Name: 'email', Value: 'gina@example.com' }],
      }),
    );
    assert.equal(out.UserConfirmed, false);
    assert.equal(out.CodeDeliveryDetails, undefined);
    assert.deepEqual(await outbox(stack, `?poolId=${UserPool?.Id ?? ''}`), []);
  });

  it('applies email as username, required attributes, the pool template and SMS delivery', async () => {
    const { UserPool } = await stack.cognito.send(
      new CreateUserPoolCommand({
        PoolName: 'by-email',
        UsernameAttributes: ['email'],
        AutoVerifiedAttributes: ['email', 'phone_number'],
        Schema: [{ Name: 'name', Required: true }],
        VerificationMessageTemplate: { SmsMessage: 'Code: {####}', EmailMessage: 'Mail code {####}' },
      }),
    );
    const { UserPoolClient } = await stack.cognito.send(
      new CreateUserPoolClientCommand({ UserPoolId: UserPool?.Id, ClientName: 'app' }),
    );
    const clientId = UserPoolClient?.ClientId;
    const notEmail = await rejection(() =>
      stack.cognito.send(new SignUpCommand({ ClientId: clientId, Username: 'hank', Password: 'Hank-Passw0rd!' })),
    );
    assert.equal(notEmail.name, 'InvalidParameterException');
    assert.equal(notEmail.message, 'Username should be an email.');
    const noName = await rejection(() =>
      stack.cognito.send(
        new SignUpCommand({ ClientId: clientId, Username: 'hank@example.com', Password: 'Hank-Passw0rd!' }),
      ),
    );
    assert.equal(noName.name, 'InvalidParameterException');
    assert.equal(noName.message, 'Attributes did not conform to the schema: name: The attribute is required\n');

    const byMail = await stack.cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: 'hank@example.com',
        Password: 'Hank-Passw0rd!',
        UserAttributes: [{ Name: 'name', Value: 'Hank' }],
      }),
    );
    assert.equal(byMail.CodeDeliveryDetails?.Destination, 'h***@e***');
    const [mail] = await outbox(stack, '?username=hank@example.com');
    assert.equal(mail?.username, byMail.UserSub, 'the username of an email pool is the sub');
    assert.equal(mail?.text, `Mail code ${mail?.code ?? ''}`);

    const bySms = await stack.cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: 'ida@example.com',
        Password: 'Ida-Passw0rd!',
        UserAttributes: [
          { Name: 'name', Value: 'Ida' },
          { Name: 'phone_number', Value: '+15555550123' },
        ],
      }),
    );
    assert.equal(bySms.CodeDeliveryDetails?.DeliveryMedium, 'SMS');
    assert.equal(bySms.CodeDeliveryDetails?.AttributeName, 'phone_number');
    const [sms] = await outbox(stack, `?username=${bySms.UserSub ?? ''}`);
    assert.equal(sms?.destination, '+15555550123');
    assert.equal(sms?.text, `Code: ${sms?.code ?? ''}`);
    const taken = await rejection(() =>
      stack.cognito.send(
        new SignUpCommand({
          ClientId: clientId,
          Username: 'HANK@example.com',
          Password: 'Hank-Passw0rd!',
          UserAttributes: [{ Name: 'name', Value: 'Hank' }],
        }),
      ),
    );
    assert.equal(taken.name, 'UsernameExistsException');
  });

  it('refuses SignUp in a pool where only administrators create users', async () => {
    const { UserPool } = await stack.cognito.send(
      new CreateUserPoolCommand({ PoolName: 'admin-only', AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } }),
    );
    const { UserPoolClient } = await stack.cognito.send(
      new CreateUserPoolClientCommand({ UserPoolId: UserPool?.Id, ClientName: 'app' }),
    );
    const err = await rejection(() =>
      stack.cognito.send(
        new SignUpCommand({ ClientId: UserPoolClient?.ClientId, Username: 'jo', Password: 'Jo-Passw0rd!1' }),
      ),
    );
    assert.equal(err.name, 'NotAuthorizedException');
    assert.equal(err.message, 'SignUp is not permitted for this user pool');
  });
});

describe('Cognito emulator: ConfirmSignUp', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack();
  });
  after(() => stack.close());

  const hash = (username: string) => hashFor(username, stack.secretClient.ClientId, stack.secretClient.ClientSecret);
  const register = async (username: string) => {
    await stack.cognito.send(
      new SignUpCommand({
        ClientId: stack.secretClient.ClientId,
        SecretHash: hash(username),
        Username: username,
        Password: 'Liam-Passw0rd!',
        UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }],
      }),
    );
    const messages = await outbox(stack, `?username=${username}`);
    return messages.at(-1)?.code ?? '';
  };
  const confirm = (username: string, code: string) =>
    stack.cognito.send(
      new ConfirmSignUpCommand({
        ClientId: stack.secretClient.ClientId,
        SecretHash: hash(username),
        Username: username,
        ConfirmationCode: code,
      }),
    );
  const signIn = (username: string) =>
    stack.cognito.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: stack.secretClient.ClientId,
        AuthParameters: { USERNAME: username, PASSWORD: 'Liam-Passw0rd!', SECRET_HASH: hash(username) },
      }),
    );

  it('confirms with the code from the outbox: the email is verified and the user signs in', async () => {
    const code = await register('liam');
    const wrong = await rejection(() => confirm('liam', code === '000000' ? '111111' : '000000'));
    assert.equal(wrong.name, 'CodeMismatchException');
    assert.equal(wrong.message, 'Invalid verification code provided, please try again.');
    await confirm('liam', code);
    const user = await stack.cognito.send(new AdminGetUserCommand({ UserPoolId: stack.poolId, Username: 'liam' }));
    assert.equal(user.UserStatus, 'CONFIRMED');
    assert.equal(user.UserAttributes?.find((a) => a.Name === 'email_verified')?.Value, 'true');
    assert.ok((await signIn('liam')).AuthenticationResult?.IdToken);
  });

  it('refuses a second confirmation of a confirmed user', async () => {
    const again = await rejection(() => confirm('liam', '123456'));
    assert.equal(again.name, 'NotAuthorizedException');
    assert.equal(again.message, 'User cannot be confirmed. Current status is CONFIRMED');
  });

  it('refuses a code past its 24 hours', async () => {
    const code = await register('mia');
    stack.clock.advance(24 * 3_600_000 + 1000);
    const late = await rejection(() => confirm('mia', code));
    assert.equal(late.name, 'ExpiredCodeException');
    assert.equal(late.message, 'Invalid code provided, please request a code again.');
  });

  it('resends a new code that replaces the old one', async () => {
    const first = await register('noah');
    const out = await stack.cognito.send(
      new ResendConfirmationCodeCommand({
        ClientId: stack.secretClient.ClientId,
        SecretHash: hash('noah'),
        Username: 'noah',
      }),
    );
    assert.deepEqual(out.CodeDeliveryDetails, {
      Destination: 'n***@e***',
      DeliveryMedium: 'EMAIL',
      AttributeName: 'email',
    });
    const messages = await outbox(stack, '?username=noah');
    assert.equal(messages.length, 2);
    const second = messages[1]?.code ?? '';
    if (second !== first) {
      const old = await rejection(() => confirm('noah', first));
      assert.equal(old.name, 'CodeMismatchException');
    }
    await confirm('noah', second);
    const confirmed = await rejection(() =>
      stack.cognito.send(
        new ResendConfirmationCodeCommand({
          ClientId: stack.secretClient.ClientId,
          SecretHash: hash('noah'),
          Username: 'noah',
        }),
      ),
    );
    assert.equal(confirmed.name, 'InvalidParameterException');
    assert.equal(confirmed.message, 'User is already confirmed.');
  });

  it('kills the code after five wrong tries: TooManyFailedAttemptsException, then only a resent code works', async () => {
    const code = await register('olga');
    const other = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i += 1) {
      assert.equal((await rejection(() => confirm('olga', other))).name, 'CodeMismatchException');
    }
    const blocked = await rejection(() => confirm('olga', code));
    assert.equal(blocked.name, 'TooManyFailedAttemptsException');
    assert.equal((await rejection(() => confirm('olga', code))).name, 'CodeMismatchException', 'the code is dead');
    await stack.cognito.send(
      new ResendConfirmationCodeCommand({
        ClientId: stack.secretClient.ClientId,
        SecretHash: hash('olga'),
        Username: 'olga',
      }),
    );
    const messages = await outbox(stack, '?username=olga');
    await confirm('olga', messages.at(-1)?.code ?? '');
  });

  it('limits resends to five an hour per user', async () => {
    await register('pia');
    const resend = () =>
      stack.cognito.send(
        new ResendConfirmationCodeCommand({
          ClientId: stack.secretClient.ClientId,
          SecretHash: hash('pia'),
          Username: 'pia',
        }),
      );
    for (let i = 0; i < 5; i += 1) await resend();
    const limited = await rejection(resend);
    assert.equal(limited.name, 'LimitExceededException');
    assert.equal(limited.message, 'Attempt limit exceeded, please try after some time.');
    stack.clock.advance(3_600_000);
    await resend();
  });

  it('hides an unknown user from a resend on the walkthrough clients (PreventUserExistenceErrors ENABLED)', async () => {
    assert.equal(stack.secretClient.PreventUserExistenceErrors, 'ENABLED');
    assert.equal(stack.publicClient.PreventUserExistenceErrors, 'ENABLED');
    const before = (await outbox(stack)).length;
    const out = await stack.cognito.send(
      new ResendConfirmationCodeCommand({
        ClientId: stack.secretClient.ClientId,
        SecretHash: hash('nobody'),
        Username: 'nobody',
      }),
    );
    assert.equal(out.CodeDeliveryDetails?.DeliveryMedium, 'EMAIL');
    assert.equal(out.CodeDeliveryDetails?.AttributeName, 'email');
    assert.match(out.CodeDeliveryDetails?.Destination ?? '', /^n\*\*\*@[a-z]\*\*\*$/);
    assert.equal((await outbox(stack)).length, before, 'nothing was sent');
  });

  it('needs SECRET_HASH on a client with a secret', async () => {
    const err = await rejection(() =>
      stack.cognito.send(
        new ConfirmSignUpCommand({ ClientId: stack.secretClient.ClientId, Username: 'mia', ConfirmationCode: '1' }),
      ),
    );
    assert.equal(err.name, 'NotAuthorizedException');
    assert.equal(
      err.message,
      `Client ${stack.secretClient.ClientId} is configured with secret but SECRET_HASH was not received`,
    );
  });
});
