import { z } from 'zod';
import { epochSeconds, getPool } from '../lookup.js';
import { createGroup as addGroup } from '../model/groups.js';
import { defineOperation } from '../operation.js';

export const createGroup = defineOperation({
  name: 'CreateGroup',
  mutates: true,
  input: z.object({
    UserPoolId: z.string(),
    GroupName: z.string().min(1).max(128),
    Description: z.string().optional(),
    Precedence: z.number().int().min(0).optional(),
  }),
  handler: (input, ctx) => {
    const pool = getPool(ctx.state, input.UserPoolId);
    const group = addGroup(pool, input, ctx.clock());
    return {
      Group: {
        ...group,
        UserPoolId: pool.Id,
        CreationDate: epochSeconds(group.CreationDate),
        LastModifiedDate: epochSeconds(group.CreationDate),
      },
    };
  },
});
