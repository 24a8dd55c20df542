import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { agentFor, pageMessages, postForm, signIn } from '../support/browserless.js';
import { startBff } from '../support/bff.js';
import { fakeHttp, switchableProxy } from '../support/faults.js';
import type { Switchable } from '../support/faults.js';
import { startTestStack } from '../support/stack.js';
import type { TestStack } from '../support/stack.js';

const STACK_TRACE = /ECONNREFUSED|AbortError|at \w+ \(|node_modules|TimeoutError/;
const UNAVAILABLE = 'The service is temporarily unavailable. Please try again shortly.';

describe('account journeys when Cognito is down, hung or limiting', () => {
  let stack: TestStack;
  let gate: Switchable;
  before(async () => {
    stack = await startTestStack();
    gate = await switchableProxy(stack.cognitoEndpoint);
  });
  after(async () => {
    await gate.close();
    await stack.close();
  });

  it('sign out everywhere with Cognito unreachable: signed out here, and told that other apps may still be', async () => {
    const bff = await startBff({ stack, cognitoEndpoint: gate.url, env: { COGNITO_TIMEOUT_MS: '1000' } });
    try {
      const one = agentFor(bff.url);
      const two = agentFor(bff.url);
      await signIn(one, 'alice', 'Alice-Passw0rd!');
      await signIn(two, 'alice', 'Alice-Passw0rd!');
      gate.up = false;
      const res = await postForm(one, '/account/sessions/everywhere', {});
      assert.equal(res.status, 200);
      assert.match(res.text, /<h1>You have signed out everywhere<\/h1>/);
      assert.equal(
        pageMessages(res.text).notice,
        'Every session here has been signed out, but Cognito could not be reached to end your sign-ins to other apps. Sign in again and try once more to end those too.',
      );
      assert.doesNotMatch(res.text, STACK_TRACE);
      assert.equal((await one.get('/auth/me')).status, 401);
      assert.equal((await two.get('/auth/me')).status, 401, 'every session here ended all the same');
    } finally {
      gate.up = true;
      await bff.close();
    }
  });

  it('Cognito unreachable: each form answers 503 with Retry-After, keeps what was typed, and shows no stack', async () => {
    const bff = await startBff({ stack, cognitoEndpoint: gate.url });
    try {
      gate.up = false;
      const forms: [string, Record<string, string>][] = [
        [
          '/signup',
          {
            username: 'kim',
            attr_email: 'kim@example.com',
            newPassword: 'Kim-Passw0rd!',
            confirmPassword: 'Kim-Passw0rd!',
          },
        ],
        ['/signup/confirm', { username: 'kim', code: '123456' }],
        ['/password/forgot', { username: 'kim' }],
        [
          '/password/reset',
          { username: 'kim', code: '123456', newPassword: 'Kim-Passw0rd!', confirmPassword: 'Kim-Passw0rd!' },
        ],
      ];
      for (const [action, fields] of forms) {
        const res = await postForm(agentFor(bff.url), action, fields);
        assert.equal(res.status, 503, action);
        assert.ok(res.headers['retry-after'], `${action} says when to try again`);
        assert.equal(pageMessages(res.text).error, UNAVAILABLE, action);
        assert.match(res.text, /name="username"[^>]*value="kim"/, `${action} keeps the username`);
        assert.doesNotMatch(res.text, /Kim-Passw0rd!/, `${action} never echoes the password`);
        assert.doesNotMatch(res.text, STACK_TRACE);
      }
      assert.equal((await agentFor(bff.url).get('/login')).status, 200, 'the server is still up');
    } finally {
      gate.up = true;
      await bff.close();
    }
  });

  it('Cognito unreachable while signed in: the account page is a 503 page, and works again once Cognito is back', async () => {
    const bff = await startBff({ stack, cognitoEndpoint: gate.url });
    try {
      const agent = agentFor(bff.url);
      await signIn(agent, 'alice', 'Alice-Passw0rd!');
      gate.up = false;
      const down = await agent.get('/account');
      assert.equal(down.status, 503);
      assert.ok(down.headers['retry-after']);
      assert.match(down.text, /temporarily unavailable/);
      assert.doesNotMatch(down.text, STACK_TRACE);
      gate.up = true;
      const back = await agent.get('/account');
      assert.equal(back.status, 200, 'the session survived the outage');
      assert.match(back.text, /alice@example\.com/);
    } finally {
      gate.up = true;
      await bff.close();
    }
  });

  it('Cognito accepting connections but never answering: 503 after COGNITO_TIMEOUT_MS, not a hung page', async () => {
    const hung = await fakeHttp(() => undefined);
    const bff = await startBff({ stack, cognitoEndpoint: hung.url, env: { COGNITO_TIMEOUT_MS: '1000' } });
    try {
      const started = Date.now();
      const res = await postForm(agentFor(bff.url), '/password/forgot', { username: 'alice' });
      const took = Date.now() - started;
      assert.equal(res.status, 503);
      assert.equal(pageMessages(res.text).error, UNAVAILABLE);
      assert.ok(took < 8000, `answered in ${took} ms with a 1 s deadline (the SDK retries once)`);
    } finally {
      await bff.close();
      await hung.close();
    }
  });

  it('Cognito limiting code sends: 429 with Retry-After and words that say what happened', async () => {
    const limiting = await fakeHttp((_req, res) => {
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(
        JSON.stringify({
          __type: 'LimitExceededException',
          message: 'Attempt limit exceeded, please try after some time.',
        }),
      );
    });
    const bff = await startBff({ stack, cognitoEndpoint: limiting.url });
    try {
      const res = await postForm(agentFor(bff.url), '/signup/resend', { username: 'alice' });
      assert.equal(res.status, 429);
      assert.ok(res.headers['retry-after']);
      assert.equal(
        pageMessages(res.text).error,
        'Too many codes were sent. Please wait a while before asking for another.',
      );
    } finally {
      await bff.close();
      await limiting.close();
    }
  });

  it('a pool that allows no self sign-up, or a code Cognito could not deliver, is said in words', async () => {
    const refusing = await fakeHttp((req, res) => {
      const target = String(req.headers['x-amz-target'] ?? '');
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(
        JSON.stringify(
          target.endsWith('.SignUp')
            ? { __type: 'NotAuthorizedException', message: 'SignUp is not permitted for this user pool' }
            : { __type: 'CodeDeliveryFailureException', message: 'Unable to deliver message' },
        ),
      );
    });
    const bff = await startBff({ stack, cognitoEndpoint: refusing.url });
    try {
      const signUp = await postForm(agentFor(bff.url), '/signup', {
        username: 'lea',
        attr_email: 'lea@example.com',
        newPassword: 'Lea-Passw0rd!',
        confirmPassword: 'Lea-Passw0rd!',
      });
      assert.equal(signUp.status, 403);
      assert.equal(
        pageMessages(signUp.text).error,
        'New accounts cannot be created here. Ask your administrator for one.',
      );
      assert.match(signUp.text, /value="lea@example.com"/);
      const forgot = await postForm(agentFor(bff.url), '/password/forgot', { username: 'lea' });
      assert.equal(forgot.status, 503);
      assert.ok(forgot.headers['retry-after']);
      assert.match(forgot.text, /value="lea"/);
    } finally {
      await bff.close();
      await refusing.close();
    }
  });
});
