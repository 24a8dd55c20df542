import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import {
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config/config.js';
import { buildDeps } from '../../src/deps.js';
import { createLogger } from '../../src/http/logger.js';
import { createBffServer } from '../../src/server.js';
import { agentFor } from '../support/browserless.js';
import { startBff } from '../support/bff.js';
import type { TestBff } from '../support/bff.js';
import { awsModeEnv } from '../support/bff-process.js';
import { fakeHttp } from '../support/faults.js';
import { hashFor, startTestStack } from '../support/stack.js';
import type { TestStack } from '../support/stack.js';

const FOOTER_LINK = /<a href="\/local\/outbox">Outbox \(local mode\)<\/a>/;
const NO_STACK_TRACE = /ECONNREFUSED|TimeoutError|fetch failed|at \w+ \(|node_modules/;

/** Signs a user up for real, through the AWS SDK and the pool's confidential client: the pool "sends" a code. */
async function signUp(stack: TestStack, username: string, email: string): Promise<void> {
  const { ClientId, ClientSecret } = stack.secretClient;
  await stack.cognito.send(
    new SignUpCommand({
      ClientId,
      SecretHash: hashFor(username, ClientId, ClientSecret),
      Username: username,
      Password: 'Erin-Passw0rd!',
      UserAttributes: [{ Name: 'email', Value: email }],
    }),
  );
}

/** The code the emulator's own outbox holds for a user (newest), read independently of the page. */
async function codeFor(stack: TestStack, username: string): Promise<string> {
  const res = await fetch(`${stack.outboxUrl}?username=${encodeURIComponent(username)}`);
  const { messages } = (await res.json()) as { messages: { code: string }[] };
  const code = messages.at(-1)?.code;
  assert.ok(code, `a code for ${username}`);
  return code;
}

describe('local mode: the outbox page', () => {
  let bff: TestBff;
  before(async () => {
    bff = await startBff();
  });
  after(() => bff.close());

  it('says the outbox is empty before anything was sent, without caching', async () => {
    const res = await agentFor(bff.url).get('/local/outbox');
    assert.equal(res.status, 200);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.match(res.text, /Local mode only: messages the local Cognito would have sent by email or SMS\./);
    assert.match(res.text, /The outbox is empty/);
  });

  it('shows a sign-up code, its full destination and its text, newest first', async () => {
    await signUp(bff.stack, 'erin', 'erin.local@example.com');
    await signUp(bff.stack, 'frank', 'frank.local@example.com');
    const erin = await codeFor(bff.stack, 'erin');
    const frank = await codeFor(bff.stack, 'frank');
    const res = await agentFor(bff.url).get('/local/outbox');
    assert.equal(res.status, 200);
    assert.match(res.text, new RegExp(`Code <strong>${erin}</strong>`));
    assert.match(res.text, new RegExp(`Code <strong>${frank}</strong>`));
    assert.match(res.text, /erin\.local@example\.com \(email\)/, 'the whole address, not c***@e***');
    assert.match(res.text, /Sign-up code/);
    assert.doesNotMatch(res.text, />SIGN_UP</);
    assert.match(res.text, new RegExp(`Your verification code is ${erin}\\.`));
    assert.ok(res.text.indexOf('frank.local@') < res.text.indexOf('erin.local@'), 'newest first');
  });

  it('narrows the list to one user with ?username=', async () => {
    const res = await agentFor(bff.url).get('/local/outbox?username=frank');
    assert.equal(res.status, 200);
    assert.match(res.text, /frank\.local@example\.com/);
    assert.doesNotMatch(res.text, /erin\.local@example\.com/);
    assert.match(res.text, /value="frank"/, 'the filter is kept in its field');
    const nobody = await agentFor(bff.url).get('/local/outbox?username=nobody');
    assert.match(nobody.text, /No messages for nobody\./);
  });

  it("shows only this pool's messages", async () => {
    const { UserPool } = await bff.stack.cognito.send(
      new CreateUserPoolCommand({ PoolName: 'elsewhere', AutoVerifiedAttributes: ['email'] }),
    );
    const { UserPoolClient } = await bff.stack.cognito.send(
      new CreateUserPoolClientCommand({ UserPoolId: UserPool?.Id, ClientName: 'other-app' }),
    );
    await bff.stack.cognito.send(
      new SignUpCommand({
        ClientId: UserPoolClient?.ClientId,
        Username: 'otto',
        Password: 'Otto-Passw0rd!',
        UserAttributes: [{ Name: 'email', Value: 'otto.other-pool@example.com' }],
      }),
    );
    await codeFor(bff.stack, 'otto');
    const res = await agentFor(bff.url).get('/local/outbox');
    assert.equal(res.status, 200);
    assert.doesNotMatch(res.text, /otto\.other-pool@example\.com/);
  });

  it('links to the outbox from the footer of every page', async () => {
    for (const path of ['/', '/login', '/no-such-page']) {
      assert.match((await agentFor(bff.url).get(path)).text, FOOTER_LINK, path);
    }
  });
});

describe('local mode: the outbox page when the emulator does not answer', () => {
  it('answers a clear 503 page, no stack trace, when the emulator has stopped', async () => {
    const stack = await startTestStack();
    const bff = await startBff({ stack });
    try {
      await stack.close();
      const res = await agentFor(bff.url).get('/local/outbox');
      assert.equal(res.status, 503);
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.match(res.text, /The local Cognito emulator did not answer/);
      assert.doesNotMatch(res.text, NO_STACK_TRACE);
      assert.equal((await agentFor(bff.url).get('/login')).status, 200, 'the server is still up');
    } finally {
      await bff.close();
    }
  });

  it('gives up on an emulator that accepts the call and never answers', async () => {
    const hanging = await fakeHttp(() => undefined);
    const stack = await startTestStack();
    const bff = await startBff({ stack, cognitoEndpoint: hanging.url });
    try {
      const started = Date.now();
      const res = await agentFor(bff.url).get('/local/outbox');
      assert.equal(res.status, 503);
      assert.ok(Date.now() - started < 5000, 'within the deadline, not the client timeout');
      assert.match(res.text, /The local Cognito emulator did not answer/);
      assert.doesNotMatch(res.text, NO_STACK_TRACE);
    } finally {
      await bff.close();
      await hanging.close();
      await stack.close();
    }
  });
});

describe('AWS mode: no outbox', () => {
  let stack: TestStack;
  let url: string;
  let close: () => Promise<void>;
  before(async () => {
    stack = await startTestStack();
    const config = loadConfig({ LOG_LEVEL: 'silent', ...awsModeEnv(stack) });
    assert.equal(config.mode, 'aws');
    const sink = new Writable({ write: (_chunk, _enc, cb) => cb() });
    const deps = await buildDeps(config, createLogger(config.logLevel, sink));
    const server = createBffServer(deps).listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await deps.close();
    };
  });
  after(async () => {
    await close();
    await stack.close();
  });

  it('answers /local/outbox with the ordinary 404 page, even with messages in the pool', async () => {
    await signUp(stack, 'erin', 'erin.aws@example.com');
    const res = await agentFor(url).get('/local/outbox');
    assert.equal(res.status, 404);
    assert.match(res.text, /Page not found/);
    assert.doesNotMatch(res.text, /erin\.aws@example\.com/);
  });

  it('has no outbox link in the footer', async () => {
    for (const path of ['/', '/login', '/no-such-page']) {
      assert.doesNotMatch((await agentFor(url).get(path)).text, /Outbox/, path);
    }
  });
});
