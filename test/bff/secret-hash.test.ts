import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { secretHash } from '../../src/cognito/secret-hash.js';
import { needTool } from '../support/tools.js';

const run = promisify(execFile);

describe('secretHash', () => {
  it('equals what `openssl dgst -sha256 -hmac <secret> -binary | base64` computes', async (t) => {
    if (!needTool(t, 'openssl')) return;
    const cases = [
      ['demo', 'a0u5tmwjp0pdaul24r7vdlk79d', 'tst9gk1qdjpus3lii2v8de4ohp6715xcitrd6yhfwdrzz4agd6e'],
      ['carol@example.com', '1example23456789', 'secret-with-ünïcode'],
      ['8a5e2c4b-0000-4000-8000-000000000000', 'client', 's'],
    ];
    for (const [username = '', clientId = '', secret = ''] of cases) {
      const { stdout } = await run(
        'sh',
        ['-c', 'printf "%s" "$MSG" | openssl dgst -sha256 -hmac "$KEY" -binary | base64'],
        {
          env: { ...process.env, MSG: username + clientId, KEY: secret },
        },
      );
      assert.equal(secretHash(username, clientId, secret), stdout.trim());
    }
  });
});
