import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SetUserPoolMfaConfigCommand } from '@aws-sdk/client-cognito-identity-provider';
import { Secret, TOTP } from 'otpauth';
import type { Agent } from 'supertest';
import { agentFor, pageMessages, signIn } from '../support/browserless.js';
import { startBff } from '../support/bff.js';
import type { TestBff } from '../support/bff.js';
import { confirmedUser } from '../support/stack.js';

const PAGE = '/account/security';
const REAUTH_LINK = '/login?reauth=1&amp;returnTo=%2Faccount%2Fsecurity';

describe('/account/security: the signed-in user turns second factors on and off', () => {
  let bff: TestBff;
  /** Every secret an app set-up showed, to look for in logs and the session store. */
  const secrets: string[] = [];

  before(async () => {
    bff = await startBff();
    await bff.stack.cognito.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: bff.stack.poolId,
        MfaConfiguration: 'OPTIONAL',
        SoftwareTokenMfaConfiguration: { Enabled: true },
        EmailMfaConfiguration: {},
      }),
    );
  });
  after(() => bff.close());

  const code = (secret: string) =>
    new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: bff.stack.clock() });
  /** Posts a form as a browser does: with the anti-forgery token of the page it is on. */
  const post = async (agent: Agent, page: string, action: string, fields: Record<string, string> = {}) => {
    const token = /name="_csrf" value="([^"]+)"/.exec((await agent.get(page)).text)?.[1] ?? '';
    return agent
      .post(action)
      .type('form')
      .send({ _csrf: token, ...fields });
  };
  const factors = async (agent: Agent) => {
    const page = await agent.get(PAGE);
    assert.equal(page.status, 200);
    return [...page.text.matchAll(/<li id="factor-[A-Z_]+">([^<]*)<\/li>/g)].map((m) => m[1]);
  };
  const createUser = (username: string, attributes: Record<string, string>) =>
    confirmedUser(bff.stack, username, 'Some-Passw0rd!', attributes);
  /** The password, then the authenticator app's code (a fresh 30-second step, as a code is good once). */
  const signInWithApp = async (agent: Agent, username: string, password: string, secret: string, form = '/login') => {
    const login = await post(agent, form, '/login', { username, password, returnTo: PAGE });
    assert.equal(login.status, 303);
    assert.equal(login.headers['location'], '/login/totp');
    bff.stack.clock.advance(30_000);
    const answered = await post(agent, '/login/totp', '/login/totp', { code: code(secret) });
    assert.equal(answered.status, 303);
    assert.equal(answered.headers['location'], PAGE);
  };
  /** Adds an authenticator app from the security page; returns the secret the page showed. */
  const addApp = async (agent: Agent) => {
    const start = await post(agent, PAGE, `${PAGE}/app/start`);
    assert.equal(start.status, 303);
    assert.equal(start.headers['location'], `${PAGE}/app`);
    const setUp = await agent.get(`${PAGE}/app`);
    assert.equal(setUp.status, 200);
    assert.match(setUp.text, /<svg/);
    const secret = /<code id="totp-secret">([^<]+)<\/code>/.exec(setUp.text)?.[1]?.replace(/\s+/g, '') ?? '';
    assert.match(secret, /^[A-Z2-7]{16,}$/);
    secrets.push(secret);
    return secret;
  };

  it('is for signed-in users only, and the account page links to it', async () => {
    const res = await agentFor(bff.url).get(PAGE);
    assert.equal(res.status, 303);
    assert.equal(res.headers['location'], '/login?returnTo=%2Faccount%2Fsecurity');
    const agent = agentFor(bff.url);
    await signIn(agent, 'alice', 'Alice-Passw0rd!');
    assert.match((await agent.get('/account')).text, /<a href="\/account\/security"[^>]*>Security: sign-in codes<\/a>/);
    assert.deepEqual(await factors(agent), ['Authenticator app: off', 'Email codes: off']);
  });

  it('adds an authenticator app: a wrong code keeps the set-up, the right one turns it on for sign-in', async () => {
    const agent = agentFor(bff.url);
    await signIn(agent, 'alice', 'Alice-Passw0rd!');
    const secret = await addApp(agent);
    const right = code(secret);
    const wrong = await post(agent, `${PAGE}/app`, `${PAGE}/app`, { code: right === '123456' ? '654321' : '123456' });
    assert.equal(wrong.status, 400);
    assert.equal(pageMessages(wrong.text).error, 'That code is not right. Check it and try again.');
    assert.equal(/<code id="totp-secret">([^<]+)<\/code>/.exec(wrong.text)?.[1]?.replace(/\s+/g, ''), secret);

    const ok = await post(agent, `${PAGE}/app`, `${PAGE}/app`, { code: right, deviceName: 'phone' });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers['location'], PAGE);
    const page = await agent.get(PAGE);
    assert.equal(pageMessages(page.text).notice, 'Your authenticator app is set up.');
    assert.deepEqual(await factors(agent), ['Authenticator app: on, preferred', 'Email codes: off']);
    assert.match((await agent.get(`${PAGE}/app`)).text, /There is no set-up in progress/);

    // Signing in again now asks for the app's code.
    assert.equal((await post(agent, '/', '/logout')).status, 200);
    const again = agentFor(bff.url);
    await signInWithApp(again, 'alice', 'Alice-Passw0rd!', secret);
    assert.equal((await again.get(PAGE)).status, 200);
  });

  it('turns email codes on and changes the preferred factor', async () => {
    const agent = agentFor(bff.url);
    await signIn(agent, 'bob', 'Bob-Passw0rd!');
    const on = await post(agent, PAGE, `${PAGE}/email`, { turn: 'on' });
    assert.equal(on.status, 303);
    assert.equal(
      pageMessages((await agent.get(PAGE)).text).notice,
      'Email codes are on. Sign-ins use your preferred way, shown below.',
    );
    assert.deepEqual(await factors(agent), ['Authenticator app: off', 'Email codes: on, preferred']);

    const secret = await addApp(agent);
    assert.equal((await post(agent, `${PAGE}/app`, `${PAGE}/app`, { code: code(secret) })).status, 303);
    assert.deepEqual(await factors(agent), ['Authenticator app: on', 'Email codes: on, preferred']);
    const preferred = await post(agent, PAGE, `${PAGE}/preferred`, { factor: 'SOFTWARE_TOKEN_MFA' });
    assert.equal(preferred.status, 303);
    assert.deepEqual(await factors(agent), ['Authenticator app: on, preferred', 'Email codes: on']);
    const notOn = await post(agent, PAGE, `${PAGE}/preferred`, { factor: 'SMS_MFA' });
    assert.equal(notOn.status, 400);
    assert.equal(pageMessages(notOn.text).error, 'Choose one of the ways that are on.');
  });

  it('turns a factor off only within 5 minutes of signing in; /login?reauth=1 signs in again', async () => {
    await createUser('carol', { email: 'carol@example.com', email_verified: 'true' });
    const agent = agentFor(bff.url);
    await signIn(agent, 'carol', 'Some-Passw0rd!');
    const secret = await addApp(agent);
    assert.equal((await post(agent, `${PAGE}/app`, `${PAGE}/app`, { code: code(secret) })).status, 303);
    assert.equal((await post(agent, PAGE, `${PAGE}/email`, { turn: 'on' })).status, 303);

    const off = await post(agent, PAGE, `${PAGE}/email`, { turn: 'off' });
    assert.equal(off.status, 303, 'a sign-in within 5 minutes may turn a factor off');
    assert.deepEqual(await factors(agent), ['Authenticator app: on, preferred', 'Email codes: off']);

    await bff.fastForward(6 * 60_000);
    const late = await post(agent, PAGE, `${PAGE}/app/off`, { turn: 'off' });
    assert.equal(late.status, 403);
    assert.equal(pageMessages(late.text).error, 'To turn this off, sign in again first.');
    assert.ok(late.text.includes(`href="${REAUTH_LINK}"`), 'the page links to signing in again');
    assert.deepEqual(await factors(agent), ['Authenticator app: on, preferred', 'Email codes: off']);

    const form = await agent.get('/login?reauth=1&returnTo=/account/security');
    assert.equal(form.status, 200, 'a signed-in user asking to sign in again gets the form');
    assert.match(form.text, /<h1>Sign in again<\/h1>/);
    assert.match(form.text, /name="returnTo" value="\/account\/security"/);
    assert.equal((await agent.get('/login')).status, 303, 'without reauth=1 a signed-in user is sent on');
    await signInWithApp(agent, 'carol', 'Some-Passw0rd!', secret, '/login?reauth=1&returnTo=/account/security');

    const now = await post(agent, PAGE, `${PAGE}/app/off`, { turn: 'off' });
    assert.equal(now.status, 303);
    assert.equal(
      pageMessages((await agent.get(PAGE)).text).notice,
      'Authenticator app codes are off. You can add an app again at any time.',
    );
    assert.deepEqual(await factors(agent), ['Authenticator app: off', 'Email codes: off']);
  });

  it("says Cognito's refusal in words, and offers text message codes only with a phone number", async () => {
    await createUser('dave', { phone_number: '+15555550100' });
    const agent = agentFor(bff.url);
    await signIn(agent, 'dave', 'Some-Passw0rd!');
    assert.deepEqual(await factors(agent), ['Authenticator app: off', 'Email codes: off', 'Text message codes: off']);
    const refused = await post(agent, PAGE, `${PAGE}/email`, { turn: 'on' });
    assert.equal(refused.status, 400);
    assert.equal(
      pageMessages(refused.text).error,
      'Email codes need a verified email address. Verify your email on the account page first.',
    );
  });

  it('refuses a form without its anti-forgery token', async () => {
    const agent = agentFor(bff.url);
    await signIn(agent, 'dave', 'Some-Passw0rd!');
    for (const path of [`${PAGE}/email`, `${PAGE}/app/start`, `${PAGE}/app/off`, `${PAGE}/preferred`]) {
      const res = await agent.post(path).type('form').send({ turn: 'on', factor: 'EMAIL_OTP' });
      assert.equal(res.status, 403, path);
      assert.match(res.text, /This form has expired or did not come from this site/);
    }
  });

  it('never writes an app secret to the logs or, unsealed, to the session store', async () => {
    assert.ok(secrets.length >= 3);
    const logs = bff.logs.join('\n');
    const store = JSON.stringify(
      await new Promise((resolve, reject) =>
        bff.deps.backend.store.all?.((err, all) => (err ? reject(err) : resolve(all))),
      ),
    );
    for (const secret of secrets) {
      assert.ok(!logs.includes(secret), 'no secret in the logs');
      assert.ok(!store.includes(secret), 'no secret in clear in the session store');
    }
  });
});
