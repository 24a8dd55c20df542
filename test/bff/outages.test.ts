import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { agentFor, signIn, postForm } from '../support/browserless.js';
import { startBff } from '../support/bff.js';
import { startTestStack } from '../support/stack.js';
import type { TestStack } from '../support/stack.js';
import { deadUrl, fakeHttp, switchableProxy } from '../support/faults.js';

describe('when Cognito is down or throttling', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack();
  });
  after(() => stack.close());

  it('answers sign-in with a 503 "temporarily unavailable" page when Cognito is unreachable', async () => {
    const bff = await startBff({ stack, cognitoEndpoint: await deadUrl() });
    try {
      const res = await postForm(agentFor(bff.url), '/login', { username: 'bob', password: 'Bob-Passw0rd!' });
      assert.equal(res.status, 503);
      assert.match(res.text, /Sign-in is temporarily unavailable/);
      assert.ok(res.headers['retry-after']);
      assert.doesNotMatch(res.text, /ECONNREFUSED|at \w+ \(|node_modules/);
      const again = await agentFor(bff.url).get('/login');
      assert.equal(again.status, 200, 'the server is still up');
    } finally {
      await bff.close();
    }
  });

  it('logs an unreachable Cognito once, not once per sign-in attempt', async () => {
    const bff = await startBff({ stack, cognitoEndpoint: await deadUrl() });
    try {
      const statuses = [];
      for (let i = 0; i < 10; i++) {
        statuses.push((await postForm(agentFor(bff.url), '/login', { username: 'bob', password: 'x' })).status);
      }
      assert.deepEqual([...new Set(statuses)], [503]);
      const problems = bff.logs.map((l) => JSON.parse(l)).filter((l) => l.level >= 40);
      assert.deepEqual(
        problems.map((l) => l.msg),
        ['cognito unavailable'],
        'one line for the outage, none per attempt',
      );
      assert.ok(
        bff.logs.every((l) => !(JSON.parse(l) as { err?: { stack?: string } }).err?.stack),
        'no stack trace in the log for answers we chose',
      );
    } finally {
      await bff.close();
    }
  });

  it('answers sign-in with 429, Retry-After and a page saying when to try again when Cognito throttles', async () => {
    const throttling = await fakeHttp((_req, res) => {
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ __type: 'TooManyRequestsException', message: 'Too many requests' }));
    });
    const bff = await startBff({ stack, cognitoEndpoint: throttling.url });
    try {
      const res = await postForm(agentFor(bff.url), '/login', { username: 'bob', password: 'Bob-Passw0rd!' });
      assert.equal(res.status, 429);
      assert.equal(res.headers['retry-after'], '60');
      assert.match(res.text, /Too many sign-in attempts\. Please wait a minute and try again\./);
    } finally {
      await bff.close();
      await throttling.close();
    }
  });

  it('signs out locally even when Cognito is down, and tells the user', async () => {
    const gate = await switchableProxy(stack.cognitoEndpoint);
    const bff = await startBff({ stack, cognitoEndpoint: gate.url });
    try {
      const agent = agentFor(bff.url);
      await signIn(agent, 'bob', 'Bob-Passw0rd!');
      gate.up = false;
      const res = await postForm(agent, '/logout', {});
      assert.equal(res.status, 200);
      assert.match(res.text, /You have signed out/);
      assert.equal((await agent.get('/auth/me')).status, 401);
      assert.ok(bff.logs.some((l) => l.includes('Cognito sign-out incomplete')));
    } finally {
      await bff.close();
      await gate.close();
    }
  });
});
