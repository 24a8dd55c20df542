import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { createHostGuard } from '../../src/emulator/host-guard.js';
import { startTestStack } from '../support/stack.js';
import type { TestStack } from '../support/stack.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** A request with the Host header a browser on a rebinding page would send (fetch does not let one set it). */
function send(
  url: string,
  host: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: init.method ?? 'GET', headers: { ...init.headers, host }, signal: AbortSignal.timeout(10_000) },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

const describeClient = (stack: TestStack, host: string) =>
  send(stack.cognitoEndpoint, host, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'AWSCognitoIdentityProviderService.DescribeUserPoolClient',
    },
    body: JSON.stringify({ UserPoolId: stack.poolId, ClientId: stack.secretClient.ClientId }),
  });

const portOf = (url: string) => new URL(url).port;

describe('emulator: DNS rebinding, only loopback or allowed Host names are answered', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack();
  });
  after(() => stack.close());

  it('refuses DescribeUserPoolClient addressed to another host name: 403, AWS-shaped, no client secret', async () => {
    const port = portOf(stack.cognitoEndpoint);
    for (const host of [
      'evil.example',
      `evil.example:${port}`,
      `127.0.0.1.evil.example:${port}`,
      'localhost.evil.example',
    ]) {
      const res = await describeClient(stack, host);
      assert.equal(res.status, 403, host);
      assert.equal(JSON.parse(res.text).__type, 'AccessDeniedException', host);
      assert.ok(!res.text.includes(stack.secretClient.ClientSecret), `the client secret in the answer to ${host}`);
      assert.ok(!res.text.includes(stack.secretClient.ClientId), host);
    }
  });

  it('answers the same call addressed to localhost, 127.0.0.1 or [::1]', async () => {
    const port = portOf(stack.cognitoEndpoint);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, `app.localhost:${port}`]) {
      const res = await describeClient(stack, host);
      assert.equal(res.status, 200, host);
      assert.equal(JSON.parse(res.text).UserPoolClient.ClientSecret, stack.secretClient.ClientSecret, host);
    }
  });

  it('guards the JWKS and the API Gateway stage the same way', async () => {
    const jwks = `${stack.pool().issuer}/.well-known/jwks.json`;
    assert.equal((await send(jwks, 'evil.example')).status, 403);
    assert.equal((await send(jwks, `localhost:${portOf(jwks)}`)).status, 200);

    const api = `${stack.apiBaseUrl}/echo`;
    const refused = await send(api, `evil.example:${portOf(api)}`);
    assert.equal(refused.status, 403);
    assert.deepEqual(JSON.parse(refused.text), { message: 'Forbidden' });
    // Unsigned, so the authorizer's 401 shows the request got past the host check.
    assert.equal((await send(api, `localhost:${portOf(api)}`)).status, 401);
  });
});

describe('emulator: host names given by the operator', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack({
      allowedHosts: ['cognito.test', '.internal.test'],
      issuerBase: 'http://issuer.test:9229',
    });
  });
  after(() => stack.close());

  it('answers allowed names, names under an allowed .domain and the issuer host; nothing else', async () => {
    for (const host of [
      'cognito.test',
      'cognito.test:9229',
      'internal.test',
      'api.internal.test',
      'issuer.test:9229',
    ]) {
      assert.equal((await describeClient(stack, host)).status, 200, host);
    }
    for (const host of ['evil.example', 'cognito.test.evil.example', 'evilinternal.test', 'other.test']) {
      assert.equal((await describeClient(stack, host)).status, 403, host);
    }
  });
});

describe('emulator host guard', () => {
  it('refuses a malformed list entry instead of ignoring it', () => {
    assert.throws(() => createHostGuard(['not a host']), /not a host name/);
    assert.throws(() => createHostGuard(['.']), /not a host name/);
  });

  it('refuses malformed, missing or credential-carrying Host headers', () => {
    const guard = createHostGuard();
    for (const host of [undefined, '', 'evil@localhost', 'localhost/x', 'localhost:port', '0.0.0.0', '[::]', '127.1']) {
      assert.equal(guard(host), false, String(host));
    }
    for (const host of ['localhost', 'LOCALHOST.', '127.9.9.9:1', '[0:0:0:0:0:0:0:1]:80']) {
      assert.equal(guard(host), true, host);
    }
  });
});

describe('emulator CLI: --allowed-hosts', () => {
  it('answers a host name given with --allowed-hosts, and refuses others', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/emulator/cli.ts', '--allowed-hosts', 'a.test,b.test'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      const endpoint = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the emulator did not start:\n${output}`)), 60_000);
        child.stdout.on('data', () => {
          const match = /Cognito endpoint\s+(http:\/\/\S+)/.exec(output);
          if (match?.[1] && output.includes('Ready in')) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        });
        child.on('exit', (code) => reject(new Error(`the emulator exited with ${code}:\n${output}`)));
      });
      const list = (host: string) =>
        send(endpoint, host, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-amz-json-1.1',
            'x-amz-target': 'AWSCognitoIdentityProviderService.ListUserPools',
          },
          body: JSON.stringify({ MaxResults: 10 }),
        });
      assert.equal((await list('b.test')).status, 200);
      assert.equal((await list(`localhost:${portOf(endpoint)}`)).status, 200);
      assert.equal((await list('c.test')).status, 403);
    } finally {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    }
  });
});
