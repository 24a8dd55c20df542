import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { agentFor, lastMessage, pageMessages, postForm, sessionCookie } from '../support/browserless.js';
import { startBff } from '../support/bff.js';
import type { TestBff } from '../support/bff.js';

const PASSWORD = 'Dora-Passw0rd!';

describe('self sign-up: /signup → code from the outbox → /signup/confirm → sign in', () => {
  let bff: TestBff;
  before(async () => {
    // Password sign-in only: confirming leads to the sign-in form (with USER_AUTH on, it signs in: below).
    bff = await startBff({ env: { SIGN_IN_METHODS: 'password' } });
  });
  after(() => bff.close());

  const signUp = (agent = agentFor(bff.url), fields: Record<string, string> = {}) =>
    postForm(agent, '/signup', {
      username: 'dora',
      attr_email: 'dora@example.com',
      newPassword: PASSWORD,
      confirmPassword: PASSWORD,
      ...fields,
    });

  it('offers "Create an account" and "Forgot your password?" on the login page (local mode: sign-up on)', async () => {
    const login = await agentFor(bff.url).get('/login');
    assert.match(login.text, /<a href="\/signup">Create an account<\/a>/);
    assert.match(login.text, /<a href="\/password\/forgot">Forgot your password\?<\/a>/);
    const page = await agentFor(bff.url).get('/signup');
    assert.equal(page.status, 200);
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.match(page.text, /<label for="attr_email">Email address<\/label>/);
    assert.match(page.text, /name="_csrf"/);
    assert.equal(sessionCookie(page), undefined, 'looking at a form makes no session');
  });

  it('creates the account, sends the code, and the confirm page says where it went (masked)', async () => {
    const agent = agentFor(bff.url);
    const res = await signUp(agent);
    assert.equal(res.status, 303);
    assert.equal(res.headers['location'], '/signup/confirm');
    const confirm = await agent.get('/signup/confirm');
    assert.equal(confirm.status, 200);
    assert.equal(
      pageMessages(confirm.text).notice,
      'We have sent a code to d***@e***. Enter it below to confirm your account.',
    );
    assert.match(confirm.text, /name="username"[^>]*value="dora"/);
    assert.doesNotMatch(confirm.text, new RegExp(PASSWORD));

    const wrong = await postForm(agent, '/signup/confirm', { username: 'dora', code: '000000' });
    assert.equal(wrong.status, 400);
    assert.equal(pageMessages(wrong.text).error, 'That code is not right. Check it and try again.');

    const message = await lastMessage(bff.stack.outboxUrl, 'dora');
    assert.equal(message?.kind, 'SIGN_UP');
    const ok = await postForm(agent, '/signup/confirm', { username: 'dora', code: message.code });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers['location'], '/login');
    const login = await agent.get('/login');
    assert.equal(pageMessages(login.text).notice, 'Your account is confirmed. Sign in to continue.');
    assert.match(login.text, /name="username"[^>]*value="dora"/, 'the username is filled in');

    const signedIn = await postForm(agent, '/login', { username: 'dora', password: PASSWORD });
    assert.equal(signedIn.status, 303);
    assert.match((await agent.get('/')).text, /Signed in as dora/);
  });

  it('keeps what was typed (never the password) and explains a taken name, a weak password and a mismatch', async () => {
    const taken = await signUp(agentFor(bff.url), { username: 'bob' });
    assert.equal(taken.status, 400);
    assert.equal(pageMessages(taken.text).error, 'That username is taken. Choose another, or sign in if it is yours.');
    assert.match(taken.text, /value="bob"/);
    assert.match(taken.text, /value="dora@example.com"/);
    assert.doesNotMatch(taken.text, new RegExp(PASSWORD));

    const weak = await signUp(agentFor(bff.url), { username: 'eve', newPassword: 'weak', confirmPassword: 'weak' });
    assert.equal(weak.status, 400);
    assert.match(
      pageMessages(weak.text).error ?? '',
      /^Password does not conform to policy: Password not long enough$/,
      'Cognito names the rule',
    );

    const differ = await signUp(agentFor(bff.url), { username: 'eve', confirmPassword: 'Other-Passw0rd!' });
    assert.equal(differ.status, 400);
    assert.equal(pageMessages(differ.text).error, 'The two passwords do not match.');
    assert.match(differ.text, /id="confirmPassword"[^>]*aria-invalid="true"/);

    const noEmail = await signUp(agentFor(bff.url), { username: 'eve', attr_email: '' });
    assert.equal(noEmail.status, 400);
    assert.match(pageMessages(noEmail.text).error ?? '', /^Email address is required/);
  });

  it('sends a new code on request; only the newest one confirms', async () => {
    const agent = agentFor(bff.url);
    assert.equal((await signUp(agent, { username: 'fay', attr_email: 'fay@example.com' })).status, 303);
    const first = await lastMessage(bff.stack.outboxUrl, 'fay');
    const resent = await postForm(agent, '/signup/resend', { username: 'fay' });
    assert.equal(resent.status, 303);
    assert.equal(resent.headers['location'], '/signup/confirm');
    const page = await agent.get('/signup/confirm');
    assert.equal(pageMessages(page.text).notice, 'We have sent a new code to f***@e***. Only the newest code works.');
    const second = await lastMessage(bff.stack.outboxUrl, 'fay');
    assert.notEqual(second?.code, first?.code);
    const old = await postForm(agent, '/signup/confirm', { username: 'fay', code: first?.code ?? '' });
    assert.equal(old.status, 400);
    const ok = await postForm(agent, '/signup/confirm', { username: 'fay', code: second?.code ?? '' });
    assert.equal(ok.status, 303);
    const again = await postForm(agentFor(bff.url), '/signup/confirm', { username: 'fay', code: second?.code ?? '' });
    assert.equal(again.status, 303, 'confirming twice sends the user to sign in');
    const login = await agentFor(bff.url).get('/login');
    assert.equal(pageMessages(login.text).notice, undefined, 'notices belong to the browser that earned them');
  });

  it('an unconfirmed user who signs in gets a fresh code and the confirm page', async () => {
    assert.equal((await signUp(agentFor(bff.url), { username: 'gus', attr_email: 'gus@example.com' })).status, 303);
    const before = await lastMessage(bff.stack.outboxUrl, 'gus');
    const agent = agentFor(bff.url);
    const res = await postForm(agent, '/login', { username: 'gus', password: PASSWORD });
    assert.equal(res.status, 303);
    assert.equal(res.headers['location'], '/signup/confirm');
    const page = await agent.get('/signup/confirm');
    assert.equal(
      pageMessages(page.text).notice,
      'Your account is not confirmed yet. We have sent a code to g***@e***.',
    );
    const after = await lastMessage(bff.stack.outboxUrl, 'gus');
    assert.notEqual(after?.code, before?.code);
    assert.equal((await postForm(agent, '/signup/confirm', { username: 'gus', code: after?.code ?? '' })).status, 303);
  });

  it('after five wrong codes the code is dead: the page says to ask for a new one, and a new one works', async () => {
    const agent = agentFor(bff.url);
    assert.equal((await signUp(agent, { username: 'hugo', attr_email: 'hugo@example.com' })).status, 303);
    const sent = await lastMessage(bff.stack.outboxUrl, 'hugo');
    const wrong = sent?.code === '000001' ? '000002' : '000001';
    for (let i = 0; i < 5; i++) {
      assert.equal((await postForm(agent, '/signup/confirm', { username: 'hugo', code: wrong })).status, 400);
    }
    const dead = await postForm(agent, '/signup/confirm', { username: 'hugo', code: sent?.code ?? '' });
    assert.equal(dead.status, 429);
    assert.ok(dead.headers['retry-after']);
    assert.equal(pageMessages(dead.text).error, 'Too many wrong codes. Ask for a new code and try again.');
    assert.equal((await postForm(agent, '/signup/resend', { username: 'hugo' })).status, 303);
    const fresh = await lastMessage(bff.stack.outboxUrl, 'hugo');
    assert.equal((await postForm(agent, '/signup/confirm', { username: 'hugo', code: fresh?.code ?? '' })).status, 303);
  });

  it('asking for a code for a confirmed account says so and leads to sign-in', async () => {
    const agent = agentFor(bff.url);
    const res = await postForm(agent, '/signup/resend', { username: 'dora' });
    assert.equal(res.status, 303);
    assert.equal(res.headers['location'], '/login');
    assert.equal(
      pageMessages((await agent.get('/login')).text).notice,
      'This account is already confirmed. You can sign in.',
    );
  });

  it('refuses a code that is not digits before Cognito sees it, and a form without its token', async () => {
    const res = await postForm(agentFor(bff.url), '/signup/confirm', { username: 'dora', code: 'abc' });
    assert.equal(res.status, 400);
    assert.equal(pageMessages(res.text).error, 'Enter the code we sent you.');
    const forged = await agentFor(bff.url).post('/signup').type('form').send({ username: 'x' });
    assert.equal(forged.status, 403);
  });
});

