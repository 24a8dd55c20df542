import { z } from 'zod';
import { getPool } from '../lookup.js';
import { defineOperation } from '../operation.js';

export const listUserPoolClients = defineOperation({
  name: 'ListUserPoolClients',
  mutates: false,
  input: z.object({ UserPoolId: z.string(), MaxResults: z.number().int().min(1).max(60).optional() }),
  handler: (input, ctx) => ({
    UserPoolClients: [...getPool(ctx.state, input.UserPoolId).clients.values()]
      .slice(0, input.MaxResults ?? 60)
      .map((c) => ({ ClientId: c.ClientId, UserPoolId: c.UserPoolId, ClientName: c.ClientName })),
  }),
});
