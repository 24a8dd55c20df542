import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateUserPoolClientCommand, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { SignJWT, decodeJwt, generateKeyPair } from 'jose';
import { fingerprint, redactCredential } from '../../src/lambda/redact.js';
import { loadStackConfig, stackConfigSchema } from '../../src/emulator/config.js';
import { hashFor, startTestStack } from '../support/stack.js';
import { readJson } from '../support/http.js';
import type { TestStack } from '../support/stack.js';

describe('API Gateway emulator with the Cognito authorizer', () => {
  let stack: TestStack;
  let other: TestStack;
  let tokens: { id: string; access: string };
  before(async () => {
    [stack, other] = await Promise.all([startTestStack(), startTestStack()]);
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
    tokens = { id: out.AuthenticationResult?.IdToken ?? '', access: out.AuthenticationResult?.AccessToken ?? '' };
  });
  after(() => Promise.all([stack.close(), other.close()]));

  const call = (path: string, authorization?: string, init: RequestInit = {}) =>
    fetch(`${stack.apiBaseUrl}${path}`, {
      method: 'POST',
      ...init,
      headers: { ...(authorization ? { authorization } : {}), ...(init.headers as Record<string, string>) },
    });

  /** A new app client of the pool, and alice's sign-in through it. */
  async function aliceThroughNewClient(name: string) {
    const { UserPoolClient } = await stack.cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: stack.poolId,
        ClientName: name,
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    const clientId = UserPoolClient?.ClientId ?? '';
    const out = await stack.cognito.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: clientId,
        AuthParameters: { USERNAME: 'alice', PASSWORD: 'Alice-Passw0rd!' },
      }),
    );
    return { clientId, result: out.AuthenticationResult };
  }

  it('runs the walkthrough: POST /test/ with Bearer <IdToken> answers "Hello from Lambda!"', async () => {
    const res = await call('/', `Bearer ${tokens.id}`);
    assert.equal(res.status, 200);
    assert.equal(await readJson(res), 'Hello from Lambda!');
  });

  it('accepts the ID token without the Bearer prefix', async () => {
    const res = await call('/', tokens.id);
    assert.equal(res.status, 200);
  });

  it('answers 401 {"message":"Unauthorized"} for missing, garbage, tampered, wrongly signed, access and other-pool tokens', async () => {
    const [header, payload, signature] = tokens.id.split('.');
    const claims = decodeJwt(tokens.id);
    const forgedPayload = Buffer.from(JSON.stringify({ ...claims, 'cognito:groups': ['root'] })).toString('base64url');
    const otherOut = await other.cognito.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: other.publicClient.ClientId,
        AuthParameters: { USERNAME: 'bob', PASSWORD: 'Bob-Passw0rd!' },
      }),
    );
    const { privateKey } = await generateKeyPair('RS256');
    const selfSigned = await new SignJWT({ ...claims }).setProtectedHeader({ alg: 'RS256', kid: 'x' }).sign(privateKey);
    const cases: [string, string | undefined][] = [
      ['missing', undefined],
      ['garbage', 'Bearer not-a-token'],
      ['tampered', `Bearer ${header}.${forgedPayload}.${signature}`],
      ['bad signature', `Bearer ${header}.${payload}.${signature?.slice(0, -4)}AAAA`],
      ['self-signed', `Bearer ${selfSigned}`],
      ['access token', `Bearer ${tokens.access}`],
      ['other pool', `Bearer ${otherOut.AuthenticationResult?.IdToken}`],
    ];
    for (const [name, authorization] of cases) {
      const res = await call('/', authorization);
      assert.equal(res.status, 401, name);
      assert.deepEqual(await readJson(res), { message: 'Unauthorized' }, name);
    }
  });

  it('refuses an expired ID token', async () => {
    const late = await startTestStack();
    try {
      const out = await late.cognito.send(
        new InitiateAuthCommand({
          AuthFlow: 'USER_PASSWORD_AUTH',
          ClientId: late.publicClient.ClientId,
          AuthParameters: { USERNAME: 'alice', PASSWORD: 'Alice-Passw0rd!' },
        }),
      );
      const id = out.AuthenticationResult?.IdToken ?? '';
      assert.equal(
        (await fetch(`${late.apiBaseUrl}/`, { method: 'POST', headers: { authorization: id } })).status,
        200,
      );
      late.clock.advance(3600_000 + 1000);
      const res = await fetch(`${late.apiBaseUrl}/`, { method: 'POST', headers: { authorization: id } });
      assert.equal(res.status, 401);
      assert.deepEqual(await readJson(res), { message: 'Unauthorized' });
    } finally {
      await late.close();
    }
  });

  it('refuses an ID token whose aud is not one of the pool app clients', async () => {
    const { clientId, result } = await aliceThroughNewClient('late-client');
    const id = result?.IdToken ?? '';
    assert.equal((await call('/', id)).status, 200, 'a client of the pool is accepted');
    stack.pool().clients.delete(clientId);
    assert.equal((await call('/', id)).status, 401, 'once the client is gone, its tokens are not');
  });

  it('answers 403 Missing Authentication Token for a path or stage with no route', async () => {
    for (const url of [`${stack.apiBaseUrl}/nothing-here`, stack.apiBaseUrl.replace('/test', '/prod/')]) {
      const res = await fetch(url, { method: 'POST', headers: { authorization: tokens.id } });
      assert.equal(res.status, 403);
      assert.deepEqual(await readJson(res), { message: 'Missing Authentication Token' });
    }
  });

  it('gives the Lambda a payload 1.0 event with claims as strings and groups comma-separated', async () => {
    const res = await call('/echo/items/42?color=red&color=blue&size=L', tokens.id, {
      method: 'PUT',
      body: JSON.stringify({ hello: 'world' }),
      headers: {
        'content-type': 'application/json',
        'x-trace': 'abc',
        'x-api-key': 'api-key-0123456789',
        'x-amz-security-token': 'session-token-0123456789',
      },
    });
    assert.equal(res.status, 200);
    const event = await readJson(res);
    assert.equal(event.method, 'PUT');
    assert.equal(event.path, '/echo/items/42');
    assert.deepEqual(event.query, { color: 'blue', size: 'L' });
    assert.deepEqual(event.headers['x-trace'], ['abc']);
    // Credentials come back as fingerprints: the echo's answer may reach a browser.
    assert.deepEqual(event.headers['authorization'], [redactCredential(tokens.id)]);
    assert.deepEqual(event.headers['x-api-key'], [fingerprint('api-key-0123456789')]);
    assert.deepEqual(event.headers['x-amz-security-token'], [fingerprint('session-token-0123456789')]);
    assert.ok(!JSON.stringify(event).includes(tokens.id.split('.')[1] ?? tokens.id), 'no part of the token');
    assert.equal(event.body, '{"hello":"world"}');
    assert.equal(event.isBase64Encoded, false);
    assert.equal(event.claims['cognito:username'], 'bob');
    assert.equal(event.claims['cognito:groups'], 'admins,readers');
    assert.equal(event.claims['email_verified'], 'true');
    assert.match(event.claims['exp'], /^\w{3} \w{3} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4}$/);
    for (const value of Object.values(event.claims)) assert.equal(typeof value, 'string');
  });

  it('passes a single group as a bare string and answers who called', async () => {
    const demo = await stack.cognito.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: stack.publicClient.ClientId,
        AuthParameters: { USERNAME: 'bob', PASSWORD: 'Bob-Passw0rd!' },
      }),
    );
    stack.pool().users.get('bob')?.groups.splice(1);
    const single = await stack.cognito.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: stack.publicClient.ClientId,
        AuthParameters: { USERNAME: 'bob', PASSWORD: 'Bob-Passw0rd!' },
      }),
    );
    const who = await readJson(await call('/whoami', single.AuthenticationResult?.IdToken, { method: 'GET' }));
    assert.deepEqual(who.groups, ['admins']);
    assert.equal(who.username, 'bob');
    assert.equal(who.email, 'bob@example.com');
    const echoed = await readJson(await call('/echo', single.AuthenticationResult?.IdToken));
    assert.equal(echoed.claims['cognito:groups'], 'admins');
    assert.ok(demo.AuthenticationResult?.IdToken);
  });

  it('sends bytes that are not UTF-8 base64-encoded', async () => {
    const res = await call('/echo', tokens.id, { body: new Uint8Array([0xff, 0xfe, 0x00, 0x41]) });
    const event = await readJson(res);
    assert.equal(event.isBase64Encoded, true);
    assert.equal(event.body, Buffer.from([0xff, 0xfe, 0x00, 0x41]).toString('base64'));
  });

  describe('a method with AuthorizationScopes (ANY /profile, aws.cognito.signin.user.admin)', () => {
    it('takes the access token and gives the Lambda its claims', async () => {
      const res = await call('/profile', `Bearer ${tokens.access}`, { method: 'GET' });
      assert.equal(res.status, 200);
      const who = await readJson(res);
      assert.equal(who.username, 'bob');
      assert.equal(who.tokenUse, 'access');
      assert.deepEqual(who.scopes, ['aws.cognito.signin.user.admin']);
      assert.deepEqual(who.groups, ['admins', 'readers']);
      assert.equal(who.email, null, 'an access token carries no attributes');
      assert.equal(who.sub, decodeJwt(tokens.access).sub);
    });

    it('refuses the ID token, and an access token from another pool or expired', async () => {
      const otherOut = await other.cognito.send(
        new InitiateAuthCommand({
          AuthFlow: 'USER_PASSWORD_AUTH',
          ClientId: other.publicClient.ClientId,
          AuthParameters: { USERNAME: 'bob', PASSWORD: 'Bob-Passw0rd!' },
        }),
      );
      const cases: [string, string][] = [
        ['ID token', `Bearer ${tokens.id}`],
        ['other pool', `Bearer ${otherOut.AuthenticationResult?.AccessToken}`],
      ];
      for (const [name, authorization] of cases) {
        const res = await call('/profile', authorization, { method: 'GET' });
        assert.equal(res.status, 401, name);
        assert.deepEqual(await readJson(res), { message: 'Unauthorized' }, name);
      }

      stack.clock.advance(3600_000 + 1000);
      try {
        const res = await call('/profile', `Bearer ${tokens.access}`, { method: 'GET' });
        assert.equal(res.status, 401, 'expired');
      } finally {
        stack.clock.advance(-(3600_000 + 1000));
      }
    });

    it('refuses an access token once its app client is gone', async () => {
      const { clientId, result } = await aliceThroughNewClient('short-lived');
      const access = `Bearer ${result?.AccessToken}`;
      assert.equal((await call('/profile', access)).status, 200);
      stack.pool().clients.delete(clientId);
      assert.equal((await call('/profile', access)).status, 401);
    });
  });

  describe('methods the walkthrough does not have', () => {
    let custom: TestStack;
    before(async () => {
      const config = loadStackConfig();
      config.api.routes.push(
        { method: 'GET', resource: '/open', handler: 'echo', authorizer: false },
        { method: 'GET', resource: '/orders', handler: 'whoami', authorizer: true, scopes: ['orders/read', 'admin'] },
      );
      custom = await startTestStack({ config });
    });
    after(() => custom.close());

    it('calls a method without the authorizer with no Authorization header and no claims', async () => {
      const res = await fetch(`${custom.apiBaseUrl}/open`);
      assert.equal(res.status, 200);
      const event = await readJson(res);
      assert.equal(event.claims, null);
      assert.equal(event.headers['authorization'], undefined);
      const withToken = await fetch(`${custom.apiBaseUrl}/open`, { headers: { authorization: 'Bearer not-a-token' } });
      assert.equal(withToken.status, 200, 'the header is not checked on a method without the authorizer');
      assert.equal((await readJson(withToken)).claims, null);
    });

    it('refuses a valid access token whose scope matches none of the method scopes', async () => {
      const out = await custom.cognito.send(
        new InitiateAuthCommand({
          AuthFlow: 'USER_PASSWORD_AUTH',
          ClientId: custom.publicClient.ClientId,
          AuthParameters: { USERNAME: 'alice', PASSWORD: 'Alice-Passw0rd!' },
        }),
      );
      const access = `Bearer ${out.AuthenticationResult?.AccessToken}`;
      assert.equal((await fetch(`${custom.apiBaseUrl}/profile`, { headers: { authorization: access } })).status, 200);
      const res = await fetch(`${custom.apiBaseUrl}/orders`, { headers: { authorization: access } });
      assert.equal(res.status, 401);
      assert.deepEqual(await readJson(res), { message: 'Unauthorized' });
    });
  });

  it('refuses a stack file giving scopes to a method without the authorizer', () => {
    const bad = structuredClone(loadStackConfig());
    bad.api.routes.push({ method: 'GET', resource: '/x', handler: 'echo', authorizer: false, scopes: ['a'] });
    assert.equal(stackConfigSchema.safeParse(bad).success, false);
  });
});