describe('sign-up with choice-based sign-in on (local mode default): confirming signs the user in', () => {
  let bff: TestBff;
  before(async () => {
    bff = await startBff();
  });
  after(() => bff.close());

  it("the code from the outbox confirms the account and signs in with ConfirmSignUp's Session, no password again", async () => {
    const agent = agentFor(bff.url);
    const res = await postForm(agent, '/signup', {
      username: 'ola',
      attr_email: 'ola@example.com',
      newPassword: PASSWORD,
      confirmPassword: PASSWORD,
    });
    assert.equal(res.status, 303);
    const message = await lastMessage(bff.stack.outboxUrl, 'ola');
    const ok = await postForm(agent, '/signup/confirm', { username: 'ola', code: message?.code ?? '' });
    assert.equal(ok.status, 303);
    // Passkeys are on in local mode: the new user lands where they can add one.
    assert.equal(ok.headers['location'], '/account/security');
    const security = await agent.get('/account/security');
    assert.equal(security.status, 200);
    assert.equal(
      pageMessages(security.text).notice,
      'Your account is confirmed and you are signed in. Add a passkey below to sign in next time without a password or a code.',
    );
    assert.match(security.text, /action="\/account\/security\/passkey\/start"/);
    assert.match((await agent.get('/')).text, /Signed in as ola/);
    const other = await postForm(agentFor(bff.url), '/signup/confirm', { username: 'ola', code: message?.code ?? '' });
    assert.equal(other.headers['location'], '/login', 'a second confirmation signs nobody in');
  });
});

describe('sign-up switched off (SIGN_UP_ENABLED=false)', () => {
  let bff: TestBff;
  before(async () => {
    bff = await startBff({ env: { SIGN_UP_ENABLED: 'false' } });
  });
  after(() => bff.close());

  it('has no /signup and no link to it; the confirm page stays for users sign-in sends there', async () => {
    assert.equal((await agentFor(bff.url).get('/signup')).status, 404);
    assert.equal((await postForm(agentFor(bff.url), '/signup', { username: 'x' })).status, 404);
    const login = await agentFor(bff.url).get('/login');
    assert.doesNotMatch(login.text, /Create an account/);
    assert.match(login.text, /Forgot your password\?/);
    assert.equal((await agentFor(bff.url).get('/signup/confirm')).status, 200);
  });
});
