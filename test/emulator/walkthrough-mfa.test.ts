import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  AdminGetUserCommand,
  GetUserPoolMfaConfigCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { readOutbox, startTestStack, totpCode } from '../support/stack.js';
import type { TestStack } from '../support/stack.js';

const TESS_SECRET = 'JBSWY3DPEHPK3PXP';

const signIn = (stack: TestStack, username: string, password: string) =>
  stack.cognito.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: stack.publicClient.ClientId,
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  );
const answer = (
  stack: TestStack,
  ChallengeName: 'SOFTWARE_TOKEN_MFA' | 'EMAIL_OTP',
  Session: string | undefined,
  responses: Record<string, string>,
) =>
  stack.cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId: stack.publicClient.ClientId,
      ChallengeName,
      Session,
      ChallengeResponses: responses,
    }),
  );

describe('walkthrough stack: users with multi-factor sign-in', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cognito-mfa-state-'));
  const statePath = join(dir, 'state.json');
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the pool is MFA OPTIONAL with software-token and email MFA; alice signs in without a second factor', async () => {
    const stack = await startTestStack();
    try {
      const config = await stack.cognito.send(new GetUserPoolMfaConfigCommand({ UserPoolId: stack.poolId }));
      assert.equal(config.MfaConfiguration, 'OPTIONAL');
      assert.deepEqual(config.SoftwareTokenMfaConfiguration, { Enabled: true });
      assert.ok(config.EmailMfaConfiguration);
      assert.equal(config.SmsMfaConfiguration, undefined);
      const alice = await signIn(stack, 'alice', 'Alice-Passw0rd!');
      assert.ok(alice.AuthenticationResult);
      const bob = await stack.cognito.send(new AdminGetUserCommand({ UserPoolId: stack.poolId, Username: 'bob' }));
      assert.equal(bob.UserMFASettingList, undefined);
    } finally {
      await stack.close();
    }
  });

  it('tess answers SOFTWARE_TOKEN_MFA with a code from the fixed secret; emil gets an email code', async () => {
    const stack = await startTestStack();
    try {
      const tess = await signIn(stack, 'tess', 'Tess-Passw0rd!');
      assert.equal(tess.ChallengeName, 'SOFTWARE_TOKEN_MFA');
      const tessDone = await answer(stack, 'SOFTWARE_TOKEN_MFA', tess.Session, {
        USERNAME: 'tess',
        SOFTWARE_TOKEN_MFA_CODE: totpCode(TESS_SECRET, stack.clock()),
      });
      assert.ok(tessDone.AuthenticationResult?.IdToken);

      const emil = await signIn(stack, 'emil', 'Emil-Passw0rd!');
      assert.equal(emil.ChallengeName, 'EMAIL_OTP');
      assert.equal(emil.ChallengeParameters?.['CODE_DELIVERY_DESTINATION'], 'e***@e***');
      const [mail] = await readOutbox(stack, '?username=emil');
      assert.equal(mail?.destination, 'emil@example.com');
      const emilDone = await answer(stack, 'EMAIL_OTP', emil.Session, {
        USERNAME: 'emil',
        EMAIL_OTP_CODE: mail?.code ?? '',
      });
      assert.ok(emilDone.AuthenticationResult?.IdToken);
    } finally {
      await stack.close();
    }
  });

  it('the state file keeps the pool MFA settings and each user factors, secret and preference', async () => {
    const first = await startTestStack({ statePath });
    const poolId = first.poolId;
    await first.close();
    const second = await startTestStack({ statePath });
    try {
      assert.equal(second.poolId, poolId);
      const config = await second.cognito.send(new GetUserPoolMfaConfigCommand({ UserPoolId: poolId }));
      assert.equal(config.MfaConfiguration, 'OPTIONAL');
      const tess = await second.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'tess' }));
      assert.deepEqual(tess.UserMFASettingList, ['SOFTWARE_TOKEN_MFA']);
      assert.equal(tess.PreferredMfaSetting, 'SOFTWARE_TOKEN_MFA');
      const challenge = await signIn(second, 'tess', 'Tess-Passw0rd!');
      const done = await answer(second, 'SOFTWARE_TOKEN_MFA', challenge.Session, {
        USERNAME: 'tess',
        SOFTWARE_TOKEN_MFA_CODE: totpCode(TESS_SECRET, second.clock()),
      });
      assert.ok(done.AuthenticationResult);
    } finally {
      await second.close();
    }
  });
});
