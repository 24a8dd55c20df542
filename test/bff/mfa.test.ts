import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminSetUserPasswordCommand,
  SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { agentFor, lastMessage, pageMessages, postForm } from '../support/browserless.js';
import { startBff } from '../support/bff.js';
import type { TestBff } from '../support/bff.js';
import { totpCode } from '../support/stack.js';

/** The walkthrough's user with an authenticator app, and its secret (src/emulator/walkthrough.json). */
const TESS = { username: 'tess', password: 'Tess-Passw0rd!', secret: 'JBSWY3DPEHPK3PXP' };
const EMIL = { username: 'emil', password: 'Emil-Passw0rd!' };

/** The code an authenticator app shows for `secret` (as a person would type it, spaces and all) at `at`. */
const totp = (secret: string, at: number) => totpCode(secret.replace(/\s+/g, ''), at);
const otherThan = (code: string) => (code === '000000' ? '111111' : '000000');

describe('multi-factor sign-in pages (pool MFA OPTIONAL)', () => {
  let bff: TestBff;
  before(async () => {
    bff = await startBff();
  });
  after(() => bff.close());

  it('an authenticator-app user: the password leads to the code page; a wrong code is explained; the right one signs in', async () => {
    const agent = agentFor(bff.url);
    const res = await postForm(agent, '/login', { username: TESS.username, password: TESS.password });
    assert.equal(res.status, 303);
    assert.equal(res.headers['location'], '/login/totp');
    const page = await agent.get('/login/totp');
    assert.equal(page.status, 200);
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.match(page.text, /Enter the 6-digit code your authenticator app/);
    assert.match(page.text, /autocomplete="one-time-code"/);
    assert.equal((await agent.get('/auth/me')).status, 401, 'not signed in yet');

    const code = totp(TESS.secret, bff.stack.clock());
    const wrong = await postForm(agent, '/login/totp', { code: otherThan(code) });
    assert.equal(wrong.status, 400);
    assert.equal(pageMessages(wrong.text).error, 'That code is not right. Check it and try again.');
    const junk = await postForm(agent, '/login/totp', { code: 'abc' });
    assert.equal(junk.status, 400);
    assert.equal(pageMessages(junk.text).error, 'Enter the 6-digit code.');

    const ok = await postForm(agent, '/login/totp', { code });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers['location'], '/');
    assert.match((await agent.get('/')).text, /Signed in as tess/);
  });

  it('an email-code user: the page says where the code went (masked), and the code from the outbox signs in', async () => {
    const agent = agentFor(bff.url);
    const res = await postForm(agent, '/login', { username: EMIL.username, password: EMIL.password });
    assert.equal(res.headers['location'], '/login/email-code');
    const page = await agent.get('/login/email-code');
    assert.match(page.text, /We have sent a 6-digit code to e\*\*\*@e\*\*\*\. Enter it to finish signing in\./);
    const message = await lastMessage(bff.stack.outboxUrl, EMIL.username);
    assert.ok(message, 'the code is in the outbox');
    assert.ok(!page.text.includes(message.code));
    const ok = await postForm(agent, '/login/email-code', { code: message.code });
    assert.equal(ok.status, 303);
    assert.match((await agent.get('/')).text, /Signed in as emil/);
    assert.ok(!bff.logs.join('\n').includes(message.code), 'the code is never logged');
  });

  it("several factors and none preferred: the user chooses, then gets that factor's code", async () => {
    const { cognito, poolId } = bff.stack;
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: 'sam',
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: 'sam@example.com' },
          { Name: 'email_verified', Value: 'true' },
          { Name: 'phone_number', Value: '+15555550123' },
          { Name: 'phone_number_verified', Value: 'true' },
        ],
      }),
    );
    await cognito.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: poolId,
        Username: 'sam',
        Password: 'Sam-Passw0rd!',
        Permanent: true,
      }),
    );
    await cognito.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: poolId,
        Username: 'sam',
        SMSMfaSettings: { Enabled: true },
        EmailMfaSettings: { Enabled: true },
      }),
    );
    const agent = agentFor(bff.url);
    const res = await postForm(agent, '/login', { username: 'sam', password: 'Sam-Passw0rd!' });
    assert.equal(res.headers['location'], '/login/mfa-choice');
    const page = await agent.get('/login/mfa-choice');
    assert.match(page.text, /A code sent to my email/);
    assert.match(page.text, /A code sent to my phone by text message/);
    assert.doesNotMatch(page.text, /authenticator app/, 'only the factors Cognito offers');
    const bad = await postForm(agent, '/login/mfa-choice', { factor: 'SOFTWARE_TOKEN_MFA' });
    assert.equal(bad.status, 400, 'a factor not offered is refused before Cognito');
    const chose = await postForm(agent, '/login/mfa-choice', { factor: 'SMS_MFA' });
    assert.equal(chose.status, 303);
    assert.equal(chose.headers['location'], '/login/sms-code');
    const sms = await agent.get('/login/sms-code');
    assert.match(sms.text, /by text message to \+\*+0123\./);
    const message = await lastMessage(bff.stack.outboxUrl, 'sam');
    assert.equal(message?.medium, 'SMS');
    const ok = await postForm(agent, '/login/sms-code', { code: message.code });
    assert.equal(ok.status, 303);
    assert.match((await agent.get('/')).text, /Signed in as sam/);
  });

  it('too many wrong codes, or a code after the challenge expired, start sign-in again with a message', async () => {
    const agent = agentFor(bff.url);
    const started = await postForm(agent, '/login', { username: TESS.username, password: TESS.password });
    assert.equal(started.headers['location'], '/login/totp');
    const code = totp(TESS.secret, bff.stack.clock());
    let last = await postForm(agent, '/login/totp', { code: otherThan(code) });
    for (let i = 0; i < 5 && last.status === 400; i++)
      last = await postForm(agent, '/login/totp', { code: otherThan(code) });
    assert.equal(last.status, 303, 'Cognito ends the challenge after a few wrong codes');
    assert.match(String(last.headers['location']), /^\/login\?reason=challenge-expired/);

    const late = agentFor(bff.url);
    const begun = await postForm(late, '/login', { username: TESS.username, password: TESS.password });
    assert.equal(begun.headers['location'], '/login/totp');
    bff.stack.clock.advance(16 * 60_000);
    const expired = await postForm(late, '/login/totp', { code: totp(TESS.secret, bff.stack.clock()) });
    assert.equal(expired.status, 303);
    assert.match(String(expired.headers['location']), /^\/login\?reason=challenge-expired/);
    assert.equal((await late.get('/auth/me')).status, 401);
  });
});

