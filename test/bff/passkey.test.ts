import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Agent } from 'supertest';
import { agentFor, pageMessages, signIn } from '../support/browserless.js';
import { startBff } from '../support/bff.js';
import type { TestBff } from '../support/bff.js';
import { SoftwarePasskey } from '../support/passkey.js';
import { confirmedUser } from '../support/stack.js';

const PAGE = '/account/security';
/** The origin a browser would report: WebAuthn needs a secure context, and http://localhost is one. */
const ORIGIN = 'http://localhost:3000';
const PASSWORD = 'Passkey-Passw0rd!';

/** The JSON a page carries in its data-options attribute, unescaped as the browser reads it. */
function optionsOn(html: string): Record<string, unknown> & { challenge: string } {
  const raw = /data-options="([^"]*)"/.exec(html)?.[1];
  assert.ok(raw, 'the page carries the ceremony options');
  const json = raw
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
  return JSON.parse(json) as Record<string, unknown> & { challenge: string };
}

describe('passkeys: added on /account/security, then signing in with one alone', () => {
  let bff: TestBff;
  const username = 'pia';
  const passkey = new SoftwarePasskey();

  before(async () => {
    bff = await startBff();
    await confirmedUser(bff.stack, username, PASSWORD, { email: 'pia@example.com', email_verified: 'true' });
  });
  after(() => bff.close());

  /** Posts a form as a browser does: with the anti-forgery token of the page it is on. */
  const post = async (agent: Agent, page: string, action: string, fields: Record<string, string> = {}) => {
    const token = /name="_csrf" value="([^"]+)"/.exec((await agent.get(page)).text)?.[1] ?? '';
    return agent
      .post(action)
      .type('form')
      .send({ _csrf: token, ...fields });
  };
  const listed = async (agent: Agent) =>
    [...(await agent.get(PAGE)).text.matchAll(/<span class="passkey-name">([^<]*)<\/span>: ([^<]*?)\s*<form/g)].map(
      (m) => `${m[1]}: ${m[2]}`,
    );

  /** Username, "Sign in another way", "Use a passkey": the passkey page and the options it carries. */
  const toPasskeyPage = async (agent: Agent) => {
    const started = await post(agent, '/login', '/login/start', { username, returnTo: '/' });
    assert.equal(started.status, 303);
    assert.equal(started.headers['location'], '/login/choose');
    const choose = await agent.get('/login/choose');
    assert.match(choose.text, />Use a passkey</);
    const chose = await post(agent, '/login/choose', '/login/choose', { factor: 'WEB_AUTHN' });
    assert.equal(chose.status, 303);
    assert.equal(chose.headers['location'], '/login/passkey');
    const page = await agent.get('/login/passkey');
    assert.equal(page.status, 200);
    assert.equal(page.headers['cache-control'], 'no-store');
    return page;
  };

  let assertion = '';

  it('adds a passkey: the options stay server-side, the browser answer is checked by Cognito, it is listed', async () => {
    const agent = agentFor(bff.url);
    await signIn(agent, username, PASSWORD);
    const before = await agent.get(PAGE);
    assert.match(before.text, /id="no-passkeys">You have no passkeys yet/);

    const noSetup = await agent.get('/account/security/passkey');
    assert.match(noSetup.text, /id="no-setup"/, 'no ceremony without a start');

    const started = await post(agent, PAGE, '/account/security/passkey/start');
    assert.equal(started.status, 303);
    assert.equal(started.headers['location'], '/account/security/passkey');
    const page = await agent.get('/account/security/passkey');
    assert.equal(page.status, 200);
    assert.match(page.text, /data-passkey="register"/);
    assert.match(page.text, /<script src="\/static\/vendor\/simplewebauthn-browser.js" defer><\/script>/);
    assert.doesNotMatch(page.text, /<script>|<script [^s]/, 'no inline script');
    const options = optionsOn(page.text) as { challenge: string; rp: { id: string } };
    assert.equal(options.rp.id, 'localhost');

    const junk = await post(agent, '/account/security/passkey', '/account/security/passkey', { credential: '{nope' });
    assert.equal(junk.status, 400);
    assert.equal(
      pageMessages(junk.text).error,
      'Your browser did not send a passkey. Try again, or choose another way to sign in.',
    );

    const elsewhere = passkey.register(options, { origin: 'https://evil.test' });
    const refused = await post(agent, '/account/security/passkey', '/account/security/passkey', {
      credential: JSON.stringify(elsewhere),
    });
    assert.equal(refused.status, 400);
    assert.equal(pageMessages(refused.text).error, 'That passkey was made for another site and cannot be used here.');

    const made = passkey.register(options, { origin: ORIGIN });
    const added = await post(agent, '/account/security/passkey', '/account/security/passkey', {
      credential: JSON.stringify(made),
    });
    assert.equal(added.status, 303);
    assert.equal(added.headers['location'], PAGE);
    const after = await agent.get(PAGE);
    assert.equal(
      pageMessages(after.text).notice,
      'Your passkey is added. You can sign in with it instead of a password or a code.',
    );
    assert.deepEqual(await listed(agent), [
      `Passkey on this device: Built into a device, added ${new Date(bff.stack.clock()).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })}`,
    ]);
    const again = await agent.get('/account/security/passkey');
    assert.match(again.text, /id="no-setup"/, 'the set-up is over once used');
    await post(agent, '/', '/logout');
  });

  it('signs in with the passkey alone: username, "Use a passkey", the assertion', async () => {
    const agent = agentFor(bff.url);
    const page = await toPasskeyPage(agent);
    assert.match(page.text, /<h1>Use your passkey<\/h1>/);
    assert.match(page.text, /data-passkey="sign-in"/);
    assert.match(page.text, /<noscript><p id="passkey-noscript">Passkeys need JavaScript/);
    assert.match(page.text, /<a href="\/login">Sign in another way<\/a>/);
    const options = optionsOn(page.text) as { challenge: string; rpId: string; allowCredentials: { id: string }[] };
    assert.equal(options.rpId, 'localhost');
    assert.deepEqual(
      options.allowCredentials.map((c) => c.id),
      [passkey.id],
    );

    const empty = await post(agent, '/login/passkey', '/login/passkey', { credential: '' });
    assert.equal(empty.status, 400);
    assert.equal(
      pageMessages(empty.text).error,
      'Your browser did not send a passkey. Try again, or choose another way to sign in.',
    );
    const huge = await post(agent, '/login/passkey', '/login/passkey', {
      credential: JSON.stringify({ id: 'x', type: 'public-key', response: { pad: 'a'.repeat(9000) } }),
    });
    assert.equal(huge.status, 400, 'an oversized credential is refused before Cognito');

    assertion = passkey.assert(options, { origin: ORIGIN });
    const signedIn = await post(agent, '/login/passkey', '/login/passkey', { credential: assertion });
    assert.equal(signedIn.status, 303);
    assert.equal(signedIn.headers['location'], '/');
    assert.match((await agent.get('/')).text, /Signed in as pia/);
    const me = await agent.get('/auth/me');
    assert.equal(me.status, 200);
    await post(agent, '/', '/logout');
  });

  it('refuses a replayed assertion: the sign-in page says the passkey was not accepted', async () => {
    const agent = agentFor(bff.url);
    await toPasskeyPage(agent);
    const replayed = await post(agent, '/login/passkey', '/login/passkey', { credential: assertion });
    assert.equal(replayed.status, 401);
    assert.equal(
      pageMessages(replayed.text).error,
      'That passkey was not accepted, or this sign-in has expired. Sign in again, or choose another way to sign in.',
    );
    assert.match(replayed.text, /name="username"[^>]*value="pia"/, 'the username is kept');
    assert.equal((await agent.get('/auth/me')).status, 401);
  });

  it('removes the passkey after a recent sign-in; then it is gone and no longer offered', async () => {
    const agent = agentFor(bff.url);
    const page = await toPasskeyPage(agent);
    const options = optionsOn(page.text) as { challenge: string; rpId: string };
    const ok = await post(agent, '/login/passkey', '/login/passkey', {
      credential: passkey.assert(options, { origin: ORIGIN }),
    });
    assert.equal(ok.status, 303);

    await bff.fastForward(6 * 60_000);
    const stale = await post(agent, PAGE, '/account/security/passkey/remove', { id: passkey.id });
    assert.equal(stale.status, 403);
    assert.equal(pageMessages(stale.text).error, 'To remove a passkey, sign in again first.');
    assert.match(stale.text, /id="passkeys-reauth"/);

    const reauth = agentFor(bff.url);
    await signIn(reauth, username, PASSWORD);
    const removed = await post(reauth, PAGE, '/account/security/passkey/remove', { id: passkey.id });
    assert.equal(removed.status, 303);
    const after = await reauth.get(PAGE);
    assert.equal(pageMessages(after.text).notice, 'The passkey is removed. It can no longer sign in to this account.');
    assert.deepEqual(await listed(reauth), []);
    const gone = await post(reauth, PAGE, '/account/security/passkey/remove', { id: passkey.id });
    assert.equal(gone.status, 400);
    assert.equal(pageMessages(gone.text).error, 'That passkey was already removed.');

    const next = agentFor(bff.url);
    await post(next, '/login', '/login/start', { username, returnTo: '/' });
    assert.doesNotMatch((await next.get('/login/choose')).text, /Use a passkey/);
  });

  it('never lets a token or the session secret reach a log line', () => {
    const all = bff.logs.join('\n');
    assert.doesNotMatch(all, /eyJ[A-Za-z0-9_-]{10,}\./, 'no JWT in the logs');
    assert.doesNotMatch(all, new RegExp(PASSWORD));
  });
});
