import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CompleteWebAuthnRegistrationCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteWebAuthnCredentialCommand,
  GetUserPoolMfaConfigCommand,
  InitiateAuthCommand,
  ListWebAuthnCredentialsCommand,
  RespondToAuthChallengeCommand,
  SetUserPoolMfaConfigCommand,
  StartWebAuthnRegistrationCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { userHasPasskey } from '../../src/emulator/cognito/challenges/web-authn.js';
import type { AppClient } from '../../src/emulator/cognito/state.js';
import { SoftwarePasskey } from '../support/passkey.js';
import { hashFor, rejection, startTestStack } from '../support/stack.js';
import type { TestStack } from '../support/stack.js';

const ORIGIN = 'http://localhost:3000';

interface CreationOptions {
  challenge: string;
  rp: { id: string; name: string };
  user: { id: string; name: string; displayName: string };
  pubKeyCredParams: { alg: number; type: string }[];
  timeout: number;
  excludeCredentials: { id: string; type: string }[];
  authenticatorSelection: { residentKey: string; requireResidentKey: boolean; userVerification: string };
}

async function signIn(stack: TestStack, username: string, password: string, client: AppClient) {
  const out = await stack.cognito.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: client.ClientId,
      AuthParameters: {
        USERNAME: username,
        PASSWORD: password,
        ...(client.ClientSecret ? { SECRET_HASH: hashFor(username, client.ClientId, client.ClientSecret) } : {}),
      },
    }),
  );
  return out.AuthenticationResult?.AccessToken ?? '';
}

