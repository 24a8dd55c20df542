import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AdminCreateUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { Agent } from 'supertest';
import { agentFor, formToken, lastMessage } from '../support/browserless.js';
import { startBff } from '../support/bff.js';
import type { TestBff } from '../support/bff.js';
import { contextOf, startTestStack } from '../support/stack.js';
import type { TestStack } from '../support/stack.js';

/** Posts a form from a browser at `address`, as a proxy in front of the BFF reports it in X-Forwarded-For. */
async function postFrom(agent: Agent, address: string, action: string, fields: Record<string, string>) {
  const token = (await formToken(agent, action)) ?? '';
  return agent
    .post(action)
    .set('X-Forwarded-For', address)
    .type('form')
    .send({ _csrf: token, ...fields });
}

describe('UserContextData: Cognito threat protection sees each browser’s own address', () => {
  let stack: TestStack;
  const open: TestBff[] = [];
  before(async () => {
    stack = await startTestStack();
  });
  after(async () => {
    for (const bff of open) await bff.close();
    await stack.close();
  });
  const start = async (env: Record<string, string>, client: 'confidential' | 'public' = 'confidential') => {
    const bff = await startBff({ stack, env, client });
    open.push(bff);
    return bff;
  };

  it('without TRUST_PROXY a client-written X-Forwarded-For is ignored: Cognito gets the connection’s address', async () => {
    const bff = await start({});
    const res = await postFrom(agentFor(bff.url), '203.0.113.9', '/login', {
      username: 'alice',
      password: 'Alice-Passw0rd!',
    });
    assert.equal(res.status, 303);
    const context = await contextOf(stack, 'alice');
    assert.equal(context?.operation, 'InitiateAuth');
    assert.equal(context?.ipAddress, '127.0.0.1');
  });

  it('with TRUST_PROXY=1 Cognito gets the address the proxy reported, and the per-IP limit counts that same one', async () => {
    const bff = await start({ TRUST_PROXY: '1', SIGN_IN_LIMIT_PER_IP: '2', SIGN_IN_LIMIT_PER_USERNAME: '100' });
    const signedIn = await postFrom(agentFor(bff.url), '203.0.113.9', '/login', {
      username: 'bob',
      password: 'Bob-Passw0rd!',
    });
    assert.equal(signedIn.status, 303);
    assert.equal((await contextOf(stack, 'bob'))?.ipAddress, '203.0.113.9');

    const fail = (address: string) =>
      postFrom(agentFor(bff.url), address, '/login', { username: 'bob', password: 'Wrong-passw0rd!' });
    assert.equal((await fail('198.51.100.1')).status, 401);
    assert.equal((await fail('198.51.100.1')).status, 401);
    assert.equal((await fail('198.51.100.1')).status, 429, 'that address is over its limit');
    assert.equal((await contextOf(stack, 'bob'))?.ipAddress, '198.51.100.1', 'the failures reached Cognito from it');
    assert.equal((await fail('198.51.100.2')).status, 401, 'another address has a limit of its own');
    assert.equal((await contextOf(stack, 'bob'))?.ipAddress, '198.51.100.2');
    // A dual-stack proxy reports IPv4 clients as IPv4-mapped IPv6; Cognito is told the IPv4 address.
    assert.equal((await fail('::ffff:198.51.100.3')).status, 401);
    assert.equal((await contextOf(stack, 'bob'))?.ipAddress, '198.51.100.3');
  });

  it('a challenge answer carries the address of the browser that answers it', async () => {
    const bff = await start({ TRUST_PROXY: '1' });
    await stack.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: stack.poolId,
        Username: 'ctx-temp',
        TemporaryPassword: 'Temp-Passw0rd!',
        MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'email', Value: 'ctx-temp@example.com' }],
      }),
    );
    const agent = agentFor(bff.url);
    const started = await postFrom(agent, '203.0.113.20', '/login', {
      username: 'ctx-temp',
      password: 'Temp-Passw0rd!',
    });
    assert.equal(started.headers['location'], '/login/new-password');
    assert.equal((await contextOf(stack, 'ctx-temp'))?.ipAddress, '203.0.113.20');
    const answered = await postFrom(agent, '203.0.113.21', '/login/new-password', {
      newPassword: 'Fresh-Passw0rd!',
      confirmPassword: 'Fresh-Passw0rd!',
    });
    assert.equal(answered.status, 303);
    assert.equal(answered.headers['location'], '/');
    const context = await contextOf(stack, 'ctx-temp');
    assert.equal(context?.operation, 'RespondToAuthChallenge');
    assert.equal(context?.ipAddress, '203.0.113.21');
  });

  it('sign-up, its confirmation, a forgotten password and its reset carry it too; EncodedData only when plausible', async () => {
    const bff = await start({ TRUST_PROXY: '1' });
    const agent = agentFor(bff.url);
    const signedUp = await postFrom(agent, '203.0.113.30', '/signup', {
      username: 'ctx-new',
      attr_email: 'ctx-new@example.com',
      newPassword: 'Ctx-Passw0rd!',
      confirmPassword: 'Ctx-Passw0rd!',
      contextData: 'eyJmaW5nZXJwcmludCI6MX0=',
    });
    assert.equal(signedUp.status, 303);
    assert.deepEqual(
      { ...(await contextOf(stack, 'ctx-new')), at: 0 },
      {
        operation: 'SignUp',
        clientId: bff.config.cognito.clientId,
        ipAddress: '203.0.113.30',
        encodedData: 'eyJmaW5nZXJwcmludCI6MX0=',
        at: 0,
      },
    );
    const code = (await lastMessage(stack.outboxUrl, 'ctx-new'))?.code ?? '';
    const confirmed = await postFrom(agent, '203.0.113.31', '/signup/confirm', {
      username: 'ctx-new',
      code,
      contextData: '<script>alert(1)</script>',
    });
    assert.equal(confirmed.status, 303, 'an implausible contextData is ignored, not an error');
    const afterConfirm = await contextOf(stack, 'ctx-new');
    assert.ok(['ConfirmSignUp', 'InitiateAuth'].includes(afterConfirm?.operation ?? ''), afterConfirm?.operation);
    assert.equal(afterConfirm?.ipAddress, '203.0.113.31');
    assert.equal(afterConfirm?.encodedData, undefined);

    const forgot = await postFrom(agent, '203.0.113.32', '/password/forgot', {
      username: 'ctx-new',
      contextData: 'A'.repeat(8193),
    });
    assert.equal(forgot.status, 303);
    const forgotContext = await contextOf(stack, 'ctx-new');
    assert.equal(forgotContext?.operation, 'ForgotPassword');
    assert.equal(forgotContext?.ipAddress, '203.0.113.32');
    assert.equal(forgotContext?.encodedData, undefined, 'over 8 KB is ignored');

    const resetCode = (await lastMessage(stack.outboxUrl, 'ctx-new'))?.code ?? '';
    const reset = await postFrom(agent, '203.0.113.33', '/password/reset', {
      username: 'ctx-new',
      code: resetCode,
      newPassword: 'Reset-Passw0rd!',
      confirmPassword: 'Reset-Passw0rd!',
    });
    assert.equal(reset.status, 303);
    const resetContext = await contextOf(stack, 'ctx-new');
    assert.equal(resetContext?.operation, 'ConfirmForgotPassword');
    assert.equal(resetContext?.ipAddress, '203.0.113.33');
  });

  it('through a client without EnablePropagateAdditionalUserContextData Cognito uses the BFF’s own address', async () => {
    const bff = await start({ TRUST_PROXY: '1' }, 'public');
    const res = await postFrom(agentFor(bff.url), '203.0.113.40', '/login', {
      username: 'alice',
      password: 'Alice-Passw0rd!',
    });
    assert.equal(res.status, 303);
    const context = await contextOf(stack, 'alice');
    assert.equal(context?.clientId, stack.publicClient.ClientId);
    assert.equal(context?.ipAddress, '127.0.0.1', 'the sent address is not believed');
  });
});
