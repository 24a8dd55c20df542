import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminSetUserPasswordCommand,
  AssociateSoftwareTokenCommand,
  GetUserCommand,
  InitiateAuthCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { ChallengeNameType, SMSMfaSettingsType } from '@aws-sdk/client-cognito-identity-provider';
import { hashFor, readOutbox, rejection, startTestStack, totpCode, respondAs } from '../support/stack.js';
import type { TestStack } from '../support/stack.js';

const PASSWORD = 'Mfa-Passw0rd!';
const INVALID_SESSION = 'Invalid session for the user, session is expired.';

describe('Cognito emulator: MFA challenges after a correct password', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack();
  });
  after(() => stack.close());

  const hash = (username: string) => hashFor(username, stack.secretClient.ClientId, stack.secretClient.ClientSecret);
  const signIn = (username: string, password = PASSWORD) =>
    stack.cognito.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: stack.secretClient.ClientId,
        AuthParameters: { USERNAME: username, PASSWORD: password, SECRET_HASH: hash(username) },
      }),
    );
  const respond = (
    ChallengeName: ChallengeNameType,
    Session: string | undefined,
    username: string,
    answer: Record<string, string>,
    secretHash?: string | null,
  ) => respondAs(stack, ChallengeName, Session, username, answer, secretHash);
  const poolMfa = (MfaConfiguration: 'OFF' | 'ON' | 'OPTIONAL', factors = true) =>
    stack.cognito.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: stack.poolId,
        MfaConfiguration,
        ...(factors
          ? {
              SoftwareTokenMfaConfiguration: { Enabled: true },
              SmsMfaConfiguration: { SmsAuthenticationMessage: 'Sign-in code {####}' },
              EmailMfaConfiguration: { Message: 'Your email code is {####}', Subject: 'Code' },
            }
          : {}),
      }),
    );
  /** A confirmed user with the given attributes and factors on (none preferred unless said). */
  const makeUser = async (
    Username: string,
    attributes: Record<string, string>,
    factors: { sms?: SMSMfaSettingsType; email?: SMSMfaSettingsType } = {},
  ) => {
    await stack.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: stack.poolId,
        Username,
        MessageAction: 'SUPPRESS',
        UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
      }),
    );
    await stack.cognito.send(
      new AdminSetUserPasswordCommand({ UserPoolId: stack.poolId, Username, Password: PASSWORD, Permanent: true }),
    );
    if (factors.sms || factors.email) {
      await stack.cognito.send(
        new AdminSetUserMFAPreferenceCommand({
          UserPoolId: stack.poolId,
          Username,
          SMSMfaSettings: factors.sms,
          EmailMfaSettings: factors.email,
        }),
      );
    }
  };
  /** Gives a user a verified, enabled, preferred software token through the access-token calls; returns its secret. */
  const withSoftwareToken = async (username: string) => {
    const AccessToken = (await signIn(username)).AuthenticationResult?.AccessToken;
    assert.ok(AccessToken);
    const { SecretCode } = await stack.cognito.send(new AssociateSoftwareTokenCommand({ AccessToken }));
    assert.ok(SecretCode);
    await stack.cognito.send(
      new VerifySoftwareTokenCommand({ AccessToken, UserCode: totpCode(SecretCode, stack.clock()) }),
    );
    await stack.cognito.send(
      new SetUserMFAPreferenceCommand({ AccessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }),
    );
    return SecretCode;
  };
  const lastCode = async (username: string) => {
    const messages = await readOutbox(stack, `?username=${username}`);
    const last = messages.at(-1);
    assert.ok(last, `no message for ${username}`);
    return last;
  };

  let totpSecret: string;

  describe('pool OPTIONAL', () => {
    before(async () => {
      await poolMfa('OPTIONAL');
      await makeUser('tina', { email: 'tina@example.com', email_verified: 'true' });
      totpSecret = await withSoftwareToken('tina');
    });

    it('signs a user without a factor in at once', async () => {
      await makeUser('nora', { email: 'nora@example.com' });
      const out = await signIn('nora');
      assert.equal(out.ChallengeName, undefined);
      assert.ok(out.AuthenticationResult?.AccessToken);
    });

    it('SOFTWARE_TOKEN_MFA: no parameters; a wrong code is CodeMismatchException and the session survives', async () => {
      const first = await signIn('tina');
      assert.equal(first.ChallengeName, 'SOFTWARE_TOKEN_MFA');
      assert.deepEqual(first.ChallengeParameters, {});
      assert.ok(first.Session);
      const wrong = await rejection(() =>
        respond('SOFTWARE_TOKEN_MFA', first.Session, 'tina', { SOFTWARE_TOKEN_MFA_CODE: '000000' }),
      );
      assert.equal(wrong.name, 'CodeMismatchException');
      assert.equal(wrong.message, 'Invalid code or auth state for the user.');
      const code = totpCode(totpSecret, stack.clock());
      const out = await respond('SOFTWARE_TOKEN_MFA', first.Session, 'tina', { SOFTWARE_TOKEN_MFA_CODE: code });
      assert.ok(out.AuthenticationResult?.IdToken);
      const again = await rejection(() =>
        respond('SOFTWARE_TOKEN_MFA', first.Session, 'tina', { SOFTWARE_TOKEN_MFA_CODE: code }),
      );
      assert.equal(again.name, 'NotAuthorizedException');
      assert.equal(again.message, INVALID_SESSION);
    });

    it('SOFTWARE_TOKEN_MFA: a code from one step back is accepted, two steps back is not', async () => {
      const first = await signIn('tina');
      const stale = totpCode(totpSecret, stack.clock() - 60_000);
      const err = await rejection(() =>
        respond('SOFTWARE_TOKEN_MFA', first.Session, 'tina', { SOFTWARE_TOKEN_MFA_CODE: stale }),
      );
      assert.equal(err.name, 'CodeMismatchException');
      const previous = totpCode(totpSecret, stack.clock() - 30_000);
      const out = await respond('SOFTWARE_TOKEN_MFA', first.Session, 'tina', { SOFTWARE_TOKEN_MFA_CODE: previous });
      assert.ok(out.AuthenticationResult);
    });

    it('three wrong codes end the session; the right code then meets an invalid session', async () => {
      const first = await signIn('tina');
      for (let i = 0; i < 3; i++) {
        const err = await rejection(() =>
          respond('SOFTWARE_TOKEN_MFA', first.Session, 'tina', { SOFTWARE_TOKEN_MFA_CODE: '000000' }),
        );
        assert.equal(err.name, 'CodeMismatchException');
      }
      const code = totpCode(totpSecret, stack.clock());
      const err = await rejection(() =>
        respond('SOFTWARE_TOKEN_MFA', first.Session, 'tina', { SOFTWARE_TOKEN_MFA_CODE: code }),
      );
      assert.equal(err.name, 'NotAuthorizedException');
      assert.equal(err.message, INVALID_SESSION);
    });

    it('a session older than the client AuthSessionValidity (3 minutes) is refused', async () => {
      const first = await signIn('tina');
      stack.clock.advance(3 * 60_000 + 1000);
      const err = await rejection(() =>
        respond('SOFTWARE_TOKEN_MFA', first.Session, 'tina', {
          SOFTWARE_TOKEN_MFA_CODE: totpCode(totpSecret, stack.clock()),
        }),
      );
      assert.equal(err.name, 'NotAuthorizedException');
      assert.equal(err.message, INVALID_SESSION);
    });

    it('SMS_MFA: the code goes to the outbox by SMS; parameters name the masked number', async () => {
      await makeUser('sam', { phone_number: '+15555550123' }, { sms: { Enabled: true } });
      const first = await signIn('sam');
      assert.equal(first.ChallengeName, 'SMS_MFA');
      assert.deepEqual(first.ChallengeParameters, {
        CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS',
        CODE_DELIVERY_DESTINATION: '+*******0123',
      });
      const sms = await lastCode('sam');
      assert.equal(sms.kind, 'MFA');
      assert.equal(sms.medium, 'SMS');
      assert.equal(sms.destination, '+15555550123');
      assert.equal(sms.text, `Sign-in code ${sms.code}`);
      const wrong = await rejection(() =>
        respond('SMS_MFA', first.Session, 'sam', { SMS_MFA_CODE: sms.code === '000000' ? '111111' : '000000' }),
      );
      assert.equal(wrong.name, 'CodeMismatchException');
      const out = await respond('SMS_MFA', first.Session, 'sam', { SMS_MFA_CODE: sms.code });
      assert.ok(out.AuthenticationResult?.AccessToken);
    });

    it('SMS_MFA: the code dies with the session', async () => {
      const first = await signIn('sam');
      const sms = await lastCode('sam');
      stack.clock.advance(3 * 60_000 + 1000);
      const err = await rejection(() => respond('SMS_MFA', first.Session, 'sam', { SMS_MFA_CODE: sms.code }));
      assert.equal(err.name, 'NotAuthorizedException');
    });

    it('EMAIL_OTP: the code goes to the outbox by email, with the pool message; masked destination', async () => {
      await makeUser(
        'emma',
        { email: 'emma@example.com', email_verified: 'true' },
        { email: { Enabled: true, PreferredMfa: true } },
      );
      const first = await signIn('emma');
      assert.equal(first.ChallengeName, 'EMAIL_OTP');
      assert.deepEqual(first.ChallengeParameters, {
        CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL',
        CODE_DELIVERY_DESTINATION: 'e***@e***',
      });
      const mail = await lastCode('emma');
      assert.equal(mail.kind, 'EMAIL_OTP');
      assert.equal(mail.medium, 'EMAIL');
      assert.equal(mail.text, `Your email code is ${mail.code}`);
      const out = await respond('EMAIL_OTP', first.Session, 'emma', { EMAIL_OTP_CODE: mail.code });
      assert.ok(out.AuthenticationResult?.AccessToken);
    });

    it('EMAIL_OTP: an earlier sign-in code does not answer a later challenge', async () => {
      await signIn('emma');
      const old = await lastCode('emma');
      const second = await signIn('emma');
      const fresh = await lastCode('emma');
      if (old.code !== fresh.code) {
        const err = await rejection(() => respond('EMAIL_OTP', second.Session, 'emma', { EMAIL_OTP_CODE: old.code }));
        assert.equal(err.name, 'CodeMismatchException');
      }
      const out = await respond('EMAIL_OTP', second.Session, 'emma', { EMAIL_OTP_CODE: fresh.code });
      assert.ok(out.AuthenticationResult);
    });

    it('SELECT_MFA_TYPE: several factors and none preferred; the ANSWER raises that factor', async () => {
      await makeUser(
        'sela',
        { email: 'sela@example.com', phone_number: '+15555550999' },
        { sms: { Enabled: true }, email: { Enabled: true } },
      );
      const first = await signIn('sela');
      assert.equal(first.ChallengeName, 'SELECT_MFA_TYPE');
      assert.deepEqual(first.ChallengeParameters, { MFAS_CAN_CHOOSE: JSON.stringify(['SMS_MFA', 'EMAIL_OTP']) });
      const bad = await rejection(() =>
        respond('SELECT_MFA_TYPE', first.Session, 'sela', { ANSWER: 'SOFTWARE_TOKEN_MFA' }),
      );
      assert.equal(bad.name, 'InvalidParameterException');
      const chosen = await respond('SELECT_MFA_TYPE', first.Session, 'sela', { ANSWER: 'EMAIL_OTP' });
      assert.equal(chosen.ChallengeName, 'EMAIL_OTP');
      assert.ok(chosen.Session && chosen.Session !== first.Session);
      assert.equal(chosen.ChallengeParameters?.['CODE_DELIVERY_DELIVERY_MEDIUM'], 'EMAIL');
      const mail = await lastCode('sela');
      assert.equal(mail.medium, 'EMAIL');
      const out = await respond('EMAIL_OTP', chosen.Session, 'sela', { EMAIL_OTP_CODE: mail.code });
      assert.ok(out.AuthenticationResult);
    });

    it('SECRET_HASH is required and checked on every MFA challenge answer', async () => {
      const cases: [string, ChallengeNameType, string][] = [
        ['tina', 'SOFTWARE_TOKEN_MFA', 'SOFTWARE_TOKEN_MFA_CODE'],
        ['sam', 'SMS_MFA', 'SMS_MFA_CODE'],
        ['emma', 'EMAIL_OTP', 'EMAIL_OTP_CODE'],
        ['sela', 'SELECT_MFA_TYPE', 'ANSWER'],
      ];
      for (const [username, name, key] of cases) {
        const first = await signIn(username);
        assert.equal(first.ChallengeName, name);
        const missing = await rejection(() => respond(name, first.Session, username, { [key]: '123456' }, null));
        assert.equal(missing.name, 'NotAuthorizedException');
        assert.equal(
          missing.message,
          `Client ${stack.secretClient.ClientId} is configured with secret but SECRET_HASH was not received`,
        );
        const wrong = await rejection(() => respond(name, first.Session, username, { [key]: '123456' }, hash('bob')));
        assert.equal(wrong.name, 'NotAuthorizedException');
        assert.equal(wrong.message, `Unable to verify secret hash for client ${stack.secretClient.ClientId}`);
      }
    });
  });

  describe('pool OFF', () => {
    it('signs in users with factors on without asking for one', async () => {
      await poolMfa('OFF', false);
      const out = await signIn('tina');
      assert.equal(out.ChallengeName, undefined);
      assert.ok(out.AuthenticationResult);
    });
  });

  describe('pool ON', () => {
    before(() => poolMfa('ON'));

    it('still asks users with a factor for it', async () => {
      assert.equal((await signIn('tina')).ChallengeName, 'SOFTWARE_TOKEN_MFA');
    });

    it('MFA_SETUP end to end: associate and verify on the session, then answer with the verified session', async () => {
      await makeUser('olga', { email: 'olga@example.com' });
      const first = await signIn('olga');
      assert.equal(first.ChallengeName, 'MFA_SETUP');
      assert.deepEqual(first.ChallengeParameters, {
        MFAS_CAN_SETUP: JSON.stringify(['SMS_MFA', 'SOFTWARE_TOKEN_MFA', 'EMAIL_OTP']),
      });
      const early = await rejection(() => respond('MFA_SETUP', first.Session, 'olga', {}));
      assert.equal(early.name, 'MFAMethodNotFoundException');

      const associated = await stack.cognito.send(new AssociateSoftwareTokenCommand({ Session: first.Session }));
      assert.match(associated.SecretCode ?? '', /^[A-Z2-7]{32}$/);
      assert.ok(associated.Session && associated.Session !== first.Session);
      const stale = await rejection(() => respond('MFA_SETUP', first.Session, 'olga', {}));
      assert.equal(stale.name, 'NotAuthorizedException');

      const wrong = await rejection(() =>
        stack.cognito.send(new VerifySoftwareTokenCommand({ Session: associated.Session, UserCode: '000000' })),
      );
      assert.equal(wrong.name, 'EnableSoftwareTokenMFAException');
      const verified = await stack.cognito.send(
        new VerifySoftwareTokenCommand({
          Session: associated.Session,
          UserCode: totpCode(associated.SecretCode ?? '', stack.clock()),
          FriendlyDeviceName: 'Olga phone',
        }),
      );
      assert.equal(verified.Status, 'SUCCESS');
      assert.ok(verified.Session);

      const missingHash = await rejection(() => respond('MFA_SETUP', verified.Session, 'olga', {}, null));
      assert.equal(missingHash.name, 'NotAuthorizedException');
      const done = await respond('MFA_SETUP', verified.Session, 'olga', {});
      const AccessToken = done.AuthenticationResult?.AccessToken;
      assert.ok(AccessToken);
      const me = await stack.cognito.send(new GetUserCommand({ AccessToken }));
      assert.deepEqual(me.UserMFASettingList, ['SOFTWARE_TOKEN_MFA']);
      assert.equal(me.PreferredMfaSetting, 'SOFTWARE_TOKEN_MFA');

      const next = await signIn('olga');
      assert.equal(next.ChallengeName, 'SOFTWARE_TOKEN_MFA');
    });

    it('an MFA_SETUP session is refused by AssociateSoftwareToken once it expires', async () => {
      await makeUser('omar', {});
      const first = await signIn('omar');
      stack.clock.advance(3 * 60_000 + 1000);
      const err = await rejection(() =>
        stack.cognito.send(new AssociateSoftwareTokenCommand({ Session: first.Session })),
      );
      assert.equal(err.name, 'NotAuthorizedException');
      assert.equal(err.message, INVALID_SESSION);
    });

    it('a temporary-password user sets a new password, then meets MFA_SETUP', async () => {
      const first = await signIn('demo', 'Welcome-2-cognito!');
      assert.equal(first.ChallengeName, 'NEW_PASSWORD_REQUIRED');
      const next = await respond('NEW_PASSWORD_REQUIRED', first.Session, 'demo', {
        NEW_PASSWORD: 'Demo-new-passw0rd!',
      });
      assert.equal(next.ChallengeName, 'MFA_SETUP');
      assert.ok(next.Session);
    });
  });
});
