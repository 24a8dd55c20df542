import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AdminCreateUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { Agent } from 'supertest';
import { agentFor, sessionCookie, postForm } from '../support/browserless.js';
import { startBff } from '../support/bff.js';
import type { TestBff } from '../support/bff.js';

describe('first sign-in: NEW_PASSWORD_REQUIRED', () => {
  let bff: TestBff;
  let counter = 0;
  before(async () => {
    bff = await startBff();
  });
  after(() => bff.close());

  /** A fresh user with a temporary password, so each test starts at the challenge. */
  async function newUser(): Promise<string> {
    const username = `first-${++counter}`;
    await bff.stack.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: bff.stack.poolId,
        Username: username,
        TemporaryPassword: 'Temporary-passw0rd!',
        MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }],
      }),
    );
    return username;
  }

  async function startChallenge(agent: Agent, username: string, returnTo?: string) {
    const res = await postForm(agent, '/login', {
      username,
      password: 'Temporary-passw0rd!',
      ...(returnTo ? { returnTo } : {}),
    });
    assert.equal(res.status, 303);
    assert.equal(res.headers['location'], '/login/new-password');
    return res;
  }

  it('keeps the Cognito session on the server and asks for a new password', async () => {
    const agent = agentFor(bff.url);
    const username = await newUser();
    const started = await startChallenge(agent, username);
    assert.ok(sessionCookie(started));
    const form = await agent.get('/login/new-password');
    assert.equal(form.status, 200);
    assert.match(form.text, /Choose a new password/);
    assert.match(form.text, /<label for="newPassword">/);
    assert.match(form.text, /<label for="confirmPassword">/);
    assert.doesNotMatch(form.text, /AYABe/, 'the Cognito Session never reaches the browser');
    assert.equal(form.headers['cache-control'], 'no-store');
    const me = await agent.get('/auth/me');
    assert.equal(me.status, 401, 'not signed in until the challenge is answered');
  });

  it('shows password problems on the form and then signs in with a new session id', async () => {
    const agent = agentFor(bff.url);
    const username = await newUser();
    const started = await startChallenge(agent, username, '/auth/me');
    const mismatch = await postForm(agent, '/login/new-password', {
      newPassword: 'Brand-new-passw0rd!',
      confirmPassword: 'other',
    });
    assert.equal(mismatch.status, 400);
    assert.match(mismatch.text, /The two passwords do not match\./);
    assert.match(
      mismatch.text,
      /<input id="confirmPassword" [^>]*aria-invalid="true" aria-describedby="password-error"/,
    );
    const weak = await postForm(agent, '/login/new-password', {
      newPassword: 'weakpassword1',
      confirmPassword: 'weakpassword1',
    });
    assert.equal(weak.status, 400);
    assert.match(weak.text, /Password does not conform to policy: Password must have uppercase characters/);
    assert.doesNotMatch(weak.text, /weakpassword1/, 'the password is not echoed');
    const done = await postForm(agent, '/login/new-password', {
      newPassword: 'Brand-new-passw0rd!',
      confirmPassword: 'Brand-new-passw0rd!',
    });
    assert.equal(done.status, 303);
    assert.equal(done.headers['location'], '/auth/me', 'returnTo survives the challenge');
    const before = sessionCookie(started)?.split(';')[0];
    const after = sessionCookie(done)?.split(';')[0];
    assert.ok(after && before && after !== before, 'a new session id after sign-in');
    const me = await agent.get('/auth/me');
    assert.equal(me.status, 200);
    assert.equal(me.body.username, username);
    assert.equal(me.body.email, `${username}@example.com`);
  });

  it('sends the user back to sign-in with a clear message when the challenge session expired', async () => {
    const agent = agentFor(bff.url);
    const username = await newUser();
    await startChallenge(agent, username);
    bff.stack.clock.advance(3 * 60_000 + 5_000);
    const res = await postForm(agent, '/login/new-password', {
      newPassword: 'Brand-new-passw0rd!',
      confirmPassword: 'Brand-new-passw0rd!',
    });
    assert.equal(res.status, 303);
    assert.match(res.headers['location'] ?? '', /^\/login\?reason=challenge-expired/);
    const page = await agent.get(res.headers['location'] ?? '');
    assert.equal(page.status, 200);
    assert.match(page.text, /Your sign-in took too long or was already used\. Please sign in again\./);
    const form = await agent.get('/login/new-password');
    assert.equal(form.status, 303, 'the spent challenge is gone');
  });

  it('gives up on a challenge left open past its own 15 minutes, without asking Cognito', async () => {
    // Only the BFF's clock moves: Cognito would still take the challenge, so the BFF's timeout is what is tested.
    const own = await startBff({ stack: bff.stack });
    try {
      const agent = agentFor(own.url);
      const username = await newUser();
      await startChallenge(agent, username);
      await own.fastForward(14 * 60_000);
      assert.equal((await agent.get('/login/new-password')).status, 200, 'still open after 14 minutes');
      await own.fastForward(60_000 + 1_000);
      const answers = () => own.stack.state.calls.get('RespondToAuthChallenge') ?? 0;
      const answersBefore = answers();
      const res = await postForm(agent, '/login/new-password', {
        newPassword: 'Brand-new-passw0rd!',
        confirmPassword: 'Brand-new-passw0rd!',
      });
      assert.equal(res.status, 303);
      assert.equal(answers(), answersBefore, 'Cognito was not asked');
      assert.match(res.headers['location'] ?? '', /^\/login\?reason=challenge-expired/);
      const page = await agent.get(res.headers['location'] ?? '');
      assert.match(page.text, /Your sign-in took too long or was already used\. Please sign in again\./);
      assert.equal((await agent.get('/auth/me')).status, 401, 'not signed in');
      // The new password never reached Cognito: the temporary one still leads to the challenge.
      await startChallenge(agentFor(own.url), username);
    } finally {
      await own.close();
    }
  });

  it('sends a visitor with no challenge in progress to the login page', async () => {
    const res = await postForm(agentFor(bff.url), '/login/new-password', { newPassword: 'x', confirmPassword: 'x' });
    assert.equal(res.status, 303);
    assert.match(res.headers['location'] ?? '', /^\/login\?reason=challenge-expired/);
  });

  it('asks for required attributes when Cognito does', async () => {
    bff.stack.pool().requiredAttributes.push('name');
    try {
      const agent = agentFor(bff.url);
      const username = await newUser();
      await startChallenge(agent, username);
      const form = await agent.get('/login/new-password');
      assert.match(form.text, /<label for="attr_name">Full name<\/label>/);
      const missing = await postForm(agent, '/login/new-password', {
        newPassword: 'Brand-new-passw0rd!',
        confirmPassword: 'Brand-new-passw0rd!',
      });
      assert.equal(missing.status, 400);
      assert.match(missing.text, /Full name is required/);
      const done = await postForm(agent, '/login/new-password', {
        newPassword: 'Brand-new-passw0rd!',
        confirmPassword: 'Brand-new-passw0rd!',
        attr_name: 'Ada <Lovelace>',
      });
      assert.equal(done.status, 303);
      assert.equal(bff.stack.pool().users.get(username)?.attributes['name'], 'Ada <Lovelace>');
    } finally {
      bff.stack.pool().requiredAttributes.pop();
    }
  });
});
