import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminResetUserPasswordCommand,
  AdminSetUserPasswordCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { agentFor, lastMessage, pageMessages, postForm } from '../support/browserless.js';
import { startBff } from '../support/bff.js';
import type { TestBff } from '../support/bff.js';

const NEW_PASSWORD = 'Fresh-Passw0rd!';
const RESET_SENT =
  'If an account exists with that username, we have sent a code to its email address or phone. Enter it below with a new password.';
/** A page as two visitors would compare it: without the per-visitor anti-forgery token and typed username. */
const normalise = (html: string, username: string) =>
  html.replace(/name="_csrf" value="[^"]+"/g, '').replaceAll(`value="${username}"`, 'value=""');

describe('forgotten password: /password/forgot → code from the outbox → /password/reset → sign in', () => {
  let bff: TestBff;
  before(async () => {
    bff = await startBff();
  });
  after(() => bff.close());

  const forgot = async (username: string, agent = agentFor(bff.url)) => {
    const res = await postForm(agent, '/password/forgot', { username });
    const page = await agent.get('/password/reset');
    return { res, page };
  };

  it('sends a code, takes it with a new password, and the new password signs in', async () => {
    const agent = agentFor(bff.url);
    const { res, page } = await forgot('bob', agent);
    assert.equal(res.status, 303);
    assert.equal(res.headers['location'], '/password/reset');
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.equal(pageMessages(page.text).notice, RESET_SENT);
    assert.match(page.text, /name="username"[^>]*value="bob"/);
    const message = await lastMessage(bff.stack.outboxUrl, 'bob');
    assert.equal(message?.kind, 'FORGOT_PASSWORD');

    const wrong = await postForm(agent, '/password/reset', {
      username: 'bob',
      code: message.code === '111111' ? '222222' : '111111',
      newPassword: NEW_PASSWORD,
      confirmPassword: NEW_PASSWORD,
    });
    assert.equal(wrong.status, 400);
    assert.equal(pageMessages(wrong.text).error, 'That code is not right. Check it and try again.');
    assert.match(wrong.text, /value="bob"/, 'the username is kept');
    assert.doesNotMatch(wrong.text, new RegExp(NEW_PASSWORD), 'the password is not');

    const weak = await postForm(agent, '/password/reset', {
      username: 'bob',
      code: message.code,
      newPassword: 'short',
      confirmPassword: 'short',
    });
    assert.equal(weak.status, 400);
    assert.match(pageMessages(weak.text).error ?? '', /^Password does not conform to policy/);

    const ok = await postForm(agent, '/password/reset', {
      username: 'bob',
      code: message.code,
      newPassword: NEW_PASSWORD,
      confirmPassword: NEW_PASSWORD,
    });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers['location'], '/login');
    const login = await agent.get('/login');
    assert.equal(pageMessages(login.text).notice, 'Your password has been changed. Sign in with your new password.');
    assert.match(login.text, /name="username"[^>]*value="bob"/);
    assert.equal(
      (await postForm(agentFor(bff.url), '/login', { username: 'bob', password: 'Bob-Passw0rd!' })).status,
      401,
    );
    assert.equal(
      (await postForm(agentFor(bff.url), '/login', { username: 'bob', password: NEW_PASSWORD })).status,
      303,
    );

    const reused = await postForm(agentFor(bff.url), '/password/reset', {
      username: 'bob',
      code: message.code,
      newPassword: 'Other-Passw0rd!',
      confirmPassword: 'Other-Passw0rd!',
    });
    assert.equal(reused.status, 400, 'a code works once');
    const logs = bff.logs.join('\n');
    assert.ok(!logs.includes(NEW_PASSWORD), 'the new password is never logged');
    assert.ok(!logs.includes(message.code), 'nor the code');
  });

  it('never tells whether the account exists: an unknown user and one without a verified email read the same', async () => {
    await bff.stack.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: bff.stack.poolId,
        Username: 'hal',
        UserAttributes: [{ Name: 'email', Value: 'hal@example.com' }],
        MessageAction: 'SUPPRESS',
      }),
    );
    await bff.stack.cognito.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: bff.stack.poolId,
        Username: 'hal',
        Password: 'Hal-Passw0rd!',
        Permanent: true,
      }),
    );
    const real = await forgot('alice');
    const unknown = await forgot('nobody-here');
    const unverified = await forgot('hal');
    const neverSignedIn = await forgot('demo');
    for (const other of [unknown, unverified, neverSignedIn]) {
      assert.equal(other.res.status, real.res.status);
      assert.equal(other.res.headers['location'], real.res.headers['location']);
      assert.equal(other.page.status, real.page.status);
    }
    assert.equal(normalise(unknown.page.text, 'nobody-here'), normalise(real.page.text, 'alice'));
    assert.equal(normalise(unverified.page.text, 'hal'), normalise(real.page.text, 'alice'));
    assert.equal(normalise(neverSignedIn.page.text, 'demo'), normalise(real.page.text, 'alice'));
    assert.equal(await lastMessage(bff.stack.outboxUrl, 'nobody-here'), undefined, 'nothing was sent');
    assert.equal(await lastMessage(bff.stack.outboxUrl, 'hal'), undefined);
  });

  it('says a code has expired after an hour', async () => {
    const agent = agentFor(bff.url);
    await forgot('alice', agent);
    const message = await lastMessage(bff.stack.outboxUrl, 'alice');
    bff.stack.clock.advance(3_600_000 + 1000);
    const res = await postForm(agent, '/password/reset', {
      username: 'alice',
      code: message?.code ?? '',
      newPassword: NEW_PASSWORD,
      confirmPassword: NEW_PASSWORD,
    });
    assert.equal(res.status, 400);
    assert.equal(pageMessages(res.text).error, 'That code has expired. Ask for a new one.');
  });

  it('sends a user whose password an administrator reset to the reset page, where the code works', async () => {
    await bff.stack.cognito.send(
      new AdminResetUserPasswordCommand({ UserPoolId: bff.stack.poolId, Username: 'alice' }),
    );
    const agent = agentFor(bff.url);
    const res = await postForm(agent, '/login', { username: 'alice', password: 'Alice-Passw0rd!' });
    assert.equal(res.status, 303);
    assert.equal(res.headers['location'], '/password/reset');
    const page = await agent.get('/password/reset');
    assert.equal(
      pageMessages(page.text).notice,
      'Your password must be reset before you can sign in. Enter the code we sent you and choose a new password, or ask for a new code.',
    );
    const message = await lastMessage(bff.stack.outboxUrl, 'alice');
    assert.equal(message?.kind, 'FORGOT_PASSWORD');
    const ok = await postForm(agent, '/password/reset', {
      username: 'alice',
      code: message.code,
      newPassword: NEW_PASSWORD,
      confirmPassword: NEW_PASSWORD,
    });
    assert.equal(ok.status, 303);
    assert.equal(
      (await postForm(agentFor(bff.url), '/login', { username: 'alice', password: NEW_PASSWORD })).status,
      303,
    );
  });
});

