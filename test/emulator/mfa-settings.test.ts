import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AdminGetUserCommand,
  AdminSetUserMFAPreferenceCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  GetUserCommand,
  GetUserPoolMfaConfigCommand,
  InitiateAuthCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { hashFor, rejection, startTestStack } from '../support/stack.js';
import type { TestStack } from '../support/stack.js';

describe('Cognito emulator: pool and user MFA settings', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack();
  });
  after(() => stack.close());

  const accessTokenOf = async (username: string, password: string) => {
    const out = await stack.cognito.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: stack.secretClient.ClientId,
        AuthParameters: {
          USERNAME: username,
          PASSWORD: password,
          SECRET_HASH: hashFor(username, stack.secretClient.ClientId, stack.secretClient.ClientSecret),
        },
      }),
    );
    const token = out.AuthenticationResult?.AccessToken;
    assert.ok(token, `expected tokens for ${username}, got ${String(out.ChallengeName)}`);
    return token;
  };

  it('CreateUserPool takes MfaConfiguration and DescribeUserPool reports it', async () => {
    const { UserPool } = await stack.cognito.send(
      new CreateUserPoolCommand({ PoolName: 'mfa-off', MfaConfiguration: 'OFF' }),
    );
    const described = await stack.cognito.send(new DescribeUserPoolCommand({ UserPoolId: UserPool?.Id }));
    assert.equal(described.UserPool?.MfaConfiguration, 'OFF');
    const config = await stack.cognito.send(new GetUserPoolMfaConfigCommand({ UserPoolId: UserPool?.Id }));
    assert.equal(config.MfaConfiguration, 'OFF');
    assert.deepEqual(config.SoftwareTokenMfaConfiguration, { Enabled: false });
    assert.equal(config.SmsMfaConfiguration, undefined);
    assert.equal(config.EmailMfaConfiguration, undefined);
  });

  it('refuses ON or OPTIONAL without a factor, and OFF with one, with the texts Cognito sends', async () => {
    const { UserPool } = await stack.cognito.send(new CreateUserPoolCommand({ PoolName: 'mfa-rules' }));
    for (const MfaConfiguration of ['ON', 'OPTIONAL'] as const) {
      const err = await rejection(() =>
        stack.cognito.send(new SetUserPoolMfaConfigCommand({ UserPoolId: UserPool?.Id, MfaConfiguration })),
      );
      assert.equal(err.name, 'InvalidParameterException');
      assert.equal(
        err.message,
        "Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration.",
      );
    }
    const off = await rejection(() =>
      stack.cognito.send(
        new SetUserPoolMfaConfigCommand({
          UserPoolId: UserPool?.Id,
          MfaConfiguration: 'OFF',
          SoftwareTokenMfaConfiguration: { Enabled: true },
        }),
      ),
    );
    assert.equal(off.name, 'InvalidParameterException');
    assert.equal(off.message, "Invalid MFA configuration given, can't turn off MFA and configure an MFA together.");
  });

  it('SetUserPoolMfaConfig answers and stores the settings GetUserPoolMfaConfig reads back', async () => {
    const set = await stack.cognito.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: stack.poolId,
        MfaConfiguration: 'OPTIONAL',
        SoftwareTokenMfaConfiguration: { Enabled: true },
        SmsMfaConfiguration: { SmsAuthenticationMessage: 'Your code is {####}' },
        EmailMfaConfiguration: { Message: 'Your sign-in code is {####}', Subject: 'Sign-in code' },
      }),
    );
    const got = await stack.cognito.send(new GetUserPoolMfaConfigCommand({ UserPoolId: stack.poolId }));
    for (const answer of [set, got]) {
      assert.equal(answer.MfaConfiguration, 'OPTIONAL');
      assert.deepEqual(answer.SoftwareTokenMfaConfiguration, { Enabled: true });
      assert.equal(answer.SmsMfaConfiguration?.SmsAuthenticationMessage, 'Your code is {####}');
      assert.deepEqual(answer.EmailMfaConfiguration, {
        Message: 'Your sign-in code is {####}',
        Subject: 'Sign-in code',
      });
    }
  });

  it('GetUser leaves out UserMFASettingList and PreferredMfaSetting when no factor is on', async () => {
    const out = await stack.cognito.send(
      new GetUserCommand({ AccessToken: await accessTokenOf('bob', 'Bob-Passw0rd!') }),
    );
    assert.equal(out.UserMFASettingList, undefined);
    assert.equal(out.PreferredMfaSetting, undefined);
  });

  it('refuses to turn on TOTP before a verified software token, and SMS without a phone number', async () => {
    const AccessToken = await accessTokenOf('bob', 'Bob-Passw0rd!');
    const totp = await rejection(() =>
      stack.cognito.send(
        new SetUserMFAPreferenceCommand({
          AccessToken,
          SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
        }),
      ),
    );
    assert.equal(totp.name, 'InvalidParameterException');
    assert.equal(totp.message, 'User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA');
    const sms = await rejection(() =>
      stack.cognito.send(new SetUserMFAPreferenceCommand({ AccessToken, SMSMfaSettings: { Enabled: true } })),
    );
    assert.equal(sms.name, 'InvalidParameterException');
    assert.equal(sms.message, 'User does not have delivery config set to turn on SMS_MFA');
  });

  it('SetUserMFAPreference turns email MFA on; GetUser and AdminGetUser report it', async () => {
    const AccessToken = await accessTokenOf('bob', 'Bob-Passw0rd!');
    await stack.cognito.send(
      new SetUserMFAPreferenceCommand({ AccessToken, EmailMfaSettings: { Enabled: true, PreferredMfa: true } }),
    );
    const mine = await stack.cognito.send(new GetUserCommand({ AccessToken }));
    assert.deepEqual(mine.UserMFASettingList, ['EMAIL_OTP']);
    assert.equal(mine.PreferredMfaSetting, 'EMAIL_OTP');
    const admin = await stack.cognito.send(new AdminGetUserCommand({ UserPoolId: stack.poolId, Username: 'bob' }));
    assert.deepEqual(admin.UserMFASettingList, ['EMAIL_OTP']);
    assert.equal(admin.PreferredMfaSetting, 'EMAIL_OTP');
  });

  it('AdminSetUserMFAPreference: turning the preferred factor off clears the preference', async () => {
    await stack.cognito.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: stack.poolId,
        Username: 'bob',
        EmailMfaSettings: { Enabled: false, PreferredMfa: false },
      }),
    );
    const admin = await stack.cognito.send(new AdminGetUserCommand({ UserPoolId: stack.poolId, Username: 'bob' }));
    assert.equal(admin.UserMFASettingList, undefined);
    assert.equal(admin.PreferredMfaSetting, undefined);
  });

  it('AdminSetUserMFAPreference names an unknown user with UserNotFoundException', async () => {
    const err = await rejection(() =>
      stack.cognito.send(
        new AdminSetUserMFAPreferenceCommand({
          UserPoolId: stack.poolId,
          Username: 'nobody',
          EmailMfaSettings: { Enabled: true },
        }),
      ),
    );
    assert.equal(err.name, 'UserNotFoundException');
  });
});
