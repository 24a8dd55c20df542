import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CompleteWebAuthnRegistrationCommand,
  DeleteWebAuthnCredentialCommand,
  GetUserPoolMfaConfigCommand,
  InitiateAuthCommand,
  ListWebAuthnCredentialsCommand,
  SetUserPoolMfaConfigCommand,
  StartWebAuthnRegistrationCommand,
} from '@aws-sdk/client-cognito-identity-provider';
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
