import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  GetUserAuthFactorsCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { AuthFactorType, ChallengeNameType } from '@aws-sdk/client-cognito-identity-provider';
import { hashFor, readOutbox, rejection, startTestStack, respondAs } from '../support/stack.js';
import type { TestStack } from '../support/stack.js';

const INVALID_SESSION = 'Invalid session for the user, session is expired.';
const CODE_MISMATCH = 'Invalid code or auth state for the user.';
const PASSWORD = 'Choice-Passw0rd!';

describe('Cognito emulator: choice-based sign-in (USER_AUTH)', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack();
  });
  after(() => stack.close());

  const secretHash = (username: string) =>
    hashFor(username, stack.secretClient.ClientId, stack.secretClient.ClientSecret);
  /** InitiateAuth USER_AUTH on the confidential client; `SECRET_HASH: null` leaves it out. */
  const userAuth = (username: string, params: Record<string, string | null> = {}, clientId?: string) => {
    const hash = 'SECRET_HASH' in params ? params['SECRET_HASH'] : secretHash(username);
    const rest = Object.fromEntries(
      Object.entries(params).filter((e): e is [string, string] => e[0] !== 'SECRET_HASH' && e[1] !== null),
    );
    return stack.cognito.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_AUTH',
        ClientId: clientId ?? stack.secretClient.ClientId,
        AuthParameters: { USERNAME: username, ...(hash === null ? {} : { SECRET_HASH: hash }), ...rest },
      }),
    );
  };
  const respond = (
    ChallengeName: ChallengeNameType,
    Session: string | undefined,
    username: string,
    answer: Record<string, string>,
    secretHash?: string | null,
  ) => respondAs(stack, ChallengeName, Session, username, answer, secretHash);
  const lastMessage = async (username: string) => {
    const last = (await readOutbox(stack, `?username=${username}`)).at(-1);
    assert.ok(last, `no message for ${username}`);
    return last;
  };
  const makeUser = async (Username: string, attributes: Record<string, string>) => {
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
  };

  describe('the pool sign-in policy', () => {
    it('shows the walkthrough pool allowing PASSWORD, EMAIL_OTP, SMS_OTP and WEB_AUTHN', async () => {
      const { UserPool } = await stack.cognito.send(new DescribeUserPoolCommand({ UserPoolId: stack.poolId }));
      assert.deepEqual(UserPool?.Policies?.SignInPolicy?.AllowedFirstAuthFactors, [
        'PASSWORD',
        'EMAIL_OTP',
        'SMS_OTP',
        'WEB_AUTHN',
      ]);
    });

    it('defaults a new pool to PASSWORD and keeps a given list', async () => {
      const plain = await stack.cognito.send(new CreateUserPoolCommand({ PoolName: 'plain' }));
      assert.deepEqual(plain.UserPool?.Policies?.SignInPolicy?.AllowedFirstAuthFactors, ['PASSWORD']);
      const AllowedFirstAuthFactors: AuthFactorType[] = ['EMAIL_OTP', 'PASSWORD'];
      const chosen = await stack.cognito.send(
        new CreateUserPoolCommand({ PoolName: 'chosen', Policies: { SignInPolicy: { AllowedFirstAuthFactors } } }),
      );
      assert.deepEqual(chosen.UserPool?.Policies?.SignInPolicy?.AllowedFirstAuthFactors, ['PASSWORD', 'EMAIL_OTP']);
    });

    it('refuses a list without PASSWORD', async () => {
      const err = await rejection(() =>
        stack.cognito.send(
          new CreateUserPoolCommand({
            PoolName: 'otp-only',
            Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['EMAIL_OTP'] } },
          }),
        ),
      );
      assert.equal(err.name, 'InvalidParameterException');
    });
  });

  describe('InitiateAuth USER_AUTH', () => {
    it('is refused on a client that does not allow ALLOW_USER_AUTH', async () => {
      const { UserPoolClient } = await stack.cognito.send(
        new CreateUserPoolClientCommand({
          UserPoolId: stack.poolId,
          ClientName: 'password-only',
          ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'],
        }),
      );
      const err = await rejection(() => userAuth('alice', { SECRET_HASH: null }, UserPoolClient?.ClientId));
      assert.equal(err.name, 'InvalidParameterException');
      assert.equal(err.message, 'USER_AUTH flow not enabled for this client');
    });

    it('needs the SECRET_HASH of a confidential client, and the right one', async () => {
      const missing = await rejection(() => userAuth('alice', { SECRET_HASH: null }));
      assert.equal(missing.name, 'NotAuthorizedException');
      assert.match(missing.message, /SECRET_HASH was not received/);
      const wrong = await rejection(() => userAuth('alice', { SECRET_HASH: secretHash('bob') }));
      assert.equal(wrong.name, 'NotAuthorizedException');
      assert.match(wrong.message, /Unable to verify secret hash/);
    });

    it('answers SELECT_CHALLENGE with what the user can use when no preference is given', async () => {
      const res = await userAuth('alice');
      assert.equal(res.ChallengeName, 'SELECT_CHALLENGE');
      assert.ok(res.Session);
      assert.deepEqual(res.AvailableChallenges, ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP']);
      assert.deepEqual(res.ChallengeParameters, {});
    });

    it('falls back to SELECT_CHALLENGE for a preference the user cannot use', async () => {
      const res = await userAuth('alice', { PREFERRED_CHALLENGE: 'SMS_OTP' });
      assert.equal(res.ChallengeName, 'SELECT_CHALLENGE');
      assert.deepEqual(res.AvailableChallenges, ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP']);
    });

    it('works on the public client without a SECRET_HASH', async () => {
      const res = await stack.cognito.send(
        new InitiateAuthCommand({
          AuthFlow: 'USER_AUTH',
          ClientId: stack.publicClient.ClientId,
          AuthParameters: { USERNAME: 'alice', PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: 'Alice-Passw0rd!' },
        }),
      );
      assert.ok(res.AuthenticationResult?.AccessToken);
    });

    it('tells an unconfirmed user so before sending anything', async () => {
      await stack.cognito.send(
        new SignUpCommand({
          ClientId: stack.publicClient.ClientId,
          Username: 'ulla',
          Password: PASSWORD,
          UserAttributes: [{ Name: 'email', Value: 'ulla@example.com' }],
        }),
      );
      const err = await rejection(() => userAuth('ulla', { PREFERRED_CHALLENGE: 'EMAIL_OTP' }));
      assert.equal(err.name, 'UserNotConfirmedException');
    });
  });

  describe('PASSWORD as the first factor', () => {
    it('signs in with PASSWORD in the same SELECT_CHALLENGE answer', async () => {
      const select = await userAuth('alice');
      const res = await respond('SELECT_CHALLENGE', select.Session, 'alice', {
        ANSWER: 'PASSWORD',
        PASSWORD: 'Alice-Passw0rd!',
      });
      assert.ok(res.AuthenticationResult?.AccessToken);
    });

    it('asks for PASSWORD when the answer leaves it out, and keeps the session open', async () => {
      const select = await userAuth('alice');
      const err = await rejection(() => respond('SELECT_CHALLENGE', select.Session, 'alice', { ANSWER: 'PASSWORD' }));
      assert.equal(err.name, 'InvalidParameterException');
      const res = await respond('SELECT_CHALLENGE', select.Session, 'alice', {
        ANSWER: 'PASSWORD',
        PASSWORD: 'Alice-Passw0rd!',
      });
      assert.ok(res.AuthenticationResult?.AccessToken);
    });

    it('refuses an ANSWER the user was not offered', async () => {
      const select = await userAuth('alice');
      const err = await rejection(() => respond('SELECT_CHALLENGE', select.Session, 'alice', { ANSWER: 'SMS_OTP' }));
      assert.equal(err.name, 'InvalidParameterException');
    });

    it('signs in at once with PREFERRED_CHALLENGE PASSWORD and PASSWORD', async () => {
      const res = await userAuth('alice', { PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: 'Alice-Passw0rd!' });
      assert.ok(res.AuthenticationResult?.IdToken);
    });

    it('raises the PASSWORD challenge when PREFERRED_CHALLENGE PASSWORD comes without one', async () => {
      const first = await userAuth('alice', { PREFERRED_CHALLENGE: 'PASSWORD' });
      assert.equal(first.ChallengeName, 'PASSWORD');
      const res = await respond('PASSWORD', first.Session, 'alice', { PASSWORD: 'Alice-Passw0rd!' });
      assert.ok(res.AuthenticationResult?.AccessToken);
    });

    it('answers a wrong password as USER_PASSWORD_AUTH does', async () => {
      const err = await rejection(() => userAuth('alice', { PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: 'nope' }));
      assert.equal(err.name, 'NotAuthorizedException');
      assert.equal(err.message, 'Incorrect username or password.');
      const select = await userAuth('alice');
      const viaSelect = await rejection(() =>
        respond('SELECT_CHALLENGE', select.Session, 'alice', { ANSWER: 'PASSWORD', PASSWORD: 'nope' }),
      );
      assert.equal(viaSelect.message, 'Incorrect username or password.');
    });

    it('still asks for the MFA the user has on after a password', async () => {
      const res = await userAuth('emil', { PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: 'Emil-Passw0rd!' });
      assert.equal(res.ChallengeName, 'EMAIL_OTP');
      const { code } = await lastMessage('emil');
      const done = await respond('EMAIL_OTP', res.Session, 'emil', { EMAIL_OTP_CODE: code });
      assert.ok(done.AuthenticationResult?.AccessToken);
    });

    it('needs the SECRET_HASH on SELECT_CHALLENGE and PASSWORD answers', async () => {
      const select = await userAuth('alice');
      const missing = await rejection(() =>
        respond('SELECT_CHALLENGE', select.Session, 'alice', { ANSWER: 'PASSWORD', PASSWORD: 'x' }, null),
      );
      assert.match(missing.message, /SECRET_HASH was not received/);
      const pw = await userAuth('alice', { PREFERRED_CHALLENGE: 'PASSWORD' });
      const wrong = await rejection(() =>
        respond('PASSWORD', pw.Session, 'alice', { PASSWORD: 'Alice-Passw0rd!' }, secretHash('bob')),
      );
      assert.match(wrong.message, /Unable to verify secret hash/);
    });
  });

  describe('EMAIL_OTP and SMS_OTP as the first factor', () => {
    it('sends an email code for PREFERRED_CHALLENGE EMAIL_OTP and signs in with it', async () => {
      const res = await userAuth('alice', { PREFERRED_CHALLENGE: 'EMAIL_OTP' });
      assert.equal(res.ChallengeName, 'EMAIL_OTP');
      assert.deepEqual(res.ChallengeParameters, {
        CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL',
        CODE_DELIVERY_DESTINATION: 'a***@e***',
      });
      const message = await lastMessage('alice');
      assert.equal(message.kind, 'EMAIL_OTP');
      assert.equal(message.destination, 'alice@example.com');
      const done = await respond('EMAIL_OTP', res.Session, 'alice', { EMAIL_OTP_CODE: message.code });
      assert.ok(done.AuthenticationResult?.RefreshToken);
    });

    it('sends the code after SELECT_CHALLENGE ANSWER EMAIL_OTP', async () => {
      const select = await userAuth('alice');
      const res = await respond('SELECT_CHALLENGE', select.Session, 'alice', { ANSWER: 'EMAIL_OTP' });
      assert.equal(res.ChallengeName, 'EMAIL_OTP');
      assert.equal(res.ChallengeParameters?.['CODE_DELIVERY_DELIVERY_MEDIUM'], 'EMAIL');
      const { code } = await lastMessage('alice');
      const done = await respond('EMAIL_OTP', res.Session, 'alice', { EMAIL_OTP_CODE: code });
      assert.ok(done.AuthenticationResult?.AccessToken);
    });

    it('asks no MFA after a code: the user with email MFA on gets tokens', async () => {
      const res = await userAuth('emil', { PREFERRED_CHALLENGE: 'EMAIL_OTP' });
      const { code } = await lastMessage('emil');
      const done = await respond('EMAIL_OTP', res.Session, 'emil', { EMAIL_OTP_CODE: code });
      assert.ok(done.AuthenticationResult?.AccessToken);
      assert.equal(done.ChallengeName, undefined);
    });

    it('offers SMS_OTP to a user with a verified phone and signs in with SMS_OTP_CODE', async () => {
      await makeUser('sami', { phone_number: '+15550001234', phone_number_verified: 'true' });
      const select = await userAuth('sami');
      assert.deepEqual(select.AvailableChallenges, ['PASSWORD', 'PASSWORD_SRP', 'SMS_OTP']);
      const res = await userAuth('sami', { PREFERRED_CHALLENGE: 'SMS_OTP' });
      assert.equal(res.ChallengeName, 'SMS_OTP');
      assert.deepEqual(res.ChallengeParameters, {
        CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS',
        CODE_DELIVERY_DESTINATION: '+*******1234',
      });
      const message = await lastMessage('sami');
      assert.equal(message.medium, 'SMS');
      assert.equal(message.kind, 'SMS_OTP');
      const done = await respond('SMS_OTP', res.Session, 'sami', { SMS_OTP_CODE: message.code });
      assert.ok(done.AuthenticationResult?.AccessToken);
    });

    it('does not offer codes to an unverified address', async () => {
      await makeUser('vera', { email: 'vera@example.com', phone_number: '+15550004321' });
      const select = await userAuth('vera');
      assert.deepEqual(select.AvailableChallenges, ['PASSWORD', 'PASSWORD_SRP']);
    });

    it('answers a wrong code with CodeMismatchException, and ends the session after three', async () => {
      const res = await userAuth('alice', { PREFERRED_CHALLENGE: 'EMAIL_OTP' });
      const { code } = await lastMessage('alice');
      const wrong = code === '000000' ? '111111' : '000000';
      for (let i = 0; i < 3; i++) {
        const err = await rejection(() => respond('EMAIL_OTP', res.Session, 'alice', { EMAIL_OTP_CODE: wrong }));
        assert.equal(err.name, 'CodeMismatchException');
        assert.equal(err.message, CODE_MISMATCH);
      }
      const after3 = await rejection(() => respond('EMAIL_OTP', res.Session, 'alice', { EMAIL_OTP_CODE: code }));
      assert.equal(after3.message, INVALID_SESSION);
    });

    it('lets a code die with its session (AuthSessionValidity)', async () => {
      const res = await userAuth('alice', { PREFERRED_CHALLENGE: 'EMAIL_OTP' });
      const { code } = await lastMessage('alice');
      stack.clock.advance(3 * 60_000 + 1000);
      const err = await rejection(() => respond('EMAIL_OTP', res.Session, 'alice', { EMAIL_OTP_CODE: code }));
      assert.equal(err.name, 'NotAuthorizedException');
      assert.equal(err.message, INVALID_SESSION);
    });

    it('resends by a new USER_AUTH call: only the newest code works', async () => {
      const first = await userAuth('alice', { PREFERRED_CHALLENGE: 'EMAIL_OTP' });
      const firstCode = (await lastMessage('alice')).code;
      const second = await userAuth('alice', { PREFERRED_CHALLENGE: 'EMAIL_OTP' });
      const secondCode = (await lastMessage('alice')).code;
      const old = await rejection(() => respond('EMAIL_OTP', first.Session, 'alice', { EMAIL_OTP_CODE: firstCode }));
      assert.equal(old.message, INVALID_SESSION);
      const done = await respond('EMAIL_OTP', second.Session, 'alice', { EMAIL_OTP_CODE: secondCode });
      assert.ok(done.AuthenticationResult?.AccessToken);
    });

    it('needs the SECRET_HASH on a code answer', async () => {
      const res = await userAuth('alice', { PREFERRED_CHALLENGE: 'EMAIL_OTP' });
      const { code } = await lastMessage('alice');
      const missing = await rejection(() => respond('EMAIL_OTP', res.Session, 'alice', { EMAIL_OTP_CODE: code }, null));
      assert.match(missing.message, /SECRET_HASH was not received/);
      const wrong = await rejection(() =>
        respond('EMAIL_OTP', res.Session, 'alice', { EMAIL_OTP_CODE: code }, secretHash('bob')),
      );
      assert.match(wrong.message, /Unable to verify secret hash/);
      const done = await respond('EMAIL_OTP', res.Session, 'alice', { EMAIL_OTP_CODE: code });
      assert.ok(done.AuthenticationResult?.AccessToken);
    });
  });

  describe('SECRET_HASH on every answer', () => {
    /** Each challenge USER_AUTH raises, with an answer that would otherwise be accepted. */
    const cases: [
      string,
      () => Promise<{ name: ChallengeNameType; session?: string; user: string; answer: Record<string, string> }>,
    ][] = [
      [
        'SELECT_CHALLENGE',
        async () => ({
          name: 'SELECT_CHALLENGE',
          session: (await userAuth('alice')).Session,
          user: 'alice',
          answer: { ANSWER: 'EMAIL_OTP' },
        }),
      ],
      [
        'PASSWORD',
        async () => ({
          name: 'PASSWORD',
          session: (await userAuth('alice', { PREFERRED_CHALLENGE: 'PASSWORD' })).Session,
          user: 'alice',
          answer: { PASSWORD: 'Alice-Passw0rd!' },
        }),
      ],
      [
        'EMAIL_OTP',
        async () => {
          const res = await userAuth('alice', { PREFERRED_CHALLENGE: 'EMAIL_OTP' });
          return {
            name: 'EMAIL_OTP',
            session: res.Session,
            user: 'alice',
            answer: { EMAIL_OTP_CODE: (await lastMessage('alice')).code },
          };
        },
      ],
      [
        'SMS_OTP',
        async () => {
          const res = await userAuth('sami', { PREFERRED_CHALLENGE: 'SMS_OTP' });
          return {
            name: 'SMS_OTP',
            session: res.Session,
            user: 'sami',
            answer: { SMS_OTP_CODE: (await lastMessage('sami')).code },
          };
        },
      ],
      [
        'a decoy EMAIL_OTP',
        async () => ({
          name: 'EMAIL_OTP',
          session: (await userAuth('ghost@example.com', { PREFERRED_CHALLENGE: 'EMAIL_OTP' })).Session,
          user: 'ghost@example.com',
          answer: { EMAIL_OTP_CODE: '123456' },
        }),
      ],
    ];
    for (const [label, raise] of cases) {
      it(`is checked on ${label}: missing, then wrong, before the answer`, async () => {
        const { name, session, user, answer } = await raise();
        const missing = await rejection(() => respond(name, session, user, answer, null));
        assert.equal(missing.name, 'NotAuthorizedException');
        assert.match(missing.message, /SECRET_HASH was not received/);
        const wrong = await rejection(() => respond(name, session, user, answer, secretHash('bob')));
        assert.equal(wrong.name, 'NotAuthorizedException');
        assert.match(wrong.message, /Unable to verify secret hash/);
      });
    }
  });

  describe('a user who does not exist', () => {
    it('gets the same plausible SELECT_CHALLENGE every time', async () => {
      const first = await userAuth('nobody@example.com');
      const second = await userAuth('nobody@example.com');
      assert.equal(first.ChallengeName, 'SELECT_CHALLENGE');
      assert.ok(first.Session);
      assert.deepEqual(first.AvailableChallenges, ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP']);
      assert.deepEqual(second.AvailableChallenges, first.AvailableChallenges);
    });

    it('gets an EMAIL_OTP challenge whose code never works, and nothing is sent', async () => {
      const before = (await readOutbox(stack)).length;
      const res = await userAuth('ghost@example.com', { PREFERRED_CHALLENGE: 'EMAIL_OTP' });
      assert.equal(res.ChallengeName, 'EMAIL_OTP');
      assert.equal(res.ChallengeParameters?.['CODE_DELIVERY_DELIVERY_MEDIUM'], 'EMAIL');
      assert.equal(res.ChallengeParameters?.['CODE_DELIVERY_DESTINATION'], 'g***@e***');
      assert.equal((await readOutbox(stack)).length, before);
      for (let i = 0; i < 3; i++) {
        const err = await rejection(() =>
          respond('EMAIL_OTP', res.Session, 'ghost@example.com', { EMAIL_OTP_CODE: '123456' }),
        );
        assert.equal(err.name, 'CodeMismatchException');
      }
      const after3 = await rejection(() =>
        respond('EMAIL_OTP', res.Session, 'ghost@example.com', { EMAIL_OTP_CODE: '123456' }),
      );
      assert.equal(after3.message, INVALID_SESSION);
    });

    it('answers a password as incorrect, directly or after SELECT_CHALLENGE', async () => {
      const direct = await rejection(() =>
        userAuth('ghost', { PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: 'Whatever-1!' }),
      );
      assert.equal(direct.message, 'Incorrect username or password.');
      const select = await userAuth('ghost');
      const chosen = await rejection(() =>
        respond('SELECT_CHALLENGE', select.Session, 'ghost', { ANSWER: 'PASSWORD', PASSWORD: 'Whatever-1!' }),
      );
      assert.equal(chosen.name, 'NotAuthorizedException');
      assert.equal(chosen.message, 'Incorrect username or password.');
    });

    it('goes on to a code challenge after SELECT_CHALLENGE ANSWER EMAIL_OTP', async () => {
      const select = await userAuth('ghost@example.com');
      const res = await respond('SELECT_CHALLENGE', select.Session, 'ghost@example.com', { ANSWER: 'EMAIL_OTP' });
      assert.equal(res.ChallengeName, 'EMAIL_OTP');
      const err = await rejection(() =>
        respond('EMAIL_OTP', res.Session, 'ghost@example.com', { EMAIL_OTP_CODE: '123456' }),
      );
      assert.equal(err.name, 'CodeMismatchException');
    });

    it('is UserNotFoundException on a LEGACY client', async () => {
      const { UserPoolClient } = await stack.cognito.send(
        new CreateUserPoolClientCommand({
          UserPoolId: stack.poolId,
          ClientName: 'legacy',
          ExplicitAuthFlows: ['ALLOW_USER_AUTH'],
          PreventUserExistenceErrors: 'LEGACY',
        }),
      );
      const err = await rejection(() => userAuth('ghost', { SECRET_HASH: null }, UserPoolClient?.ClientId));
      assert.equal(err.name, 'UserNotFoundException');
    });
  });

  describe('GetUserAuthFactors', () => {
    const factorsOf = async (username: string, password: string) => {
      const res = await userAuth(username, { PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: password });
      let tokens = res.AuthenticationResult;
      if (!tokens && res.ChallengeName === 'EMAIL_OTP') {
        const { code } = await lastMessage(username);
        tokens = (await respond('EMAIL_OTP', res.Session, username, { EMAIL_OTP_CODE: code })).AuthenticationResult;
      }
      assert.ok(tokens?.AccessToken);
      return stack.cognito.send(new GetUserAuthFactorsCommand({ AccessToken: tokens.AccessToken }));
    };

    it('lists the first factors a user can sign in with, and no MFA when none is on', async () => {
      const res = await factorsOf('alice', 'Alice-Passw0rd!');
      assert.equal(res.Username, 'alice');
      assert.deepEqual(res.ConfiguredUserAuthFactors, ['PASSWORD', 'EMAIL_OTP']);
      assert.equal(res.UserMFASettingList, undefined);
      assert.equal(res.PreferredMfaSetting, undefined);
    });

    it('shows the MFA settings beside them', async () => {
      const res = await factorsOf('emil', 'Emil-Passw0rd!');
      assert.deepEqual(res.ConfiguredUserAuthFactors, ['PASSWORD', 'EMAIL_OTP']);
      assert.deepEqual(res.UserMFASettingList, ['EMAIL_OTP']);
      assert.equal(res.PreferredMfaSetting, 'EMAIL_OTP');
    });

    it('lists SMS_OTP for a verified phone and only PASSWORD without a verified address', async () => {
      assert.deepEqual((await factorsOf('sami', PASSWORD)).ConfiguredUserAuthFactors, ['PASSWORD', 'SMS_OTP']);
      assert.deepEqual((await factorsOf('vera', PASSWORD)).ConfiguredUserAuthFactors, ['PASSWORD']);
    });

    it('refuses a token that is not an access token', async () => {
      const err = await rejection(() => stack.cognito.send(new GetUserAuthFactorsCommand({ AccessToken: 'x.y.z' })));
      assert.equal(err.name, 'NotAuthorizedException');
    });
  });

  describe('the Session from ConfirmSignUp', () => {
    /** Signs up and confirms `username` on the public client; returns ConfirmSignUp's Session. */
    const signUpAndConfirm = async (username: string) => {
      await stack.cognito.send(
        new SignUpCommand({
          ClientId: stack.publicClient.ClientId,
          Username: username,
          Password: PASSWORD,
          UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }],
        }),
      );
      const { code } = await lastMessage(username);
      const res = await stack.cognito.send(
        new ConfirmSignUpCommand({ ClientId: stack.publicClient.ClientId, Username: username, ConfirmationCode: code }),
      );
      assert.ok(res.Session);
      return res.Session;
    };
    const withSession = (username: string, Session: string, params: Record<string, string> = {}) =>
      stack.cognito.send(
        new InitiateAuthCommand({
          AuthFlow: 'USER_AUTH',
          ClientId: stack.publicClient.ClientId,
          AuthParameters: { USERNAME: username, ...params },
          Session,
        }),
      );

    it('signs the new user in through USER_AUTH without a second code, once', async () => {
      const session = await signUpAndConfirm('nina');
      const sent = (await readOutbox(stack)).length;
      const res = await withSession('nina', session, { PREFERRED_CHALLENGE: 'EMAIL_OTP' });
      assert.ok(res.AuthenticationResult?.AccessToken);
      assert.equal((await readOutbox(stack)).length, sent);
      const again = await rejection(() => withSession('nina', session));
      assert.equal(again.name, 'NotAuthorizedException');
      assert.equal(again.message, INVALID_SESSION);
    });

    it('works without a preference too', async () => {
      const session = await signUpAndConfirm('nora');
      const res = await withSession('nora', session);
      assert.ok(res.AuthenticationResult?.IdToken);
    });

    it('is good only for its user, its client, and the session validity', async () => {
      const session = await signUpAndConfirm('olga');
      const otherUser = await rejection(() => withSession('alice', session));
      assert.equal(otherUser.message, INVALID_SESSION);
      const otherClient = await rejection(() =>
        stack.cognito.send(
          new InitiateAuthCommand({
            AuthFlow: 'USER_AUTH',
            ClientId: stack.secretClient.ClientId,
            AuthParameters: { USERNAME: 'olga', SECRET_HASH: secretHash('olga') },
            Session: session,
          }),
        ),
      );
      assert.equal(otherClient.message, INVALID_SESSION);
      stack.clock.advance(3 * 60_000 + 1000);
      const expired = await rejection(() => withSession('olga', session));
      assert.equal(expired.message, INVALID_SESSION);
    });
  });
});
