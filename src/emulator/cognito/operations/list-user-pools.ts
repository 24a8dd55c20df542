import { z } from 'zod';
import { epochSeconds } from '../lookup.js';
import { defineOperation } from '../operation.js';

export const listUserPools = defineOperation({
  name: 'ListUserPools',
  mutates: false,
  input: z.object({ MaxResults: z.number().int().min(1).max(60), NextToken: z.string().optional() }),
  handler: (input, ctx) => ({
    UserPools: [...ctx.state.pools.values()].slice(0, input.MaxResults).map((p) => ({
      Id: p.Id,
      Name: p.Name,
      CreationDate: epochSeconds(p.CreationDate),
      LastModifiedDate: epochSeconds(p.CreationDate),
    })),
  }),
});
