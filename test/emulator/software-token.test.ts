import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AssociateSoftwareTokenCommand,
  GetUserCommand,
  InitiateAuthCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { hashFor, rejection, startTestStack, totpCode } from '../support/stack.js';
import type { TestStack } from '../support/stack.js';

describe('Cognito emulator: AssociateSoftwareToken and VerifySoftwareToken with an access token', () => {
  let stack: TestStack;
  let AccessToken: string;
  before(async () => {
    stack = await startTestStack();
    const out = await stack.cognito.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: stack.secretClient.ClientId,
        AuthParameters: {
          USERNAME: 'bob',
          PASSWORD: 'Bob-Passw0rd!',
          SECRET_HASH: hashFor('bob', stack.secretClient.ClientId, stack.secretClient.ClientSecret),
        },
      }),
    );
    AccessToken = out.AuthenticationResult?.AccessToken ?? '';
  });
  after(() => stack.close());

  const poolMfa = (softwareToken: boolean) =>
    stack.cognito.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: stack.poolId,
        MfaConfiguration: 'OPTIONAL',
        SoftwareTokenMfaConfiguration: { Enabled: softwareToken },
        EmailMfaConfiguration: {},
      }),
    );
  const associate = async () => {
    const out = await stack.cognito.send(new AssociateSoftwareTokenCommand({ AccessToken }));
    assert.ok(out.SecretCode);
    return out.SecretCode;
  };
  const verify = (UserCode: string) =>
    stack.cognito.send(new VerifySoftwareTokenCommand({ AccessToken, UserCode, FriendlyDeviceName: 'phone' }));

  it('refuses both calls while the pool has software-token MFA off', async () => {
    await poolMfa(false);
    const err = await rejection(() => associate());
    assert.equal(err.name, 'SoftwareTokenMFANotFoundException');
    assert.equal(err.message, 'Software Token MFA has not been enabled by the userPool');
    const verifyErr = await rejection(() => verify('123456'));
    assert.equal(verifyErr.name, 'SoftwareTokenMFANotFoundException');
  });

  it('hands out a fresh 32-character base32 secret on every call, without a Session', async () => {
    await poolMfa(true);
    const first = await associate();
    const second = await associate();
    assert.match(first, /^[A-Z2-7]{32}$/);
    assert.notEqual(first, second);
    const out = await stack.cognito.send(new AssociateSoftwareTokenCommand({ AccessToken }));
    assert.equal(out.Session, undefined);
  });

  it('answers a wrong code, or one from a replaced secret, with EnableSoftwareTokenMFAException', async () => {
    const old = await associate();
    await associate();
    for (const code of ['000000', totpCode(old, stack.clock())]) {
      const err = await rejection(() => verify(code));
      assert.equal(err.name, 'EnableSoftwareTokenMFAException');
      assert.equal(err.message, 'Code mismatch and fail enable Software Token MFA');
    }
  });

  it('refuses a code two 30-second steps off either way, accepts one a step behind', async () => {
    const secret = await associate();
    const now = stack.clock();
    for (const offset of [-60_000, 60_000]) {
      const err = await rejection(() => verify(totpCode(secret, now + offset)));
      assert.equal(err.name, 'EnableSoftwareTokenMFAException');
    }
    const out = await verify(totpCode(secret, now - 30_000));
    assert.equal(out.Status, 'SUCCESS');
    assert.equal(out.Session, undefined);
  });

  it('accepts a code a step ahead, from the current secret', async () => {
    const secret = await associate();
    assert.equal((await verify(totpCode(secret, stack.clock() + 30_000))).Status, 'SUCCESS');
  });

  it('follows the emulator clock, not the wall clock', async () => {
    const secret = await associate();
    stack.clock.advance(10 * 60_000);
    const wall = await rejection(() => verify(totpCode(secret, Date.now() - 10 * 60_000)));
    assert.equal(wall.name, 'EnableSoftwareTokenMFAException');
    assert.equal((await verify(totpCode(secret, stack.clock()))).Status, 'SUCCESS');
  });

  it('a verified token is not on for sign-in until SetUserMFAPreference turns it on', async () => {
    const before = await stack.cognito.send(new GetUserCommand({ AccessToken }));
    assert.equal(before.UserMFASettingList, undefined);
    await stack.cognito.send(
      new SetUserMFAPreferenceCommand({ AccessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }),
    );
    const after = await stack.cognito.send(new GetUserCommand({ AccessToken }));
    assert.deepEqual(after.UserMFASettingList, ['SOFTWARE_TOKEN_MFA']);
    assert.equal(after.PreferredMfaSetting, 'SOFTWARE_TOKEN_MFA');
  });

  it('refuses a UserCode that is not six digits, as AWS validation does', async () => {
    const err = await rejection(() => verify('12ab56'));
    assert.equal(err.name, 'InvalidParameterException');
  });
});
