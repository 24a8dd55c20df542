import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminResetUserPasswordCommand,
  AdminSetUserPasswordCommand,
  ConfirmForgotPasswordCommand,
  CreateUserPoolClientCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { hashFor, readOutbox, rejection, startTestStack } from '../support/stack.js';
import type { TestStack } from '../support/stack.js';

const HOUR = 3_600_000;
const OLD_PASSWORD = 'Old-Passw0rd!';
const NEW_PASSWORD = 'New-Passw0rd!';

describe('Cognito emulator: ForgotPassword and ConfirmForgotPassword', () => {
  let stack: TestStack;
  let legacyClientId: string;
  before(async () => {
    stack = await startTestStack();
    const { UserPoolClient } = await stack.cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: stack.poolId,
        ClientName: 'legacy',
        PreventUserExistenceErrors: 'LEGACY',
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'],
      }),
    );
    legacyClientId = UserPoolClient?.ClientId ?? '';
  });
  after(() => stack.close());

  const hash = (username: string) => hashFor(username, stack.secretClient.ClientId, stack.secretClient.ClientSecret);
  /** A CONFIRMED user with a permanent password and the given attributes (email verified unless said otherwise). */
  const makeUser = async (username: string, attributes: Record<string, string> = {}) => {
    const all = { email: `${username}@example.com`, email_verified: 'true', ...attributes };
    await stack.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: stack.poolId,
        Username: username,
        UserAttributes: Object.entries(all).map(([Name, Value]) => ({ Name, Value })),
        MessageAction: 'SUPPRESS',
      }),
    );
    await stack.cognito.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: stack.poolId,
        Username: username,
        Password: OLD_PASSWORD,
        Permanent: true,
      }),
    );
  };
  const forgot = (username: string, clientId = stack.secretClient.ClientId) =>
    stack.cognito.send(
      new ForgotPasswordCommand({
        ClientId: clientId,
        Username: username,
        ...(clientId === stack.secretClient.ClientId ? { SecretHash: hash(username) } : {}),
      }),
    );
  const confirm = (username: string, code: string, password = NEW_PASSWORD, clientId = stack.secretClient.ClientId) =>
    stack.cognito.send(
      new ConfirmForgotPasswordCommand({
        ClientId: clientId,
        Username: username,
        ConfirmationCode: code,
        Password: password,
        ...(clientId === stack.secretClient.ClientId ? { SecretHash: hash(username) } : {}),
      }),
    );
  const lastCode = async (username: string) => {
    const messages = await readOutbox(stack, `?username=${username}`);
    const last = messages.at(-1);
    assert.equal(last?.kind, 'FORGOT_PASSWORD');
    return last.code;
  };
  const signIn = (username: string, password: string) =>
    stack.cognito.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: stack.secretClient.ClientId,
        AuthParameters: { USERNAME: username, PASSWORD: password, SECRET_HASH: hash(username) },
      }),
    );
  const otherThan = (code: string) => (code === '000000' ? '111111' : '000000');

  it('sends a one-hour reset code to the verified email, and the code sets a new password once', async () => {
    await makeUser('rita');
    const out = await forgot('rita');
    assert.deepEqual(out.CodeDeliveryDetails, {
      Destination: 'r***@e***',
      DeliveryMedium: 'EMAIL',
      AttributeName: 'email',
    });
    const [message] = await readOutbox(stack, '?username=rita');
    assert.equal(message?.kind, 'FORGOT_PASSWORD');
    assert.equal(message?.destination, 'rita@example.com');
    assert.equal(message?.medium, 'EMAIL');
    assert.match(message?.code ?? '', /^\d{6}$/);

    const { $metadata: _metadata, ...body } = await confirm('rita', message?.code ?? '');
    assert.deepEqual(body, {}, 'ConfirmForgotPassword answers an empty object');
    const old = await rejection(() => signIn('rita', OLD_PASSWORD));
    assert.equal(old.name, 'NotAuthorizedException');
    assert.ok((await signIn('rita', NEW_PASSWORD)).AuthenticationResult?.AccessToken);

    const again = await rejection(() => confirm('rita', message?.code ?? '', 'Another-Passw0rd!'));
    assert.equal(again.name, 'ExpiredCodeException');
    assert.equal(again.message, 'Invalid code provided, please request a code again.');
  });

  it('answers ExpiredCodeException when no code was ever asked for', async () => {
    await makeUser('sam');
    const err = await rejection(() => confirm('sam', '123456'));
    assert.equal(err.name, 'ExpiredCodeException');
  });

  it('keeps only the newest code', async () => {
    await makeUser('tilda');
    await forgot('tilda');
    const first = await lastCode('tilda');
    await forgot('tilda');
    const second = await lastCode('tilda');
    if (first !== second) {
      const old = await rejection(() => confirm('tilda', first));
      assert.equal(old.name, 'CodeMismatchException');
    }
    await confirm('tilda', second);
  });

  it('refuses a code past its hour', async () => {
    await makeUser('uma');
    await forgot('uma');
    const code = await lastCode('uma');
    stack.clock.advance(HOUR + 1000);
    const late = await rejection(() => confirm('uma', code));
    assert.equal(late.name, 'ExpiredCodeException');
    assert.equal(late.message, 'Invalid code provided, please request a code again.');
  });

  it('checks the new password against the pool policy and keeps the code for a better one', async () => {
    await makeUser('vera');
    await forgot('vera');
    const code = await lastCode('vera');
    const weak = await rejection(() => confirm('vera', code, 'weakpassword'));
    assert.equal(weak.name, 'InvalidPasswordException');
    assert.equal(weak.message, 'Password does not conform to policy: Password must have uppercase characters');
    await confirm('vera', code);
    assert.ok((await signIn('vera', NEW_PASSWORD)).AuthenticationResult);
  });

  it('counts wrong codes: five CodeMismatchException, then LimitExceededException even for the right code', async () => {
    await makeUser('walt');
    await forgot('walt');
    const code = await lastCode('walt');
    for (let i = 0; i < 5; i += 1) {
      const wrong = await rejection(() => confirm('walt', otherThan(code)));
      assert.equal(wrong.name, 'CodeMismatchException');
      assert.equal(wrong.message, 'Invalid verification code provided, please try again.');
    }
    const blocked = await rejection(() => confirm('walt', code));
    assert.equal(blocked.name, 'LimitExceededException');
    assert.equal(blocked.message, 'Attempt limit exceeded, please try after some time.');
    await forgot('walt');
    await confirm('walt', await lastCode('walt'));
  });

  it('limits code requests to five an hour per user, then LimitExceededException', async () => {
    await makeUser('xena');
    for (let i = 0; i < 5; i += 1) await forgot('xena');
    const limited = await rejection(() => forgot('xena'));
    assert.equal(limited.name, 'LimitExceededException');
    assert.equal(limited.message, 'Attempt limit exceeded, please try after some time.');
    assert.equal((await readOutbox(stack, '?username=xena')).length, 5);
    stack.clock.advance(HOUR);
    await forgot('xena');
  });

  it('sends to a verified phone number before the email', async () => {
    await makeUser('yuri', { phone_number: '+15555550199', phone_number_verified: 'true' });
    const out = await forgot('yuri');
    assert.equal(out.CodeDeliveryDetails?.DeliveryMedium, 'SMS');
    assert.equal(out.CodeDeliveryDetails?.AttributeName, 'phone_number');
    assert.equal(out.CodeDeliveryDetails?.Destination, '+*******0199');
    const [sms] = await readOutbox(stack, '?username=yuri');
    assert.equal(sms?.destination, '+15555550199');
  });

  it('refuses a user with no verified email or phone, and one who must still change a temporary password', async () => {
    await makeUser('zoe', { email_verified: 'false' });
    const unverified = await rejection(() => forgot('zoe'));
    assert.equal(unverified.name, 'InvalidParameterException');
    assert.equal(
      unverified.message,
      'Cannot reset password for the user as there is no registered/verified email or phone_number',
    );
    const temporary = await rejection(() => forgot('demo'));
    assert.equal(temporary.name, 'NotAuthorizedException');
    assert.equal(temporary.message, 'User password cannot be reset in the current state.');
  });

  it('hides unknown and disabled users on a client with PreventUserExistenceErrors ENABLED', async () => {
    const before = (await readOutbox(stack)).length;
    const ghost = await forgot('ghost');
    assert.deepEqual(ghost.CodeDeliveryDetails?.DeliveryMedium, 'EMAIL');
    assert.equal(ghost.CodeDeliveryDetails?.AttributeName, 'email');
    assert.match(ghost.CodeDeliveryDetails?.Destination ?? '', /^g\*\*\*@[a-z]\*\*\*$/);
    assert.deepEqual((await forgot('ghost')).CodeDeliveryDetails, ghost.CodeDeliveryDetails, 'the same every time');
    const byMail = await forgot('nobody@example.org');
    assert.equal(byMail.CodeDeliveryDetails?.Destination, 'n***@e***');
    const ghostCode = await rejection(() => confirm('ghost', '123456'));
    assert.equal(ghostCode.name, 'CodeMismatchException');

    await makeUser('dora');
    await stack.cognito.send(new AdminDisableUserCommand({ UserPoolId: stack.poolId, Username: 'dora' }));
    const disabled = await forgot('dora');
    assert.equal(disabled.CodeDeliveryDetails?.DeliveryMedium, 'EMAIL');
    const disabledCode = await rejection(() => confirm('dora', '123456'));
    assert.equal(disabledCode.name, 'CodeMismatchException');
    assert.equal((await readOutbox(stack)).length, before, 'nothing was sent');
  });

  it('tells a LEGACY client that a user does not exist or is disabled', async () => {
    const unknown = await rejection(() => forgot('ghost', legacyClientId));
    assert.equal(unknown.name, 'UserNotFoundException');
    assert.equal(unknown.message, 'User does not exist.');
    const unknownConfirm = await rejection(() => confirm('ghost', '123456', NEW_PASSWORD, legacyClientId));
    assert.equal(unknownConfirm.name, 'UserNotFoundException');
    const disabled = await rejection(() => forgot('dora', legacyClientId));
    assert.equal(disabled.name, 'NotAuthorizedException');
    assert.equal(disabled.message, 'User is disabled.');
  });

  it('needs SECRET_HASH on a client with a secret, with the InitiateAuth messages', async () => {
    const clientId = stack.secretClient.ClientId;
    const missingMessage = `Client ${clientId} is configured with secret but SECRET_HASH was not received`;
    const missing = await rejection(() =>
      stack.cognito.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'alice' })),
    );
    assert.equal(missing.name, 'NotAuthorizedException');
    assert.equal(missing.message, missingMessage);
    const wrong = await rejection(() =>
      stack.cognito.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'alice', SecretHash: hash('bob') })),
    );
    assert.equal(wrong.name, 'NotAuthorizedException');
    assert.equal(wrong.message, `Unable to verify secret hash for client ${clientId}`);
    const confirmMissing = await rejection(() =>
      stack.cognito.send(
        new ConfirmForgotPasswordCommand({
          ClientId: clientId,
          Username: 'alice',
          ConfirmationCode: '123456',
          Password: NEW_PASSWORD,
        }),
      ),
    );
    assert.equal(confirmMissing.name, 'NotAuthorizedException');
    assert.equal(confirmMissing.message, missingMessage);
    const confirmWrong = await rejection(() =>
      stack.cognito.send(
        new ConfirmForgotPasswordCommand({
          ClientId: clientId,
          Username: 'alice',
          ConfirmationCode: '123456',
          Password: NEW_PASSWORD,
          SecretHash: hash('bob'),
        }),
      ),
    );
    assert.equal(confirmWrong.name, 'NotAuthorizedException');
    assert.equal(confirmWrong.message, `Unable to verify secret hash for client ${clientId}`);
    const open = await forgot('alice', stack.publicClient.ClientId);
    assert.equal(open.CodeDeliveryDetails?.Destination, 'a***@e***');
  });
});

