import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { startTestStack } from '../support/stack.js';
import type { TestStack } from '../support/stack.js';
import { needTool } from '../support/tools.js';

const run = promisify(execFile);

const cliEnv = {
  ...process.env,
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_PAGER: '',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
};

/** SECRET_HASH as a shell user computes it: openssl, not our code. */
async function hmacWithOpenssl(message: string, key: string): Promise<string> {
  const { stdout } = await run(
    'sh',
    ['-c', 'printf "%s" "$MSG" | openssl dgst -sha256 -hmac "$KEY" -binary | base64'],
    {
      env: { ...cliEnv, MSG: message, KEY: key },
    },
  );
  return stdout.trim();
}

/** The AWS walkthrough replayed with the real AWS CLI and openssl against the emulator. */
describe('the walkthrough with the AWS CLI', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack();
  });
  after(() => stack.close());

  const env = cliEnv;
  const aws = async (...args: string[]) => {
    try {
      const { stdout } = await run('aws', ['--endpoint-url', stack.cognitoEndpoint, 'cognito-idp', ...args], { env });
      return { ok: true, stdout, stderr: '' };
    } catch (err) {
      const e = err as { stdout: string; stderr: string };
      return { ok: false, stdout: e.stdout, stderr: e.stderr };
    }
  };
  const opensslHash = hmacWithOpenssl;

  it('refuses without SECRET_HASH, challenges with it, signs in, and the API answers', async (t) => {
    if (!needTool(t, 'aws') || !needTool(t, 'openssl')) return;
    const { ClientId: clientId, ClientSecret: secret } = stack.secretClient;
    const params = (extra: Record<string, string>) =>
      JSON.stringify({ USERNAME: 'demo', PASSWORD: 'Welcome-2-cognito!', ...extra });

    const refused = await aws(
      'initiate-auth',
      '--client-id',
      clientId,
      '--auth-flow',
      'USER_PASSWORD_AUTH',
      '--auth-parameters',
      params({}),
    );
    assert.equal(refused.ok, false);
    assert.match(
      refused.stderr,
      new RegExp(
        `\\(NotAuthorizedException\\).*Client ${clientId} is configured with secret but SECRET_HASH was not received`,
      ),
    );

    const secretHash = await opensslHash(`demo${clientId}`, secret);
    const challenge = await aws(
      'initiate-auth',
      '--client-id',
      clientId,
      '--auth-flow',
      'USER_PASSWORD_AUTH',
      '--auth-parameters',
      params({ SECRET_HASH: secretHash }),
    );
    assert.ok(challenge.ok, challenge.stderr);
    const started = JSON.parse(challenge.stdout);
    assert.equal(started.ChallengeName, 'NEW_PASSWORD_REQUIRED');

    const answered = await aws(
      'respond-to-auth-challenge',
      '--client-id',
      clientId,
      '--challenge-name',
      'NEW_PASSWORD_REQUIRED',
      '--session',
      started.Session,
      '--challenge-responses',
      JSON.stringify({ USERNAME: 'demo', NEW_PASSWORD: 'Cli-new-passw0rd!', SECRET_HASH: secretHash }),
    );
    assert.ok(answered.ok, answered.stderr);
    const result = JSON.parse(answered.stdout).AuthenticationResult;
    assert.equal(result.TokenType, 'Bearer');
    assert.equal(result.ExpiresIn, 3600);

    const api = await fetch(`${stack.apiBaseUrl}/`, {
      method: 'POST',
      headers: { authorization: `Bearer ${result.IdToken}` },
    });
    assert.equal(api.status, 200);
    assert.equal(await api.text(), '"Hello from Lambda!"');
    for (const bad of [undefined, 'garbage', `Bearer ${result.AccessToken}`]) {
      const res = await fetch(`${stack.apiBaseUrl}/`, { method: 'POST', headers: bad ? { authorization: bad } : {} });
      assert.equal(res.status, 401);
      assert.equal(await res.text(), '{"message":"Unauthorized"}');
    }
  });

  it('admin-set-user-password --permanent skips the challenge', async (t) => {
    if (!needTool(t, 'aws') || !needTool(t, 'openssl')) return;
    const set = await aws(
      'admin-set-user-password',
      '--user-pool-id',
      stack.poolId,
      '--username',
      'demo',
      '--password',
      'Permanent-passw0rd!',
      '--permanent',
    );
    assert.ok(set.ok, set.stderr);
    const { ClientId: clientId, ClientSecret: secret } = stack.secretClient;
    const signedIn = await aws(
      'initiate-auth',
      '--client-id',
      clientId,
      '--auth-flow',
      'USER_PASSWORD_AUTH',
      '--auth-parameters',
      JSON.stringify({
        USERNAME: 'demo',
        PASSWORD: 'Permanent-passw0rd!',
        SECRET_HASH: await opensslHash(`demo${clientId}`, secret),
      }),
    );
    assert.ok(signedIn.ok, signedIn.stderr);
    const out = JSON.parse(signedIn.stdout);
    assert.equal(out.ChallengeName, undefined);
    assert.ok(out.AuthenticationResult.IdToken);
    const listed = await aws('list-users', '--user-pool-id', stack.poolId);
    assert.ok(
      JSON.parse(listed.stdout).Users.some(
        (u: { Username: string; UserStatus: string }) => u.Username === 'demo' && u.UserStatus === 'CONFIRMED',
      ),
    );
  });
});

