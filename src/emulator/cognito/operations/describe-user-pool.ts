import { z } from 'zod';
import { getPool } from '../lookup.js';
import { describePool } from '../model/pools.js';
import { defineOperation } from '../operation.js';

export const describeUserPool = defineOperation({
  name: 'DescribeUserPool',
  mutates: false,
  input: z.object({ UserPoolId: z.string() }),
  handler: (input, ctx) => ({ UserPool: describePool(getPool(ctx.state, input.UserPoolId)) }),
});
