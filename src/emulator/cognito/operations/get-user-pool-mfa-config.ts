import { z } from 'zod';
import { getPool } from '../lookup.js';
import { describeMfaConfig } from '../model/mfa.js';
import { describeWebAuthnConfig } from '../model/webauthn.js';
import { defineOperation } from '../operation.js';

export const getUserPoolMfaConfig = defineOperation({
  name: 'GetUserPoolMfaConfig',
  mutates: false,
  input: z.object({ UserPoolId: z.string() }),
  handler: (input, ctx) => {
    const pool = getPool(ctx.state, input.UserPoolId);
    return { ...describeMfaConfig(pool), ...describeWebAuthnConfig(pool) };
  },
});
