import { z } from 'zod';
import { CognitoError } from '../errors.js';
import { getPool } from '../lookup.js';
import { describeClient } from '../model/clients.js';
import { defineOperation } from '../operation.js';

export const describeUserPoolClient = defineOperation({
  name: 'DescribeUserPoolClient',
  mutates: false,
  input: z.object({ UserPoolId: z.string(), ClientId: z.string() }),
  handler: (input, ctx) => {
    const client = getPool(ctx.state, input.UserPoolId).clients.get(input.ClientId);
    if (!client)
      throw new CognitoError('ResourceNotFoundException', `User pool client ${input.ClientId} does not exist.`);
    return { UserPoolClient: describeClient(client) };
  },
});