describe('MFA required (pool MFA ON): setting up an authenticator app during sign-in', () => {
  let bff: TestBff;
  before(async () => {
    bff = await startBff({ env: { MFA_ISSUER_NAME: 'Example Corp' } });
    await bff.stack.cognito.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: bff.stack.poolId,
        MfaConfiguration: 'ON',
        SoftwareTokenMfaConfiguration: { Enabled: true },
      }),
    );
  });
  after(() => bff.close());

  it('shows a QR code and the secret, takes the first code, signs in; the next sign-in asks for the app', async () => {
    const agent = agentFor(bff.url);
    const res = await postForm(agent, '/login', { username: 'alice', password: 'Alice-Passw0rd!' });
    assert.equal(res.headers['location'], '/login/mfa-setup');
    const page = await agent.get('/login/mfa-setup');
    assert.equal(page.status, 200);
    assert.match(page.text, /<svg[^>]*>[\s\S]*<path/, 'an inline SVG QR code');
    assert.doesNotMatch(page.text, /<script|style=|data:image/, 'nothing the CSP would refuse');
    const secret = /<code id="totp-secret">([A-Z2-7 ]+)<\/code>/.exec(page.text)?.[1];
    assert.ok(secret, 'the secret as text');
    const again = await agent.get('/login/mfa-setup');
    assert.ok(again.text.includes(secret), 'reloading the page keeps the same secret');

    const code = totp(secret, bff.stack.clock());
    const wrong = await postForm(agent, '/login/mfa-setup', { code: otherThan(code) });
    assert.equal(wrong.status, 400);
    assert.equal(pageMessages(wrong.text).error, 'That code is not right. Check it and try again.');
    assert.ok(wrong.text.includes(secret), 'the same secret after a wrong code');
    const ok = await postForm(agent, '/login/mfa-setup', { code, deviceName: 'phone' });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers['location'], '/');
    assert.match((await agent.get('/')).text, /Signed in as alice/);
    assert.ok(!bff.logs.join('\n').includes(secret.replace(/ /g, '')), 'the secret is never logged');

    bff.stack.clock.advance(30_000);
    const next = agentFor(bff.url);
    const signIn = await postForm(next, '/login', { username: 'alice', password: 'Alice-Passw0rd!' });
    assert.equal(signIn.headers['location'], '/login/totp');
    const done = await postForm(next, '/login/totp', { code: totp(secret, bff.stack.clock()) });
    assert.equal(done.status, 303);
    assert.equal(done.headers['location'], '/');
  });
});

describe('wrong codes count with wrong passwords (SIGN_IN_LIMIT_PER_USERNAME=3)', () => {
  let bff: TestBff;
  before(async () => {
    bff = await startBff({ env: { SIGN_IN_LIMIT_PER_USERNAME: '3' } });
  });
  after(() => bff.close());

  it('two wrong passwords and one wrong code use up the three: the next code gets 429 with Retry-After', async () => {
    const agent = agentFor(bff.url);
    for (let i = 0; i < 2; i++) {
      const wrong = await postForm(agent, '/login', { username: TESS.username, password: 'Not-her-passw0rd!' });
      assert.equal(wrong.status, 401);
    }
    const right = await postForm(agent, '/login', { username: TESS.username, password: TESS.password });
    assert.equal(right.headers['location'], '/login/totp');
    const code = totp(TESS.secret, bff.stack.clock());
    assert.equal((await postForm(agent, '/login/totp', { code: otherThan(code) })).status, 400);
    const blocked = await postForm(agent, '/login/totp', { code });
    assert.equal(blocked.status, 429);
    assert.match(String(blocked.headers['retry-after']), /^\d+$/);
    assert.equal((await agent.get('/auth/me')).status, 401, 'the right code was not even tried');
  });
});