describe('Cognito emulator: passkey registration (StartWebAuthnRegistration, CompleteWebAuthnRegistration)', () => {
  let stack: TestStack;
  let AccessToken: string;
  before(async () => {
    stack = await startTestStack();
    AccessToken = await signIn(stack, 'bob', 'Bob-Passw0rd!', stack.publicClient);
  });
  after(() => stack.close());

  const start = async (token = AccessToken) => {
    const out = await stack.cognito.send(new StartWebAuthnRegistrationCommand({ AccessToken: token }));
    return out.CredentialCreationOptions as unknown as CreationOptions;
  };
  const complete = (Credential: object, token = AccessToken) =>
    stack.cognito.send(
      new CompleteWebAuthnRegistrationCommand({ AccessToken: token, Credential: Credential as Record<string, never> }),
    );
  const list = async (extra: { MaxResults?: number; NextToken?: string } = {}) =>
    stack.cognito.send(new ListWebAuthnCredentialsCommand({ AccessToken, ...extra }));

  it('the walkthrough pool has passkeys for RP ID localhost, user verification preferred', async () => {
    const out = await stack.cognito.send(new GetUserPoolMfaConfigCommand({ UserPoolId: stack.poolId }));
    assert.deepEqual(out.WebAuthnConfiguration, { RelyingPartyId: 'localhost', UserVerification: 'preferred' });
  });

  it('answers creation options for the user: RP, user handle from the sub, ES256 and RS256, a discoverable key', async () => {
    const options = await start();
    const bob = stack.pool().users.get('bob');
    assert.equal(options.rp.id, 'localhost');
    assert.equal(options.user.id, Buffer.from(bob?.sub ?? '').toString('base64url'));
    assert.equal(options.user.name, 'bob');
    assert.match(options.challenge, /^[A-Za-z0-9_-]{32,}$/);
    assert.deepEqual(
      options.pubKeyCredParams.map((p) => p.alg),
      [-7, -257],
    );
    assert.deepEqual(options.excludeCredentials, []);
    assert.equal(options.authenticatorSelection.residentKey, 'required');
    assert.equal(options.authenticatorSelection.userVerification, 'preferred');
    assert.ok(options.timeout > 0);
    assert.notEqual((await start()).challenge, options.challenge);
  });

  it('refuses a passkey made at another origin', async () => {
    const options = await start();
    const err = await rejection(() =>
      complete(new SoftwarePasskey().register(options, { origin: 'https://evil.test' })),
    );
    assert.equal(err.name, 'WebAuthnOriginNotAllowedException');
  });

  it('refuses a passkey bound to another relying party', async () => {
    const options = await start();
    const made = new SoftwarePasskey().register(options, { origin: ORIGIN, rpId: 'example.com' });
    const err = await rejection(() => complete(made));
    assert.equal(err.name, 'WebAuthnRelyingPartyMismatchException');
  });

  it('refuses a challenge the pool never gave, and one that lapsed', async () => {
    const options = await start();
    const forged = new SoftwarePasskey().register(options, { origin: ORIGIN, challenge: 'bm90LWEtY2hhbGxlbmdl' });
    assert.equal((await rejection(() => complete(forged))).name, 'WebAuthnChallengeNotFoundException');
    const fresh = await start();
    stack.clock.advance(10 * 60_000);
    const late = new SoftwarePasskey().register(fresh, { origin: ORIGIN });
    assert.equal((await rejection(() => complete(late))).name, 'WebAuthnChallengeNotFoundException');
  });

  it('refuses to finish with a token of another app client than the one that started', async () => {
    const options = await start();
    const other = await signIn(stack, 'bob', 'Bob-Passw0rd!', stack.secretClient);
    const made = new SoftwarePasskey().register(options, { origin: ORIGIN });
    assert.equal((await rejection(() => complete(made, other))).name, 'WebAuthnClientMismatchException');
  });

  it('stores a verified passkey, lists it, excludes it from the next options, and spends the challenge', async () => {
    const passkey = new SoftwarePasskey();
    const options = await start();
    const made = passkey.register(options, { origin: ORIGIN });
    assert.deepEqual(await complete(made).then(({ $metadata: _m, ...rest }) => rest), {});
    const { Credentials } = await list();
    assert.equal(Credentials?.length, 1);
    const [entry] = Credentials ?? [];
    assert.equal(entry?.CredentialId, passkey.id);
    assert.equal(entry?.RelyingPartyId, 'localhost');
    assert.equal(entry?.AuthenticatorAttachment, 'platform');
    assert.deepEqual(entry?.AuthenticatorTransports, ['internal']);
    assert.ok(entry?.FriendlyCredentialName);
    assert.equal(entry?.CreatedAt?.getTime(), stack.clock());
    assert.equal((await rejection(() => complete(made))).name, 'WebAuthnChallengeNotFoundException');
    const next = await start();
    assert.deepEqual(
      next.excludeCredentials.map((c) => c.id),
      [passkey.id],
    );
  });

  it('pages the list with MaxResults and NextToken, and deletes a passkey by id', async () => {
    const second = new SoftwarePasskey({ attachment: 'cross-platform' });
    await complete(second.register(await start(), { origin: 'https://localhost:8443' }));
    const first = await list({ MaxResults: 1 });
    assert.equal(first.Credentials?.length, 1);
    assert.ok(first.NextToken);
    const rest = await list({ MaxResults: 1, NextToken: first.NextToken });
    assert.equal(rest.Credentials?.[0]?.CredentialId, second.id);
    assert.equal(rest.NextToken, undefined);
    await stack.cognito.send(new DeleteWebAuthnCredentialCommand({ AccessToken, CredentialId: second.id }));
    assert.deepEqual(
      (await list()).Credentials?.map((c) => c.CredentialId),
      [first.Credentials?.[0]?.CredentialId],
    );
    const gone = await rejection(() =>
      stack.cognito.send(new DeleteWebAuthnCredentialCommand({ AccessToken, CredentialId: second.id })),
    );
    assert.equal(gone.name, 'ResourceNotFoundException');
  });

  it('with user verification required, refuses an authenticator that did not verify the user', async () => {
    await stack.cognito.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: stack.poolId,
        MfaConfiguration: 'OPTIONAL',
        SoftwareTokenMfaConfiguration: { Enabled: true },
        WebAuthnConfiguration: { RelyingPartyId: 'localhost', UserVerification: 'required' },
      }),
    );
    const options = await start();
    assert.equal(options.authenticatorSelection.userVerification, 'required');
    const made = new SoftwarePasskey({ userVerified: false }).register(options, { origin: ORIGIN });
    assert.equal((await rejection(() => complete(made))).name, 'WebAuthnCredentialNotSupportedException');
    await stack.cognito.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: stack.poolId,
        MfaConfiguration: 'OPTIONAL',
        SoftwareTokenMfaConfiguration: { Enabled: true },
        WebAuthnConfiguration: { RelyingPartyId: 'localhost', UserVerification: 'preferred' },
      }),
    );
  });

  it('refuses to start without an RP ID, and keeps passkey settings a later MFA change leaves out', async () => {
    await stack.cognito.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: stack.poolId,
        MfaConfiguration: 'OPTIONAL',
        SoftwareTokenMfaConfiguration: { Enabled: true },
        WebAuthnConfiguration: { UserVerification: 'preferred' },
      }),
    );
    assert.equal((await rejection(() => start())).name, 'WebAuthnConfigurationMissingException');
    const out = await stack.cognito.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: stack.poolId,
        MfaConfiguration: 'OPTIONAL',
        SoftwareTokenMfaConfiguration: { Enabled: true },
        WebAuthnConfiguration: { RelyingPartyId: 'localhost' },
      }),
    );
    assert.deepEqual(out.WebAuthnConfiguration, { RelyingPartyId: 'localhost', UserVerification: 'preferred' });
    const kept = await stack.cognito.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: stack.poolId,
        MfaConfiguration: 'OPTIONAL',
        SoftwareTokenMfaConfiguration: { Enabled: true },
      }),
    );
    assert.equal(kept.WebAuthnConfiguration?.RelyingPartyId, 'localhost');
  });
});

