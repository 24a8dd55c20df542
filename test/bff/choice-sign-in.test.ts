import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AdminCreateUserCommand, AdminSetUserPasswordCommand } from '@aws-sdk/client-cognito-identity-provider';
import { agentFor, lastMessage, pageMessages, postForm } from '../support/browserless.js';
import { startBff } from '../support/bff.js';
import type { TestBff } from '../support/bff.js';

/** A page as two visitors would compare it: without the per-visitor token and the typed username. */
const normalise = (html: string, username: string) =>
  html.replace(/name="_csrf" value="[^"]+"/g, '').replaceAll(username, 'USER');

describe('choice-based sign-in (USER_AUTH): username first, then a code, a password or a passkey', () => {
  let bff: TestBff;
  before(async () => {
    bff = await startBff();
  });
  after(() => bff.close());

  const start = (agent: ReturnType<typeof agentFor>, username: string) =>
    postForm(agent, '/login/start', { username, returnTo: '/' });

  it('the sign-in page keeps the password form first and offers "Sign in another way"', async () => {
    const page = await agentFor(bff.url).get('/login');
    assert.match(page.text, /<form method="post" action="\/login" class="stack" id="login-form"/);
    assert.match(page.text, /<button type="submit" form="login-form" formaction="\/login\/start" formnovalidate/);
  });

  it('offers what Cognito offers: email, text message (verified phone only) and the password', async () => {
    const agent = agentFor(bff.url);
    const res = await start(agent, 'alice');
    assert.equal(res.status, 303);
    assert.equal(res.headers['location'], '/login/choose');
    const page = await agent.get('/login/choose');
    assert.equal(page.status, 200);
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.match(page.text, /Signing in as <strong>alice<\/strong>/);
    assert.match(page.text, />Email me a code</);
    assert.match(page.text, />Sign in with my password</);
    assert.doesNotMatch(page.text, /Use a passkey/, 'alice has no passkey, so none is offered');
    assert.equal((await agent.get('/auth/me')).status, 401);
  });

  it('an email code: the page says where it went, a new code can be sent, only the newest works', async () => {
    const agent = agentFor(bff.url);
    await start(agent, 'alice');
    const chose = await postForm(agent, '/login/choose', { factor: 'EMAIL_OTP' });
    assert.equal(chose.status, 303);
    assert.equal(chose.headers['location'], '/login/email-code');
    const page = await agent.get('/login/email-code');
    assert.match(page.text, /We have sent a 6-digit code to a\*\*\*@e\*\*\*/);
    assert.match(page.text, /action="\/login\/resend"/);
    const first = await lastMessage(bff.stack.outboxUrl, 'alice');
    assert.ok(first);

    const resent = await postForm(agent, '/login/resend', {});
    assert.equal(resent.status, 303);
    assert.equal(resent.headers['location'], '/login/email-code');
    const second = await lastMessage(bff.stack.outboxUrl, 'alice');
    assert.ok(second && second.sentAt >= first.sentAt);
    if (second.code !== first.code) {
      const old = await postForm(agent, '/login/email-code', { code: first.code });
      assert.equal(old.status, 400, 'the older code no longer works');
      assert.equal(pageMessages(old.text).error, 'That code is not right. Check it and try again.');
    }
    const ok = await postForm(agent, '/login/email-code', { code: second.code });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers['location'], '/');
    assert.match((await agent.get('/')).text, /Signed in as alice/);
  });

  it('the password from the choice page signs in; a wrong one reads as on the password form', async () => {
    const agent = agentFor(bff.url);
    await start(agent, 'bob');
    const wrong = await postForm(agent, '/login/choose', { factor: 'PASSWORD', password: 'Not-bobs-passw0rd!' });
    assert.equal(wrong.status, 401);
    assert.equal(pageMessages(wrong.text).error, 'Incorrect username or password.');
    assert.match(wrong.text, /name="username"[^>]*value="bob"/, 'back on the sign-in form with the username kept');
    assert.doesNotMatch(wrong.text, /Not-bobs-passw0rd!/);
    const again = agentFor(bff.url);
    await start(again, 'bob');
    const ok = await postForm(again, '/login/choose', { factor: 'PASSWORD', password: 'Bob-Passw0rd!' });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers['location'], '/');
  });

  it('an unknown user sees the same kind of choice page as a real one', async () => {
    const real = agentFor(bff.url);
    await start(real, 'alice');
    const unknown = agentFor(bff.url);
    const res = await start(unknown, 'nobody-at-all');
    assert.equal(res.status, 303);
    assert.equal(res.headers['location'], '/login/choose');
    const a = await real.get('/login/choose');
    const b = await unknown.get('/login/choose');
    assert.equal(normalise(b.text, 'nobody-at-all'), normalise(a.text, 'alice'));
  });

  it('a code by text message for a user with a verified phone number', async () => {
    const { cognito, poolId } = bff.stack;
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: 'pia',
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'phone_number', Value: '+15555550199' },
          { Name: 'phone_number_verified', Value: 'true' },
        ],
      }),
    );
    await cognito.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: poolId,
        Username: 'pia',
        Password: 'Pia-Passw0rd!',
        Permanent: true,
      }),
    );
    const agent = agentFor(bff.url);
    await start(agent, 'pia');
    const choose = await agent.get('/login/choose');
    assert.match(choose.text, />Text me a code</);
    const chose = await postForm(agent, '/login/choose', { factor: 'SMS_OTP' });
    assert.equal(chose.headers['location'], '/login/sms-otp');
    const page = await agent.get('/login/sms-otp');
    assert.match(page.text, /by text message to \+\*+0199\./);
    const message = await lastMessage(bff.stack.outboxUrl, 'pia');
    assert.equal(message?.medium, 'SMS');
    const ok = await postForm(agent, '/login/sms-otp', { code: message.code });
    assert.equal(ok.status, 303);
    assert.match((await agent.get('/')).text, /Signed in as pia/);
  });

  it('asks for the username when it is missing, and refuses a choice Cognito did not offer', async () => {
    const empty = await postForm(agentFor(bff.url), '/login/start', { username: '' });
    assert.equal(empty.status, 400);
    assert.equal(pageMessages(empty.text).error, 'Enter your username or email to continue.');
    const agent = agentFor(bff.url);
    await start(agent, 'alice');
    const bad = await postForm(agent, '/login/choose', { factor: 'SOMETHING_ELSE' });
    assert.equal(bad.status, 400);
    assert.equal(pageMessages(bad.text).error, 'Choose a way to sign in.');
  });
});

describe('SIGN_IN_METHODS=email_otp,password: the username comes first', () => {
  let bff: TestBff;
  before(async () => {
    bff = await startBff({ env: { SIGN_IN_METHODS: 'email_otp,password' } });
  });
  after(() => bff.close());

  it('shows a username form that continues to the choice, with email first', async () => {
    const page = await agentFor(bff.url).get('/login');
    assert.match(page.text, /<form method="post" action="\/login\/start"/);
    assert.doesNotMatch(page.text, /type="password"/);
    const agent = agentFor(bff.url);
    await postForm(agent, '/login/start', { username: 'alice' });
    const choose = await agent.get('/login/choose');
    assert.doesNotMatch(choose.text, /Text me a code/, "SMS is not among the site's methods");
    assert.ok(choose.text.indexOf('Email me a code') < choose.text.indexOf('Sign in with my password'));
  });
});
