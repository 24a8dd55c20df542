import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  AdminCreateUserCommand,
  CreateGroupCommand,
  AdminAddUserToGroupCommand,
  AdminGetUserCommand,
  ConfirmForgotPasswordCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  ListUsersCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestStack } from '../support/stack.js';

describe('emulator state saved to a JSON file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cognito-state-'));
  const statePath = join(dir, 'state.json');
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps users, groups, passwords and client ids across a restart, but never the signing key', async () => {
    const first = await startTestStack({ statePath });
    const poolId = first.poolId;
    const clientId = first.publicClient.ClientId;
    await first.cognito.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'saved' }));
    await first.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: 'frank',
        TemporaryPassword: 'Frank-temp-1!',
        MessageAction: 'SUPPRESS',
      }),
    );
    await first.cognito.send(
      new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: 'frank', GroupName: 'saved' }),
    );
    const firstKid = first.pool().key.kid;
    await first.close();

    const saved = readFileSync(statePath, 'utf8');
    assert.equal(statSync(statePath).mode & 0o077, 0, 'only the owner may read it');
    assert.doesNotMatch(saved, /PRIVATE KEY|"d":/);
    assert.doesNotMatch(saved, /Frank-temp-1!/, 'passwords are stored hashed');

    const second = await startTestStack({ statePath });
    try {
      assert.equal(second.poolId, poolId);
      assert.equal(second.publicClient.ClientId, clientId);
      assert.notEqual(second.pool().key.kid, firstKid, 'a new signing key after the restart');
      const frank = await second.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'frank' }));
      assert.equal(frank.UserStatus, 'FORCE_CHANGE_PASSWORD');
      assert.deepEqual(second.pool().users.get('frank')?.groups, ['saved']);
      const out = await second.cognito.send(
        new InitiateAuthCommand({
          AuthFlow: 'USER_PASSWORD_AUTH',
          ClientId: clientId,
          AuthParameters: { USERNAME: 'frank', PASSWORD: 'Frank-temp-1!' },
        }),
      );
      assert.equal(out.ChallengeName, 'NEW_PASSWORD_REQUIRED');
    } finally {
      await second.close();
    }
  });

  it('is written after calls that change state, sign-in included, and never after reads', async () => {
    const path = join(dir, 'writes.json');
    const stack = await startTestStack({ statePath: path });
    rmSync(path);
    try {
      await stack.cognito.send(new DescribeUserPoolCommand({ UserPoolId: stack.poolId }));
      await stack.cognito.send(new ListUsersCommand({ UserPoolId: stack.poolId }));
      await stack.cognito.send(new AdminGetUserCommand({ UserPoolId: stack.poolId, Username: 'alice' }));
    } finally {
      await stack.close();
    }
    assert.equal(existsSync(path), false, 'reads do not write the file');

    const again = await startTestStack({ statePath: path });
    rmSync(path);
    try {
      const out = await again.cognito.send(
        new InitiateAuthCommand({
          AuthFlow: 'USER_PASSWORD_AUTH',
          ClientId: again.publicClient.ClientId,
          AuthParameters: { USERNAME: 'alice', PASSWORD: 'Alice-Passw0rd!' },
        }),
      );
      assert.ok(out.AuthenticationResult?.RefreshToken, 'signed in');
    } finally {
      await again.close();
    }
    assert.equal(existsSync(path), true, 'a sign-in, which issues a refresh token, is followed by a save');
  });

  it('keeps the outbox and the pending sign-up code across a restart', async () => {
    const path = join(dir, 'outbox.json');
    const first = await startTestStack({ statePath: path });
    let before: unknown;
    try {
      await first.cognito.send(
        new SignUpCommand({
          ClientId: first.publicClient.ClientId,
          Username: 'kim',
          Password: 'Kim-Passw0rd!',
          UserAttributes: [{ Name: 'email', Value: 'kim@example.com' }],
        }),
      );
      before = await (await fetch(first.outboxUrl)).json();
    } finally {
      await first.close();
    }

    const second = await startTestStack({ statePath: path });
    try {
      const after = (await (await fetch(second.outboxUrl)).json()) as { messages: { code: string }[] };
      assert.deepEqual(after, before);
      assert.equal(after.messages.length, 1);
      assert.equal(second.pool().users.get('kim')?.signUpCode?.code, after.messages[0]?.code);
      assert.equal(second.pool().users.get('kim')?.status, 'UNCONFIRMED');
    } finally {
      await second.close();
    }
  });

  it('keeps a pending reset code and the attribute update setting across a restart', async () => {
    const path = join(dir, 'reset.json');
    const first = await startTestStack({ statePath: path });
    let poolId: string | undefined;
    try {
      await first.cognito.send(new ForgotPasswordCommand({ ClientId: first.publicClient.ClientId, Username: 'alice' }));
      const { UserPool } = await first.cognito.send(
        new CreateUserPoolCommand({
          PoolName: 'verify-first',
          UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
        }),
      );
      poolId = UserPool?.Id;
    } finally {
      await first.close();
    }

    const second = await startTestStack({ statePath: path });
    try {
      const messages = ((await (await fetch(second.outboxUrl)).json()) as { messages: { code: string }[] }).messages;
      await second.cognito.send(
        new ConfirmForgotPasswordCommand({
          ClientId: second.publicClient.ClientId,
          Username: 'alice',
          ConfirmationCode: messages.at(-1)?.code ?? '',
          Password: 'Alice-Passw0rd-2!',
        }),
      );
      const { UserPool } = await second.cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
      assert.deepEqual(UserPool?.UserAttributeUpdateSettings?.AttributesRequireVerificationBeforeUpdate, ['email']);
    } finally {
      await second.close();
    }
  });
});