describe('brute force on codes: sending and checking are limited per username', () => {
  let bff: TestBff;
  before(async () => {
    bff = await startBff({ env: { CODE_SEND_LIMIT_PER_USERNAME: '2', SIGN_IN_LIMIT_PER_USERNAME: '3' } });
  });
  after(() => bff.close());

  it('a third code request for one username gets 429 with Retry-After, on the same form', async () => {
    const agent = agentFor(bff.url);
    assert.equal((await postForm(agent, '/password/forgot', { username: 'bob' })).status, 303);
    assert.equal((await postForm(agent, '/password/forgot', { username: 'bob' })).status, 303);
    const third = await postForm(agent, '/password/forgot', { username: 'bob' });
    assert.equal(third.status, 429);
    assert.match(String(third.headers['retry-after']), /^\d+$/);
    assert.match(pageMessages(third.text).error ?? '', /^Too many attempts\. Try again in \d+ minutes?\.$/);
    assert.match(third.text, /action="\/password\/forgot"/);
    assert.equal((await postForm(agent, '/password/forgot', { username: 'alice' })).status, 303, 'others still can');
  });

  it('a fourth wrong code for one username gets 429, and the right code is not even tried', async () => {
    const agent = agentFor(bff.url);
    await postForm(agent, '/password/forgot', { username: 'alice' }).catch(() => undefined);
    const message = await lastMessage(bff.stack.outboxUrl, 'alice');
    const attempt = (code: string) =>
      postForm(agent, '/password/reset', {
        username: 'alice',
        code,
        newPassword: NEW_PASSWORD,
        confirmPassword: NEW_PASSWORD,
      });
    const wrong = message?.code === '000001' ? '000002' : '000001';
    for (let i = 0; i < 3; i++) assert.equal((await attempt(wrong)).status, 400);
    const blocked = await attempt(message?.code ?? '');
    assert.equal(blocked.status, 429);
    assert.match(String(blocked.headers['retry-after']), /^\d+$/);
    assert.equal(
      (await postForm(agentFor(bff.url), '/login', { username: 'alice', password: NEW_PASSWORD })).status,
      401,
    );
  });
});
