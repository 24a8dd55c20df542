import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Response } from 'supertest';
import { redactCredential } from '../../src/lambda/redact.js';
import { agentFor, formToken, sessionIdOf, signIn } from '../support/browserless.js';
import { SESSION_SECRET, startBff, TOKEN_KEY } from '../support/bff.js';
import type { TestBff } from '../support/bff.js';

describe('secrets stay secret across the whole journey', () => {
  let bff: TestBff;
  before(async () => {
    bff = await startBff();
  });
  after(() => bff.close());

  it('no token, password, client secret, SESSION_SECRET, encryption key or session id in any response or log line', async () => {
    const responses: Response[] = [];
    const secrets = new Map<string, string>([
      ['temporary password', 'Welcome-2-cognito!'],
      ['new password', 'Journey-passw0rd!'],
      ['client secret', bff.config.cognito.clientSecret ?? ''],
      ['SESSION_SECRET', SESSION_SECRET],
      ['TOKEN_ENCRYPTION_KEY', TOKEN_KEY.toString('base64')],
    ]);
    const sids = new Set<string>();
    const remember = async () => {
      for (const s of await bff.sessions()) {
        secrets.set(`id token v${s.version}`, s.tokens.idToken);
        secrets.set(`access token v${s.version}`, s.tokens.accessToken);
        secrets.set(`refresh token v${s.version}`, s.tokens.refreshToken);
        sids.add(s.sid);
      }
    };
    const agent = agentFor(bff.url);
    const keep = (res: Response) => {
      responses.push(res);
      return res;
    };
    const post = async (path: string, fields: Record<string, string>) =>
      keep(
        await agent
          .post(path)
          .type('form')
          .send({ _csrf: (await formToken(agent, path)) ?? '', ...fields }),
      );

    keep(await agent.get('/'));
    keep(await agent.get('/login'));
    await post('/login', { username: 'demo', password: 'Wrong-passw0rd!' });
    await post('/login', { username: 'demo', password: 'Welcome-2-cognito!' });
    sids.add(sessionIdOf(agent));
    keep(await agent.get('/login/new-password'));
    await post('/login/new-password', { newPassword: 'short', confirmPassword: 'short' });
    const signedIn = await post('/login/new-password', {
      newPassword: 'Journey-passw0rd!',
      confirmPassword: 'Journey-passw0rd!',
    });
    assert.equal(signedIn.status, 303);
    sids.add(sessionIdOf(agent));
    await remember();
    keep(await agent.get('/'));
    keep(await agent.get('/auth/me'));
    keep(await agent.post('/api/').set('X-CSRF', '1'));
    keep(await agent.get('/api/whoami?x=1').set('X-CSRF', '1'));
    keep(await agent.get('/api/echo').set('X-CSRF', '1'));
    keep(await agent.post('/api/nowhere').set('X-CSRF', '1'));
    // Force a refresh so the second generation of tokens is checked too.
    const [session] = await bff.sessions();
    assert.ok(session);
    await bff.deps.backend.vault.put(
      session.sid,
      { tokens: { ...session.tokens, idTokenExpiresAt: Date.now() + 1000 }, version: session.version },
      60_000,
    );
    keep(await agent.get('/api/whoami').set('X-CSRF', '1'));
    keep(await agent.get('/api/echo').set('X-CSRF', '1'));
    await remember();
    keep(await agent.get('/nothing-here'));
    keep(await agent.get('/metrics'));
    await post('/logout', {});
    keep(await agent.get('/auth/me'));

    assert.ok(secrets.size >= 11, `${secrets.size} secrets to look for`);
    for (const res of responses) {
      const { 'set-cookie': _cookie, ...headers } = res.headers as Record<string, unknown>;
      const request = (res as unknown as { req: { method: string; path: string } }).req;
      const where = `${request.method} ${request.path}`;
      const text = `${JSON.stringify(headers)}\n${res.text ?? ''}`;
      for (const [name, value] of secrets) {
        assert.ok(value.length >= 16, name);
        assert.ok(!text.includes(value), `${name} in the response to ${where}`);
      }
      for (const sid of sids) assert.ok(!text.includes(sid), `a session id in the response to ${where}`);
    }
    assert.ok(bff.logs.length > 10);
    for (const line of bff.logs) {
      for (const [name, value] of secrets)
        assert.ok(!line.includes(value), `${name} in a log line: ${line.slice(0, 120)}`);
      for (const sid of sids) assert.ok(!line.includes(sid), 'a session id in a log line');
    }
  });

  it("the local stack's echo route shows the browser which token reached the API, never the token", async () => {
    const agent = agentFor(bff.url);
    await signIn(agent, 'alice', 'Alice-Passw0rd!');
    const [session] = (await bff.sessions()).filter((s) => s.user.username === 'alice');
    assert.ok(session);
    const res = await agent.get('/api/echo').set('X-CSRF', '1');
    assert.equal(res.status, 200);
    const text = `${JSON.stringify(res.headers)}\n${res.text}`;
    for (const [name, value] of Object.entries(session.tokens)) {
      if (typeof value === 'string' && value.length >= 16)
        assert.ok(!text.includes(value), `the ${name} in the answer`);
    }
    for (const part of session.tokens.idToken.split('.')) assert.ok(!text.includes(part), 'a part of the ID token');
    assert.deepEqual(res.body.headers['authorization'], [redactCredential(`Bearer ${session.tokens.idToken}`)]);
  });
});
