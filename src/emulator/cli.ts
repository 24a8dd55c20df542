import { parseArgs } from 'node:util';
import { loadStackConfig } from './config.js';
import { startLocalStack } from './stack.js';
import type { LocalStack } from './stack.js';
import { otpauthUri } from './cognito/model/totp.js';
import type { OutboxMessage } from './cognito/state.js';

const USAGE = `Usage: npm run emulator -- [--config stack.json] [--state saved.json] [--host 127.0.0.1]
                              [--cognito-port 0] [--api-port 0] [--issuer-base http://host:port]
                              [--allowed-hosts name,.domain]
Starts the local Cognito user pool and API Gateway (ports default to free ones).
Requests are answered only when their Host is a loopback name (localhost, *.localhost, 127.0.0.0/8, [::1]),
the --host address, the --issuer-base host, or one of --allowed-hosts (a name, an address, or .domain for the
domain and its subdomains; comma-separated or repeated): anything else gets 403, so a web page cannot reach
the emulator through DNS rebinding and read the client secret. With --host 0.0.0.0, name the hosts others
use to reach it, e.g. --allowed-hosts cognito,api.internal.`;

function walkthrough(stack: LocalStack): string {
  const pool = stack.pool();
  const clients = [...pool.clients.values()];
  const secretClient = clients.find((c) => c.ClientSecret !== undefined);
  const publicClient = clients.find((c) => c.ClientSecret === undefined);
  const demo = stack.config.userPools.find((p) => p.name === pool.Name)?.users.find((u) => u.temporaryPassword);
  const lines = [
    `Cognito endpoint  ${stack.cognitoEndpoint}`,
    `User pool         ${pool.Id} (${pool.Name}), issuer ${pool.issuer}`,
    ...clients.map(
      (c) =>
        `App client        ${c.ClientId} (${c.ClientName})${c.ClientSecret ? ` secret ${c.ClientSecret}` : ', no secret'}`,
    ),
    `API base URL      ${stack.apiBaseUrl}/`,
    `Outbox            ${stack.outboxUrl} (codes the pool sends; ?username= narrows it)`,
  ];
  if (secretClient && demo?.temporaryPassword) {
    const cli = `aws --endpoint-url ${stack.cognitoEndpoint} cognito-idp`;
    const auth = (extra: string) => `'{"USERNAME":"${demo.username}","PASSWORD":"${demo.temporaryPassword}"${extra}}'`;
    lines.push(
      '',
      'The walkthrough, ready to paste (any credentials do; the emulator does not check signatures):',
      'export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_DEFAULT_REGION=us-east-1',
      `CLIENT_ID=${secretClient.ClientId}`,
      `CLIENT_SECRET=${secretClient.ClientSecret ?? ''}`,
      '# 1. Without SECRET_HASH the confidential client is refused:',
      `${cli} initiate-auth --client-id $CLIENT_ID --auth-flow USER_PASSWORD_AUTH --auth-parameters ${auth('')}`,
      '# 2. With it, the first sign-in asks for a new password:',
      `SECRET_HASH=$(printf '%s' "${demo.username}$CLIENT_ID" | openssl dgst -sha256 -hmac "$CLIENT_SECRET" -binary | base64)`,
      `SESSION=$(${cli} initiate-auth --client-id $CLIENT_ID --auth-flow USER_PASSWORD_AUTH --auth-parameters ${auth(
        ',"SECRET_HASH":"\'"$SECRET_HASH"\'"',
      )} --query Session --output text)`,
      `ID_TOKEN=$(${cli} respond-to-auth-challenge --client-id $CLIENT_ID --challenge-name NEW_PASSWORD_REQUIRED --session "$SESSION" --challenge-responses '{"USERNAME":"${demo.username}","NEW_PASSWORD":"My-new-passw0rd!","SECRET_HASH":"'"$SECRET_HASH"'"}' --query AuthenticationResult.IdToken --output text)`,
      '# 3. Call the API with the ID token:',
      `curl -s -X POST -H "Authorization: Bearer $ID_TOKEN" ${stack.apiBaseUrl}/`,
      '# Or skip the challenge for another user:',
      `${cli} admin-set-user-password --user-pool-id ${pool.Id} --username ${demo.username} --password 'Another-passw0rd!' --permanent`,
    );
  }
  if (publicClient) lines.push('', `The public client ${publicClient.ClientId} signs in without SECRET_HASH.`);
  lines.push(...mfaUsers(stack));
  return lines.join('\n');
}

/** The stack file's users with a second factor: how each signs in, and the authenticator-app secret to add. */
function mfaUsers(stack: LocalStack): string[] {
  const pool = stack.pool();
  const specs = stack.config.userPools.find((p) => p.name === pool.Name)?.users ?? [];
  const lines: string[] = [];
  for (const spec of specs) {
    if (!spec.mfa || spec.mfa.enabled.length === 0 || !spec.password) continue;
    lines.push(`User ${spec.username} / ${spec.password}: MFA ${spec.mfa.enabled.join(', ')}`);
    const secret = spec.mfa.softwareTokenSecret;
    if (secret) {
      lines.push(
        `  authenticator-app secret ${secret} (add it to any TOTP app, or open the URI below)`,
        `  ${otpauthUri(secret, `cognito-bff ${pool.Name}`, spec.username)}`,
      );
    }
    if (spec.mfa.enabled.includes('EMAIL_OTP') || spec.mfa.enabled.includes('SMS_MFA')) {
      lines.push(`  sign-in codes land in the outbox: ${stack.outboxUrl}?username=${spec.username}`);
    }
  }
  return lines.length > 0
    ? ['', `Users with multi-factor sign-in (pool MFA ${pool.Mfa.MfaConfiguration}):`, ...lines]
    : [];
}

/** One console line per message, so a developer signing up sees the code at once. */
const printMessage = (m: OutboxMessage) =>
  console.log(`outbox: ${m.kind} ${m.medium} to ${m.destination} (user ${m.username}, pool ${m.poolId}): ${m.code}`);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      config: { type: 'string' },
      state: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      'cognito-port': { type: 'string', default: '0' },
      'api-port': { type: 'string', default: '0' },
      'issuer-base': { type: 'string' },
      'allowed-hosts': { type: 'string', multiple: true, default: [] },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const started = performance.now();
  const stack = await startLocalStack({
    config: loadStackConfig(values.config),
    host: values.host,
    cognitoPort: Number(values['cognito-port']),
    apiPort: Number(values['api-port']),
    ...(values.state ? { statePath: values.state } : {}),
    ...(values['issuer-base'] ? { issuerBase: values['issuer-base'].replace(/\/+$/, '') } : {}),
    onMessage: printMessage,
    allowedHosts: values['allowed-hosts'].flatMap((list) => list.split(',')).filter((name) => name.trim()),
  });
  console.log(walkthrough(stack));
  console.log(`\nReady in ${Math.round(performance.now() - started)} ms. Ctrl-C stops it.`);
  const stop = () => {
    void stack.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  console.log(USAGE);
  process.exit(1);
});
