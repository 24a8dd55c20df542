import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { ConfigError, isLocalMode, loadConfig } from '../../src/config/config.js';
import { configWarnings } from '../../src/config/warnings.js';

const run = promisify(execFile);

const AWS_ENV = {
  COGNITO_REGION: 'eu-west-1',
  COGNITO_USER_POOL_ID: 'eu-west-1_AbCdEf123',
  COGNITO_CLIENT_ID: 'abcdefghijklmnopqrstuvwxyz',
  COGNITO_CLIENT_SECRET: 'super-secret-client-secret-value-0123456789abcdef',
  API_BASE_URL: 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod',
  SESSION_SECRET: 'a-session-secret-that-is-long-enough-0123',
  TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
};

describe('configuration', () => {
  it('is local mode when no Cognito pool is configured', () => {
    assert.equal(isLocalMode({}), true);
    assert.equal(isLocalMode({ COGNITO_USER_POOL_ID: 'eu-west-1_x' }), false);
  });

  it('derives the real AWS issuer and JWKS from region and pool', () => {
    const config = loadConfig(AWS_ENV);
    assert.equal(config.mode, 'aws');
    assert.equal(config.cognito.issuer, 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123');
    assert.equal(config.cognito.jwksUri, `${config.cognito.issuer}/.well-known/jwks.json`);
    assert.equal(config.cognito.clientSecret, AWS_ENV.COGNITO_CLIENT_SECRET);
    assert.equal(config.session.secureCookies, false);
    assert.equal(config.session.cookieName, 'bff.sid');
  });

  it('fetches the JWKS from COGNITO_JWKS_URI when set, still checking tokens against the issuer', () => {
    const config = loadConfig({
      ...AWS_ENV,
      COGNITO_ENDPOINT: 'http://127.0.0.1:5000',
      COGNITO_JWKS_URI: 'http://127.0.0.1:5000/eu-west-1_AbCdEf123/.well-known/jwks.json',
      COGNITO_ISSUER: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123',
    });
    assert.equal(config.cognito.jwksUri, 'http://127.0.0.1:5000/eu-west-1_AbCdEf123/.well-known/jwks.json');
    assert.equal(config.cognito.issuer, 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123');
    for (const bad of ['not a url', 'ftp://keys.example.com/jwks.json']) {
      assert.throws(
        () => loadConfig({ ...AWS_ENV, COGNITO_JWKS_URI: bad }),
        (err: unknown) => err instanceof ConfigError && /COGNITO_JWKS_URI: must be an http\(s\) URL/.test(err.message),
        bad,
      );
    }
  });

  it('without a client secret the client is public', () => {
    const { COGNITO_CLIENT_SECRET: _omit, ...rest } = AWS_ENV;
    assert.equal(loadConfig(rest).cognito.clientSecret, undefined);
  });

  it('an https BASE_URL means Secure cookies named __Host-', () => {
    const config = loadConfig({ ...AWS_ENV, BASE_URL: 'https://app.example.com', TRUST_PROXY: '1' });
    assert.equal(config.session.secureCookies, true);
    assert.equal(config.session.cookieName, '__Host-bff.sid');
  });

  it('names the anti-forgery cookie after the session cookie, __Host- prefixed on https', () => {
    assert.equal(loadConfig(AWS_ENV).session.csrfCookieName, 'bff.csrf');
    const https = loadConfig({ ...AWS_ENV, BASE_URL: 'https://app.example.com', TRUST_PROXY: '1' });
    assert.equal(https.session.csrfCookieName, '__Host-bff.csrf');
    assert.equal(loadConfig({ ...AWS_ENV, SESSION_COOKIE_NAME: 'app.sid' }).session.csrfCookieName, 'app.sid.csrf');
  });

  it('the account-wide sign-in limit is more than one address can reach alone', () => {
    assert.deepEqual(loadConfig(AWS_ENV).signInLimits, {
      perIp: 50,
      perUsername: 10,
      perAccount: 100,
      windowSeconds: 900,
    });
    assert.equal(loadConfig({ ...AWS_ENV, SIGN_IN_LIMIT_PER_USERNAME: '30' }).signInLimits.perAccount, 300);
    assert.equal(loadConfig({ ...AWS_ENV, SIGN_IN_LIMIT_PER_ACCOUNT: '21' }).signInLimits.perAccount, 21);
    for (const env of [
      { SIGN_IN_LIMIT_PER_ACCOUNT: '20' },
      { SIGN_IN_LIMIT_PER_ACCOUNT: '100', SIGN_IN_LIMIT_PER_USERNAME: '50' },
    ]) {
      assert.throws(
        () => loadConfig({ ...AWS_ENV, ...env }),
        /SIGN_IN_LIMIT_PER_ACCOUNT: must be more than twice SIGN_IN_LIMIT_PER_USERNAME/,
        JSON.stringify(env),
      );
    }
  });

  it('an https BASE_URL needs TRUST_PROXY, or the Secure cookie could never be set', () => {
    assert.throws(() => loadConfig({ ...AWS_ENV, BASE_URL: 'https://app.example.com' }), /TRUST_PROXY: must name/);
  });

  it('with an https BASE_URL, TRUST_PROXY=true is refused; every message suggests the hop count first', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig({ ...AWS_ENV, BASE_URL: 'https://app.example.com', ...env });
      } catch (err) {
        assert.ok(err instanceof ConfigError);
        return err.problems.filter((p) => p.startsWith('TRUST_PROXY:'));
      }
      return [];
    };
    for (const env of [{}, { TRUST_PROXY: 'true' }, { TRUST_PROXY: ' true ' }] as Record<string, string>[]) {
      const [problem, ...more] = problems(env);
      assert.equal(more.length, 0);
      assert.match(problem ?? '', /hop count.*\(usually 1\) or its addresses$/, JSON.stringify(env));
      assert.doesNotMatch(problem ?? '', /\(true|true,/, 'true is not suggested');
    }
    assert.match(problems({ TRUST_PROXY: 'true' })[0] ?? '', /cannot be true .*any client could choose its address/);
    assert.deepEqual(problems({ TRUST_PROXY: '1' }), []);
    assert.deepEqual(problems({ TRUST_PROXY: '10.0.0.0/8' }), []);
  });

  it('with an http BASE_URL, TRUST_PROXY=true is accepted with a warning naming the risk and the fix', () => {
    const [warning, ...more] = configWarnings(loadConfig({ ...AWS_ENV, TRUST_PROXY: 'true' }));
    assert.equal(more.length, 0);
    assert.equal(warning?.setting, 'TRUST_PROXY');
    assert.match(warning?.message ?? '', /any client can choose its own address.*per-IP sign-in limit/);
    assert.match(warning?.message ?? '', /hop count to your proxy \(usually 1\) or its addresses/);
    assert.deepEqual(configWarnings(loadConfig({ ...AWS_ENV, TRUST_PROXY: '1' })), []);
    assert.deepEqual(configWarnings(loadConfig(AWS_ENV)), []);
  });

  it('METRICS_PUBLIC cannot be true with an operations listener, where /metrics is served instead', () => {
    assert.throws(() => loadConfig({ ...AWS_ENV, OPS_PORT: '9100', METRICS_PUBLIC: 'true' }), /METRICS_PUBLIC: cannot/);
    assert.deepEqual(loadConfig({ ...AWS_ENV, OPS_PORT: '9100' }).ops, {
      listener: { host: '127.0.0.1', port: 9100 },
      publicMetrics: false,
    });
  });

  it('COGNITO_ADVANCED_SECURITY_SCRIPT must name one script, never a wildcard host or a whole folder', () => {
    const amazon =
      'https://amazon-cognito-assets.eu-west-1.amazoncognito.com/amazon-cognito-advanced-security-data.min.js';
    const script = (url: string) => loadConfig({ ...AWS_ENV, COGNITO_ADVANCED_SECURITY_SCRIPT: url });
    assert.equal(script(amazon).cognito.advancedSecurityScript, amazon);
    assert.throws(() => script('https://*.amazonaws.com/x.js'), /COGNITO_ADVANCED_SECURITY_SCRIPT: must name one host/);
    assert.throws(
      () => script('https://%2A.amazonaws.com/x.js'),
      /COGNITO_ADVANCED_SECURITY_SCRIPT: must name one host/,
    );
    for (const url of ['https://*.amazonaws.com/', 'https://evil.example/', 'https://evil.example', `${amazon}/`]) {
      assert.throws(() => script(url), /COGNITO_ADVANCED_SECURITY_SCRIPT: must be the path of the script itself/, url);
    }
    for (const url of [`${amazon}?v=2`, `${amazon}#x`]) {
      assert.throws(() => script(url), /COGNITO_ADVANCED_SECURITY_SCRIPT: must not have a query or fragment/, url);
    }
  });

  it('caps the session lifetime at the refresh token lifetime', () => {
    const config = loadConfig({
      ...AWS_ENV,
      SESSION_MAX_AGE_SECONDS: '999999',
      COGNITO_REFRESH_TOKEN_VALIDITY_SECONDS: '7200',
    });
    assert.equal(config.session.maxAgeSeconds, 7200);
  });

  it('reports every problem at once, naming each variable and never echoing a value', () => {
    let error: unknown;
    try {
      loadConfig({
        COGNITO_REGION: 'nowhere',
        COGNITO_USER_POOL_ID: 'bad pool',
        SESSION_SECRET: 'short-secret-value',
        PORT: 'eighty',
        API_BASE_URL: 'ftp://x',
      });
    } catch (err) {
      error = err;
    }
    assert.ok(error instanceof ConfigError);
    const text = error.message;
    for (const name of [
      'COGNITO_REGION',
      'COGNITO_USER_POOL_ID',
      'COGNITO_CLIENT_ID',
      'SESSION_SECRET',
      'PORT',
      'API_BASE_URL',
      'TOKEN_ENCRYPTION_KEY',
    ]) {
      assert.match(text, new RegExp(`${name}:`), name);
    }
    assert.doesNotMatch(text, /short-secret-value/);
    for (const value of ['nowhere', 'bad pool', 'eighty', 'ftp://x']) {
      assert.ok(!text.includes(value), `${value} is echoed`);
    }
  });

  it('npm start exits 1 with the problems and without the secret when the settings are wrong', async () => {
    const env = { ...process.env, ...AWS_ENV, SESSION_SECRET: 'too-short-but-secret', COGNITO_CLIENT_ID: '' };
    const result = await run('node', ['--import', 'tsx', 'src/main.ts'], { env }).then(
      () => ({ code: 0, stderr: '' }),
      (err: { code: number; stderr: string }) => err,
    );
    assert.equal(result.code, 1);
    assert.match(result.stderr, /SESSION_SECRET: must be at least 32 characters/);
    assert.match(result.stderr, /COGNITO_CLIENT_ID: is required/);
    assert.doesNotMatch(result.stderr, /too-short-but-secret|super-secret-client-secret/);
  });
});
