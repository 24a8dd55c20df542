/**
 * The emulator's start-up time and its InitiateAuth (USER_PASSWORD_AUTH, confidential client) rate.
 * Usage: npm run bench:emulator [-- seconds concurrency]
 */
import { createHmac } from 'node:crypto';
import { Pool } from 'undici';
import { startLocalStack } from '../src/emulator/stack.js';

const seconds = Number(process.argv[2] ?? 5);
const concurrency = Number(process.argv[3] ?? 16);

const t0 = performance.now();
const stack = await startLocalStack();
const startupMs = performance.now() - t0;

const client = [...stack.pool().clients.values()].find((c) => c.ClientSecret);
if (!client?.ClientSecret) throw new Error('no confidential client');
const body = JSON.stringify({
  AuthFlow: 'USER_PASSWORD_AUTH',
  ClientId: client.ClientId,
  AuthParameters: {
    USERNAME: 'alice',
    PASSWORD: 'Alice-Passw0rd!',
    SECRET_HASH: createHmac('sha256', client.ClientSecret).update(`alice${client.ClientId}`).digest('base64'),
  },
});
const pool = new Pool(stack.cognitoEndpoint, { connections: concurrency });
const headers = {
  'content-type': 'application/x-amz-json-1.1',
  'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth',
};

let ok = 0;
let failed = 0;
const deadline = performance.now() + seconds * 1000;
async function worker(): Promise<void> {
  while (performance.now() < deadline) {
    const res = await pool.request({ path: '/', method: 'POST', headers, body });
    const text = await res.body.text();
    if (res.statusCode === 200 && text.includes('IdToken')) ok++;
    else failed++;
  }
}
const started = performance.now();
await Promise.all(Array.from({ length: concurrency }, worker));
const elapsed = (performance.now() - started) / 1000;
await pool.close();
await stack.close();

console.log(`| measure | value |\n|---|---|`);
console.log(`| start-up (both servers, keys, seed) | ${startupMs.toFixed(0)} ms |`);
console.log(
  `| InitiateAuth sign-ins per second (${concurrency} concurrent, ${seconds} s) | ${(ok / elapsed).toFixed(0)} |`,
);
console.log(`| failed requests | ${failed} |`);
