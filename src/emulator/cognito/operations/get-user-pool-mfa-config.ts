import { z } from 'zod';
import { getPool } from '../lookup.js';
import { describeMfaConfig } from '../model/mfa.js';
import { defineOperation } from '../operation.js';

export const getUserPoolMfaConfig = defineOperation({
  name: 'GetUserPoolMfaConfig',
  mutates: false,
  input: z.object({ UserPoolId: z.string() }),
  handler: (input, ctx) => describeMfaConfig(getPool(ctx.state, input.UserPoolId)),
});
