import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AdminGetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import {
  agentFor,
  formToken,
  lastMessage,
  pageMessages,
  postForm,
  sessionIdOf,
  signIn,
} from '../support/browserless.js';
import { startBff } from '../support/bff.js';
import type { TestBff } from '../support/bff.js';

const NEW_PASSWORD = 'Newer-Passw0rd!';

describe('/account: the signed-in user changes their password and email', () => {
  let bff: TestBff;
  before(async () => {
    bff = await startBff();
  });
  after(() => bff.close());

  const attribute = async (username: string, name: string) => {
    const user = await bff.stack.cognito.send(
      new AdminGetUserCommand({ UserPoolId: bff.stack.poolId, Username: username }),
    );
    return user.UserAttributes?.find((a) => a.Name === name)?.Value;
  };

  it('is for signed-in users only: a visitor is sent to sign in and brought back', async () => {
    const res = await agentFor(bff.url).get('/account');
    assert.equal(res.status, 303);
    assert.equal(res.headers['location'], '/login?returnTo=%2Faccount');
    const post = await agentFor(bff.url).post('/account/password').type('form').send({});
    assert.equal(post.status, 303);
    assert.match(String(post.headers['location']), /^\/login/);
  });

  it('shows the user as Cognito has them now, no-store, with no token in the page', async () => {
    const agent = agentFor(bff.url);
    await signIn(agent, 'alice', 'Alice-Passw0rd!');
    const page = await agent.get('/account');
    assert.equal(page.status, 200);
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.match(page.text, /<dt>Username<\/dt><dd>alice<\/dd>/);
    assert.match(page.text, /<dd>alice@example\.com \(verified\)<\/dd>/);
    assert.doesNotMatch(page.text, /email_verified/);
    assert.doesNotMatch(page.text, /is not verified yet/);
    const [session] = await bff.sessions();
    assert.ok(session);
    for (const token of Object.values(session.tokens).filter((v) => typeof v === 'string')) {
      assert.ok(!page.text.includes(token as string), 'no token in the page');
    }
  });

  it('changes the password: wrong current password, mismatch and policy each explained; then the new one works', async () => {
    const agent = agentFor(bff.url);
    await signIn(agent, 'bob', 'Bob-Passw0rd!');
    const change = (fields: Record<string, string>) =>
      postForm(agent, '/account/password', {
        currentPassword: 'Bob-Passw0rd!',
        newPassword: NEW_PASSWORD,
        confirmPassword: NEW_PASSWORD,
        ...fields,
      });
    const wrong = await change({ currentPassword: 'Not-the-passw0rd!' });
    assert.equal(wrong.status, 400);
    assert.equal(pageMessages(wrong.text).error, 'Your current password is not right.');
    assert.doesNotMatch(wrong.text, /Not-the-passw0rd!|Newer-Passw0rd!/);
    const differ = await change({ confirmPassword: 'Other-Passw0rd!' });
    assert.equal(differ.status, 400);
    assert.equal(pageMessages(differ.text).error, 'The two passwords do not match.');
    const weak = await change({ newPassword: 'weak', confirmPassword: 'weak' });
    assert.equal(weak.status, 400);
    assert.match(pageMessages(weak.text).error ?? '', /^Password does not conform to policy/);

    const ok = await change({});
    assert.equal(ok.status, 303);
    assert.equal(ok.headers['location'], '/account');
    assert.equal(pageMessages((await agent.get('/account')).text).notice, 'Your password has been changed.');
    assert.equal(
      (await postForm(agentFor(bff.url), '/login', { username: 'bob', password: 'Bob-Passw0rd!' })).status,
      401,
    );
    assert.equal(
      (await postForm(agentFor(bff.url), '/login', { username: 'bob', password: NEW_PASSWORD })).status,
      303,
    );
    assert.ok(!bff.logs.join('\n').includes(NEW_PASSWORD), 'passwords are never logged');
  });

  it('changes the email: unverified until the code from the new address is entered', async () => {
    const agent = agentFor(bff.url);
    await signIn(agent, 'alice', 'Alice-Passw0rd!');
    const res = await postForm(agent, '/account/email', { email: 'alice.new@example.org' });
    assert.equal(res.status, 303);
    const page = await agent.get('/account');
    assert.equal(
      pageMessages(page.text).notice,
      'We have sent a code to a***@e***. Enter it below to verify your new email address.',
    );
    assert.match(page.text, /alice\.new@example\.org is not verified yet/);
    assert.equal(await attribute('alice', 'email_verified'), 'false');
    const message = await lastMessage(bff.stack.outboxUrl, 'alice.new@example.org');
    assert.equal(message?.kind, 'VERIFY_ATTRIBUTE');

    const wrong = await postForm(agent, '/account/email/verify', {
      code: message.code === '123456' ? '654321' : '123456',
    });
    assert.equal(wrong.status, 400);
    assert.equal(pageMessages(wrong.text).error, 'That code is not right. Check it and try again.');

    const resent = await postForm(agent, '/account/email/code', {});
    assert.equal(resent.status, 303);
    assert.equal(pageMessages((await agent.get('/account')).text).notice, 'We have sent a code to a***@e***.');
    const fresh = await lastMessage(bff.stack.outboxUrl, 'alice.new@example.org');

    const ok = await postForm(agent, '/account/email/verify', { code: fresh?.code ?? '' });
    assert.equal(ok.status, 303);
    const verified = await agent.get('/account');
    assert.equal(pageMessages(verified.text).notice, 'Your email address is verified.');
    assert.doesNotMatch(verified.text, /is not verified yet/);
    assert.match(verified.text, /<dd>alice\.new@example\.org \(verified\)<\/dd>/);
    assert.equal(await attribute('alice', 'email_verified'), 'true');
    assert.match((await agent.get('/')).text, /<dd id="who-email">alice\.new@example\.org<\/dd>/);
    assert.equal((await agent.get('/auth/me').set('accept', 'application/json')).body.email, 'alice.new@example.org');
    const session = (await bff.sessions()).find((s) => s.sid === sessionIdOf(agent));
    assert.ok(session);
    const claims = JSON.parse(Buffer.from(session.tokens.idToken.split('.')[1] ?? '', 'base64url').toString()) as {
      email?: string;
    };
    assert.equal(claims.email, 'alice.new@example.org', 'the ID token the API receives carries the new email');
  });

  it('changing the email needs a sign-in in the last 5 minutes: later, the page asks to sign in again', async () => {
    const agent = agentFor(bff.url);
    await signIn(agent, 'bob', NEW_PASSWORD);
    await bff.fastForward(6 * 60_000);
    const page = await agent.get('/account');
    assert.match(page.text, /Changing your email address needs a recent sign-in\./);
    assert.match(page.text, /href="\/login\?reauth=1&amp;returnTo=%2Faccount"/);
    assert.doesNotMatch(page.text, /action="\/account\/email"/, 'no form to post');
    const res = await postForm(agent, '/account/email', { email: 'mallory@example.com' });
    assert.equal(res.status, 403);
    assert.equal(pageMessages(res.text).error, 'To change your email address, sign in again first.');
    assert.notEqual(await attribute('bob', 'email'), 'mallory@example.com', 'the email did not move');

    const token = await formToken(agent, '/login?reauth=1&returnTo=%2Faccount');
    const again = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: token ?? '', username: 'bob', password: NEW_PASSWORD, returnTo: '/account' });
    assert.equal(again.status, 303);
    assert.equal(again.headers['location'], '/account');
    const ok = await postForm(agent, '/account/email', { email: 'bob.new@example.com' });
    assert.equal(ok.status, 303);
    assert.equal(await attribute('bob', 'email'), 'bob.new@example.com');
  });

  it('refuses a form without its anti-forgery token', async () => {
    const agent = agentFor(bff.url);
    await signIn(agent, 'alice', 'Alice-Passw0rd!');
    const res = await agent.post('/account/email').type('form').send({ email: 'evil@example.com' });
    assert.equal(res.status, 403);
  });
});