interface RequestOptions {
  challenge: string;
  rpId: string;
  allowCredentials: { id: string; type: string; transports?: string[] }[];
  userVerification: string;
  timeout: number;
}

/** Registers a new software passkey for `username` through the API. */
async function registerPasskey(stack: TestStack, token: string, origin = ORIGIN): Promise<SoftwarePasskey> {
  const passkey = new SoftwarePasskey();
  const out = await stack.cognito.send(new StartWebAuthnRegistrationCommand({ AccessToken: token }));
  const options = out.CredentialCreationOptions as unknown as CreationOptions;
  const Credential = passkey.register(options, { origin }) as unknown as Record<string, never>;
  await stack.cognito.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: token, Credential }));
  return passkey;
}

/** Starts USER_AUTH for `username` with PREFERRED_CHALLENGE WEB_AUTHN: the Session and CREDENTIAL_REQUEST_OPTIONS. */
async function raise(stack: TestStack, username: string) {
  const out = await stack.cognito.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_AUTH',
      ClientId: stack.publicClient.ClientId,
      AuthParameters: { USERNAME: username, PREFERRED_CHALLENGE: 'WEB_AUTHN' },
    }),
  );
  assert.equal(out.ChallengeName, 'WEB_AUTHN');
  const options = JSON.parse(out.ChallengeParameters?.['CREDENTIAL_REQUEST_OPTIONS'] ?? '') as RequestOptions;
  return { Session: out.Session ?? '', options };
}

describe("Cognito emulator: passkeys need WEB_AUTHN among the pool's first factors", () => {
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack();
  });
  after(() => stack.close());

  it('a pool whose sign-in policy leaves WEB_AUTHN out refuses to start a registration', async () => {
    const { UserPool } = await stack.cognito.send(new CreateUserPoolCommand({ PoolName: 'password-only' }));
    const UserPoolId = UserPool?.Id ?? '';
    assert.deepEqual(UserPool?.Policies?.SignInPolicy?.AllowedFirstAuthFactors, ['PASSWORD']);
    await stack.cognito.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId,
        MfaConfiguration: 'OFF',
        WebAuthnConfiguration: { RelyingPartyId: 'localhost', UserVerification: 'preferred' },
      }),
    );
    const { UserPoolClient } = await stack.cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId,
        ClientName: 'app',
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'],
      }),
    );
    await stack.cognito.send(new AdminCreateUserCommand({ UserPoolId, Username: 'pat', MessageAction: 'SUPPRESS' }));
    await stack.cognito.send(
      new AdminSetUserPasswordCommand({ UserPoolId, Username: 'pat', Password: 'Pat-Passw0rd!', Permanent: true }),
    );
    const client = stack.state.pools.get(UserPoolId)?.clients.get(UserPoolClient?.ClientId ?? '');
    assert.ok(client);
    const token = await signIn(stack, 'pat', 'Pat-Passw0rd!', client);
    const err = await rejection(() => stack.cognito.send(new StartWebAuthnRegistrationCommand({ AccessToken: token })));
    assert.equal(err.name, 'WebAuthnNotEnabledException');
  });
});

