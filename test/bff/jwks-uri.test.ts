import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { loadConfig } from '../../src/config/config.js';
import { buildDeps } from '../../src/deps.js';
import { createLogger } from '../../src/http/logger.js';
import { createBffServer } from '../../src/server.js';
import { agentFor, postForm } from '../support/browserless.js';
import { startMoto } from '../support/moto.js';
import type { Moto } from '../support/moto.js';
import { sdkClient } from '../support/stack.js';
import { hasCommand, inCI } from '../support/tools.js';

const REGION = 'us-east-1';
const PASSWORD = 'Final-passw0rd!';

/** The BFF in AWS mode, in this process, with its log lines kept. */
async function startAwsModeBff(env: Record<string, string>) {
  const config = loadConfig({ LOG_LEVEL: 'info', ...env });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      cb();
    },
  });
  const deps = await buildDeps(config, createLogger(config.logLevel, sink));
  const server: Server = createBffServer(deps).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    logs,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await deps.close();
    },
  };
}

/**
 * moto signs tokens whose `iss` is the AWS form (https://cognito-idp.<region>.amazonaws.com/<pool>) while serving
 * the pool's JWKS on its own host, as LocalStack, a VPC endpoint or a JWKS proxy may: only COGNITO_JWKS_URI lets
 * the BFF fetch the keys there and still check `iss` against the AWS issuer.
 */
describe('COGNITO_JWKS_URI: the JWKS on another host than the issuer (moto_server)', () => {
  let moto: Moto | undefined;
  let env: Record<string, string> = {};
  before(async () => {
    if (!hasCommand('moto_server')) {
      if (inCI) throw new Error('moto_server is required in CI but was not found on PATH');
      return;
    }
    moto = await startMoto();
    const cognito = sdkClient(moto.endpoint);
    try {
      const { UserPool } = await cognito.send(new CreateUserPoolCommand({ PoolName: 'jwks-uri' }));
      const poolId = UserPool?.Id ?? '';
      const { UserPoolClient } = await cognito.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: 'web',
          ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        }),
      );
      await cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: 'erin',
          MessageAction: 'SUPPRESS',
          UserAttributes: [{ Name: 'email', Value: 'erin@example.com' }],
        }),
      );
      await cognito.send(
        new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'erin', Password: PASSWORD, Permanent: true }),
      );
      env = {
        COGNITO_REGION: REGION,
        COGNITO_USER_POOL_ID: poolId,
        COGNITO_CLIENT_ID: UserPoolClient?.ClientId ?? '',
        COGNITO_ENDPOINT: moto.endpoint,
        COGNITO_ISSUER: `https://cognito-idp.${REGION}.amazonaws.com/${poolId}`,
        COGNITO_JWKS_URI: `${moto.endpoint}/${poolId}/.well-known/jwks.json`,
        API_BASE_URL: 'http://127.0.0.1:9/prod',
        SESSION_SECRET: 'jwks-uri-test-session-secret-0123456789-abc',
        TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 5).toString('base64'),
      };
    } finally {
      cognito.destroy();
    }
  });
  after(() => moto?.process.kill());

  it('signs in with USER_PASSWORD_AUTH when COGNITO_JWKS_URI names moto and COGNITO_ISSUER the AWS form', async (t) => {
    if (!moto) return t.skip('moto_server not installed');
    const bff = await startAwsModeBff(env);
    try {
      const agent = agentFor(bff.url);
      const res = await postForm(agent, '/login', { username: 'erin', password: PASSWORD });
      assert.equal(res.status, 303, bff.logs.join('\n'));
      const home = await agent.get('/');
      assert.match(home.text, /Signed in as erin/);
    } finally {
      await bff.close();
    }
  });

  it('without it, refuses the sign-in as misconfigured with a clear log line and no stack', async (t) => {
    if (!moto) return t.skip('moto_server not installed');
    // Without COGNITO_JWKS_URI the keys are looked for at the issuer. With COGNITO_ISSUER in the AWS form that is
    // AWS itself (no test reaches out to it); left out, the issuer is moto's host, whose keys load but whose
    // tokens name the AWS issuer: refused either way.
    const { COGNITO_JWKS_URI: _jwks, COGNITO_ISSUER: _issuer, ...without } = env;
    const bff = await startAwsModeBff(without);
    try {
      const res = await postForm(agentFor(bff.url), '/login', { username: 'erin', password: PASSWORD });
      assert.equal(res.status, 503);
      assert.match(res.text, /sign-in is unavailable|try again/i);
      assert.doesNotMatch(res.text, /at .*\.ts:\d+|JwtInvalidIssuerError/, 'no stack or detail on the page');
      const line = bff.logs
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => l['kind'] === 'misconfigured');
      assert.ok(line, bff.logs.join('\n'));
      assert.match(String(line['detail']), /ID token failed verification: JwtInvalidIssuerError/);
      assert.equal(line['err'], undefined, 'no error object (and no stack) on the line');
    } finally {
      await bff.close();
    }
  });
});