/** `npm run emulator` as a developer starts it, driven by the AWS CLI, codes read from its printed outbox URL. */
describe('sign-up and a forgotten password with the AWS CLI against `npm run emulator`', () => {
  let child: ChildProcess | undefined;
  const emulator = { endpoint: '', clientId: '', secret: '', outboxUrl: '' };
  before(async () => {
    child = spawn('npm', ['run', 'emulator'], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm run emulator did not start:\n${output}`)), 60_000);
      child?.stdout?.on('data', () => {
        if (!output.includes('Ready in')) return;
        clearTimeout(timer);
        resolve();
      });
      child?.on('exit', (code) => reject(new Error(`npm run emulator exited with ${String(code)}:\n${output}`)));
    });
    const client = /App client\s+(\S+) \([^)]*\) secret (\S+)/.exec(output);
    emulator.endpoint = /Cognito endpoint\s+(http:\/\/\S+)/.exec(output)?.[1] ?? '';
    emulator.outboxUrl = /Outbox\s+(http:\/\/\S+)/.exec(output)?.[1] ?? '';
    emulator.clientId = client?.[1] ?? '';
    emulator.secret = client?.[2] ?? '';
    assert.ok(emulator.endpoint && emulator.outboxUrl && emulator.clientId && emulator.secret, output);
  });
  after(async () => {
    if (child?.pid !== undefined && child.exitCode === null) {
      process.kill(-child.pid, 'SIGTERM');
      await once(child, 'exit');
    }
  });

  const aws = async (...args: string[]) => {
    try {
      const { stdout } = await run('aws', ['--endpoint-url', emulator.endpoint, 'cognito-idp', ...args], {
        env: cliEnv,
      });
      return { ok: true, stdout, stderr: '' };
    } catch (err) {
      const e = err as { stdout: string; stderr: string };
      return { ok: false, stdout: e.stdout, stderr: e.stderr };
    }
  };
  const opensslHash = (message: string, key: string) => hmacWithOpenssl(message, key);

  it('signs up, confirms with the outbox code, and resets a forgotten password', async (t) => {
    if (!needTool(t, 'aws') || !needTool(t, 'openssl')) return;
    const { clientId, secret } = emulator;
    const secretHash = await opensslHash(`cliuser${clientId}`, secret);
    const common = ['--client-id', clientId, '--secret-hash', secretHash, '--username', 'cliuser'];
    const lastCode = async () => {
      const res = await fetch(`${emulator.outboxUrl}?username=cliuser`);
      const { messages } = (await res.json()) as { messages: { code: string }[] };
      return messages.at(-1)?.code ?? '';
    };

    const signedUp = await aws(
      'sign-up',
      ...common,
      '--password',
      'Cli-user-passw0rd!',
      '--user-attributes',
      'Name=email,Value=cliuser@example.com',
    );
    assert.ok(signedUp.ok, signedUp.stderr);
    const out = JSON.parse(signedUp.stdout);
    assert.equal(out.UserConfirmed, false);
    assert.equal(out.CodeDeliveryDetails.Destination, 'c***@e***');

    const confirmed = await aws('confirm-sign-up', ...common, '--confirmation-code', await lastCode());
    assert.ok(confirmed.ok, confirmed.stderr);

    const forgot = await aws('forgot-password', ...common);
    assert.ok(forgot.ok, forgot.stderr);
    assert.equal(JSON.parse(forgot.stdout).CodeDeliveryDetails.DeliveryMedium, 'EMAIL');
    const wrong = await aws(
      'confirm-forgot-password',
      ...common,
      '--confirmation-code',
      '999999x',
      '--password',
      'Cli-new-passw0rd!',
    );
    assert.equal(wrong.ok, false);
    assert.match(wrong.stderr, /\(CodeMismatchException\).*Invalid verification code provided, please try again\./);
    const reset = await aws(
      'confirm-forgot-password',
      ...common,
      '--confirmation-code',
      await lastCode(),
      '--password',
      'Cli-new-passw0rd!',
    );
    assert.ok(reset.ok, reset.stderr);

    const signedIn = await aws(
      'initiate-auth',
      '--client-id',
      clientId,
      '--auth-flow',
      'USER_PASSWORD_AUTH',
      '--auth-parameters',
      JSON.stringify({ USERNAME: 'cliuser', PASSWORD: 'Cli-new-passw0rd!', SECRET_HASH: secretHash }),
    );
    assert.ok(signedIn.ok, signedIn.stderr);
    assert.ok(JSON.parse(signedIn.stdout).AuthenticationResult.AccessToken);
  });
});