describe('Cognito emulator: the WEB_AUTHN challenge (a passkey assertion answers it)', () => {
  let stack: TestStack;
  let passkey: SoftwarePasskey;
  before(async () => {
    stack = await startTestStack();
    passkey = await registerPasskey(stack, await signIn(stack, 'alice', 'Alice-Passw0rd!', stack.publicClient));
  });
  after(() => stack.close());

  const answer = (Session: string, CREDENTIAL: string) =>
    stack.cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: stack.publicClient.ClientId,
        ChallengeName: 'WEB_AUTHN',
        Session,
        ChallengeResponses: { USERNAME: 'alice', CREDENTIAL },
      }),
    );

  it('says who has a passkey, so USER_AUTH offers WEB_AUTHN to them only', async () => {
    const pool = stack.pool();
    assert.equal(userHasPasskey(pool, pool.users.get('alice') as never), true);
    assert.equal(userHasPasskey(pool, pool.users.get('bob') as never), false);
    const select = (USERNAME: string) =>
      stack.cognito.send(
        new InitiateAuthCommand({
          AuthFlow: 'USER_AUTH',
          ClientId: stack.publicClient.ClientId,
          AuthParameters: { USERNAME },
        }),
      );
    assert.ok((await select('alice')).AvailableChallenges?.includes('WEB_AUTHN'));
    assert.ok(!(await select('bob')).AvailableChallenges?.includes('WEB_AUTHN'));
  });

  it("sends CREDENTIAL_REQUEST_OPTIONS: a fresh challenge, the RP ID, the user's passkeys, user verification", async () => {
    const { options } = await raise(stack, 'alice');
    assert.equal(options.rpId, 'localhost');
    assert.deepEqual(options.allowCredentials, [{ id: passkey.id, type: 'public-key', transports: ['internal'] }]);
    assert.equal(options.userVerification, 'preferred');
    assert.ok(options.timeout > 0);
    assert.notEqual((await raise(stack, 'alice')).options.challenge, options.challenge);
  });

  it("signs in with an assertion of this session's challenge, and the session is spent", async () => {
    const { Session, options } = await raise(stack, 'alice');
    const credential = passkey.assert(options, { origin: ORIGIN });
    const out = await answer(Session, credential);
    assert.ok(out.AuthenticationResult?.AccessToken);
    assert.equal(out.ChallengeName, undefined);
    const again = await rejection(() => answer(Session, credential));
    assert.equal(again.name, 'NotAuthorizedException');
  });

  it('refuses an assertion whose counter is not above the stored one (a replay or a cloned authenticator)', async () => {
    const { Session, options } = await raise(stack, 'alice');
    const err = await rejection(() =>
      answer(Session, passkey.assert(options, { origin: ORIGIN, counter: passkey.counter })),
    );
    assert.equal(err.name, 'NotAuthorizedException');
    const ok = await answer(Session, passkey.assert(options, { origin: ORIGIN }));
    assert.ok(ok.AuthenticationResult?.AccessToken);
  });

  it('refuses an assertion made at another origin, or for another RP ID', async () => {
    const { Session, options } = await raise(stack, 'alice');
    const origin = await rejection(() => answer(Session, passkey.assert(options, { origin: 'https://evil.test' })));
    assert.equal(origin.name, 'NotAuthorizedException');
    const rp = await rejection(() => answer(Session, passkey.assert(options, { origin: ORIGIN, rpId: 'example.com' })));
    assert.equal(rp.name, 'NotAuthorizedException');
  });

  it("refuses an assertion of another session's challenge, and any answer once the session lapsed", async () => {
    const old = await raise(stack, 'alice');
    const { Session } = await raise(stack, 'alice');
    const stale = await rejection(() => answer(Session, passkey.assert(old.options, { origin: ORIGIN })));
    assert.equal(stale.name, 'NotAuthorizedException');
    const late = await raise(stack, 'alice');
    stack.clock.advance(16 * 60_000);
    const expired = await rejection(() => answer(late.Session, passkey.assert(late.options, { origin: ORIGIN })));
    assert.equal(expired.name, 'NotAuthorizedException');
    assert.equal(expired.message, 'Invalid session for the user, session is expired.');
  });

  it('refuses a passkey the user never registered, and three wrong answers end the session', async () => {
    const { Session, options } = await raise(stack, 'alice');
    const stranger = new SoftwarePasskey();
    for (let i = 0; i < 3; i++) {
      const err = await rejection(() => answer(Session, stranger.assert(options, { origin: ORIGIN })));
      assert.equal(err.name, 'NotAuthorizedException');
    }
    const after = await rejection(() => answer(Session, passkey.assert(options, { origin: ORIGIN })));
    assert.equal(after.message, 'Invalid session for the user, session is expired.');
  });

  it('refuses a CREDENTIAL that is not an assertion, and asks for a missing one', async () => {
    const { Session } = await raise(stack, 'alice');
    assert.equal((await rejection(() => answer(Session, '{"id":1}'))).name, 'NotAuthorizedException');
    const missing = await rejection(() =>
      stack.cognito.send(
        new RespondToAuthChallengeCommand({
          ClientId: stack.publicClient.ClientId,
          ChallengeName: 'WEB_AUTHN',
          Session,
          ChallengeResponses: { USERNAME: 'alice' },
        }),
      ),
    );
    assert.equal(missing.name, 'InvalidParameterException');
  });
});

describe('Cognito emulator: passkeys survive a restart with --state', () => {
  it('keeps the passkey, its public key and counter, and signs in with it after the restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'webauthn-state-'));
    const statePath = join(dir, 'state.json');
    try {
      const first = await startTestStack({ statePath });
      const passkey = await registerPasskey(first, await signIn(first, 'bob', 'Bob-Passw0rd!', first.publicClient));
      await first.close();
      const second = await startTestStack({ statePath });
      try {
        const { Session, options } = await raise(second, 'bob');
        assert.deepEqual(
          options.allowCredentials.map((c) => c.id),
          [passkey.id],
        );
        const out = await second.cognito.send(
          new RespondToAuthChallengeCommand({
            ClientId: second.publicClient.ClientId,
            ChallengeName: 'WEB_AUTHN',
            Session,
            ChallengeResponses: { USERNAME: 'bob', CREDENTIAL: passkey.assert(options, { origin: ORIGIN }) },
          }),
        );
        assert.ok(out.AuthenticationResult?.AccessToken);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