describe('Cognito emulator: AdminResetUserPassword and AdminConfirmSignUp', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack();
  });
  after(() => stack.close());

  const hash = (username: string) => hashFor(username, stack.secretClient.ClientId, stack.secretClient.ClientSecret);
  const signIn = (username: string, password: string) =>
    stack.cognito.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: stack.secretClient.ClientId,
        AuthParameters: { USERNAME: username, PASSWORD: password, SECRET_HASH: hash(username) },
      }),
    );
  const status = async (username: string) =>
    (await stack.cognito.send(new AdminGetUserCommand({ UserPoolId: stack.poolId, Username: username }))).UserStatus;

  it('resets a password: RESET_REQUIRED, a code in the outbox, PasswordResetRequiredException at sign-in', async () => {
    await stack.cognito.send(new AdminResetUserPasswordCommand({ UserPoolId: stack.poolId, Username: 'bob' }));
    assert.equal(await status('bob'), 'RESET_REQUIRED');
    const [message] = await readOutbox(stack, '?username=bob');
    assert.equal(message?.kind, 'FORGOT_PASSWORD');
    assert.equal(message?.destination, 'bob@example.com');
    const refused = await rejection(() => signIn('bob', 'Bob-Passw0rd!'));
    assert.equal(refused.name, 'PasswordResetRequiredException');
    assert.equal(refused.message, 'Password reset required for the user');
    const wrong = await rejection(() => signIn('bob', 'Not-Bobs-Passw0rd!'));
    assert.equal(wrong.name, 'NotAuthorizedException', 'a wrong password still learns nothing');

    await stack.cognito.send(
      new ConfirmForgotPasswordCommand({
        ClientId: stack.secretClient.ClientId,
        SecretHash: hash('bob'),
        Username: 'bob',
        ConfirmationCode: message?.code ?? '',
        Password: NEW_PASSWORD,
      }),
    );
    assert.equal(await status('bob'), 'CONFIRMED');
    assert.ok((await signIn('bob', NEW_PASSWORD)).AuthenticationResult?.AccessToken);
  });

  it('resets a user with no verified contact without sending anything', async () => {
    await stack.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: stack.poolId,
        Username: 'quiet',
        UserAttributes: [{ Name: 'email', Value: 'quiet@example.com' }],
      }),
    );
    await stack.cognito.send(new AdminResetUserPasswordCommand({ UserPoolId: stack.poolId, Username: 'quiet' }));
    assert.equal(await status('quiet'), 'RESET_REQUIRED');
    assert.deepEqual(await readOutbox(stack, '?username=quiet'), []);
    const unknown = await rejection(() =>
      stack.cognito.send(new AdminResetUserPasswordCommand({ UserPoolId: stack.poolId, Username: 'ghost' })),
    );
    assert.equal(unknown.name, 'UserNotFoundException');
    assert.equal(unknown.message, 'User does not exist.');
  });

  it('confirms a signed-up user without a code, and refuses to confirm them twice', async () => {
    await stack.cognito.send(
      new SignUpCommand({
        ClientId: stack.publicClient.ClientId,
        Username: 'pat',
        Password: OLD_PASSWORD,
        UserAttributes: [{ Name: 'email', Value: 'pat@example.com' }],
      }),
    );
    assert.equal(await status('pat'), 'UNCONFIRMED');
    await stack.cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: stack.poolId, Username: 'pat' }));
    assert.equal(await status('pat'), 'CONFIRMED');
    const user = await stack.cognito.send(new AdminGetUserCommand({ UserPoolId: stack.poolId, Username: 'pat' }));
    assert.equal(
      user.UserAttributes?.find((a) => a.Name === 'email_verified'),
      undefined,
      'no code reached the email, so it stays unverified',
    );
    assert.ok((await signIn('pat', OLD_PASSWORD)).AuthenticationResult);
    const again = await rejection(() =>
      stack.cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: stack.poolId, Username: 'pat' })),
    );
    assert.equal(again.name, 'NotAuthorizedException');
    assert.equal(again.message, 'User cannot be confirmed. Current status is CONFIRMED');
  });
});
