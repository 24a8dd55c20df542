import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { AdminCreateUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { agentFor, postForm } from '../support/browserless.js';
import { startBff } from '../support/bff.js';
import { fakeHttp } from '../support/faults.js';
import { startTestStack } from '../support/stack.js';
import type { TestStack } from '../support/stack.js';

const UNSUPPORTED =
  /Your account needs a sign-in step \(such as multi-factor authentication\) this site does not offer yet\./;

const readBody = async (req: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

/** Cognito as the emulator answers it, except where `override` answers an operation itself. */
function cognitoWith(
  stack: TestStack,
  override: (operation: string, body: string, res: ServerResponse) => boolean,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void (async () => {
      const body = await readBody(req);
      const operation =
        String(req.headers['x-amz-target'] ?? '')
          .split('.')
          .pop() ?? '';
      if (override(operation, body, res)) return;
      const upstream = await fetch(stack.cognitoEndpoint, {
        method: 'POST',
        headers: {
          'content-type': String(req.headers['content-type']),
          'x-amz-target': String(req.headers['x-amz-target']),
        },
        body,
      });
      res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
      res.end(await upstream.text());
    })();
  };
}

const answer = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
  res.end(JSON.stringify(body));
};

describe('sign-in steps', () => {
  let stack: TestStack;
  let counter = 0;
  before(async () => {
    stack = await startTestStack();
  });
  after(() => stack.close());

  async function newUser(): Promise<string> {
    const username = `steps-${++counter}`;
    await stack.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: stack.poolId,
        Username: username,
        TemporaryPassword: 'Temporary-passw0rd!',
        MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }],
      }),
    );
    return username;
  }

  it('refuses a challenge this site does not offer, or one Cognito has newly invented, with a clear message', async () => {
    let challengeName = '';
    const cognito = await fakeHttp(
      cognitoWith(stack, (operation, _body, res) => {
        if (operation !== 'InitiateAuth') return false;
        answer(res, 200, { ChallengeName: challengeName, Session: 'AYABe-session', ChallengeParameters: {} });
        return true;
      }),
    );
    const bff = await startBff({ stack, cognitoEndpoint: cognito.url });
    try {
      for (const name of ['PASSWORD_SRP', 'CUSTOM_CHALLENGE', 'PASSWORD', 'DEVICE_SRP_AUTH', 'A_CHALLENGE_FROM_2030']) {
        challengeName = name;
        const agent = agentFor(bff.url);
        const res = await postForm(agent, '/login', { username: 'bob', password: 'Bob-Passw0rd!' });
        assert.equal(res.status, 403, name);
        assert.match(res.text, UNSUPPORTED, name);
        assert.doesNotMatch(res.text, /AYABe/, name);
        const step = await agent.get('/login/new-password');
        assert.equal(step.status, 303, `${name}: no challenge is left pending`);
        assert.equal((await agent.get('/auth/me')).status, 401, `${name}: not signed in`);
      }
    } finally {
      await bff.close();
      await cognito.close();
    }
  });

  it('keeps returnTo when Cognito throttles the answer to a challenge', async () => {
    const cognito = await fakeHttp(
      cognitoWith(stack, (operation, _body, res) => {
        if (operation !== 'RespondToAuthChallenge') return false;
        answer(res, 400, { __type: 'TooManyRequestsException', message: 'Too many requests' });
        return true;
      }),
    );
    const bff = await startBff({ stack, cognitoEndpoint: cognito.url });
    try {
      const agent = agentFor(bff.url);
      const username = await newUser();
      const started = await postForm(agent, '/login', {
        username,
        password: 'Temporary-passw0rd!',
        returnTo: '/auth/me',
      });
      assert.equal(started.headers['location'], '/login/new-password');
      const res = await postForm(agent, '/login/new-password', {
        newPassword: 'Brand-new-passw0rd!',
        confirmPassword: 'Brand-new-passw0rd!',
      });
      assert.equal(res.status, 429);
      assert.match(res.text, /Too many sign-in attempts\. Please wait a minute and try again\./);
      assert.match(res.text, /name="returnTo" value="\/auth\/me"/, 'the sign-in form still goes back to /auth/me');
    } finally {
      await bff.close();
      await cognito.close();
    }
  });

  it('keeps returnTo when Cognito cannot answer a challenge: "Try again" leads back to it', async () => {
    const cognito = await fakeHttp(
      cognitoWith(stack, (operation, _body, res) => {
        if (operation !== 'RespondToAuthChallenge') return false;
        answer(res, 500, { __type: 'InternalErrorException', message: 'Internal error' });
        return true;
      }),
    );
    const bff = await startBff({ stack, cognitoEndpoint: cognito.url });
    try {
      const agent = agentFor(bff.url);
      const username = await newUser();
      await postForm(agent, '/login', { username, password: 'Temporary-passw0rd!', returnTo: '/auth/me?x=1' });
      const res = await postForm(agent, '/login/new-password', {
        newPassword: 'Brand-new-passw0rd!',
        confirmPassword: 'Brand-new-passw0rd!',
      });
      assert.equal(res.status, 503);
      assert.match(res.text, /Sign-in is temporarily unavailable/);
      const again = /<a href="([^"]+)">Try again<\/a>/.exec(res.text)?.[1] ?? '';
      const login = await agent.get(again.replaceAll('&amp;', '&'));
      assert.match(login.text, /name="returnTo" value="\/auth\/me\?x=1"/);
    } finally {
      await bff.close();
      await cognito.close();
    }
  });

  describe('past the sign-in limits', () => {
    const limits = { SIGN_IN_LIMIT_PER_USERNAME: '3', SIGN_IN_LIMIT_PER_IP: '100' };

    it('the 429 sign-in page keeps the returnTo the form was posted with', async () => {
      const bff = await startBff({ stack, env: limits });
      try {
        const agent = agentFor(bff.url);
        for (let i = 0; i < 3; i++) {
          const res = await postForm(agent, '/login', {
            username: 'bob',
            password: `Wrong-${i}!`,
            returnTo: '/auth/me',
          });
          assert.equal(res.status, 401);
        }
        const blocked = await postForm(agent, '/login', { username: 'bob', password: 'x', returnTo: '/auth/me' });
        assert.equal(blocked.status, 429);
        assert.match(blocked.text, /Too many sign-in attempts\. Try again in 15 minutes\./);
        assert.match(blocked.text, /name="returnTo" value="\/auth\/me"/);
      } finally {
        await bff.close();
      }
    });

    it('the 429 page after too many answers to a challenge keeps the returnTo of the sign-in', async () => {
      const bff = await startBff({ stack, env: limits });
      try {
        const agent = agentFor(bff.url);
        const username = await newUser();
        await postForm(agent, '/login', { username, password: 'Temporary-passw0rd!', returnTo: '/auth/me' });
        const mismatch = { newPassword: 'Brand-new-passw0rd!', confirmPassword: 'other' };
        for (let i = 0; i < 3; i++) assert.equal((await postForm(agent, '/login/new-password', mismatch)).status, 400);
        const blocked = await postForm(agent, '/login/new-password', mismatch);
        assert.equal(blocked.status, 429);
        assert.match(blocked.text, /name="returnTo" value="\/auth\/me"/);
      } finally {
        await bff.close();
      }
    });
  });
});
