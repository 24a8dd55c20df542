import { z } from 'zod';
import { invalidParameter } from '../errors.js';
import { getPool } from '../lookup.js';
import { describeUser } from '../model/users.js';
import { defineOperation } from '../operation.js';
import type { User } from '../state.js';

/** ListUsers `Filter`: `attribute = "value"` (exact) or `attribute ^= "value"` (prefix). */
function parseFilter(filter: string | undefined): ((user: User) => boolean) | undefined {
  if (filter === undefined || filter.trim() === '') return undefined;
  const match = /^\s*([\w:]+)\s*(\^?=)\s*"((?:[^"\\]|\\.)*)"\s*$/.exec(filter);
  if (!match) throw invalidParameter('Error while parsing filter.');
  const [, name = '', op, value = ''] = match;
  const read = (user: User) =>
    name === 'username'
      ? user.Username
      : name === 'sub'
        ? user.sub
        : name === 'status'
          ? user.status
          : user.attributes[name];
  return (user) => {
    const actual = read(user);
    if (actual === undefined) return false;
    return op === '=' ? actual === value : actual.startsWith(value);
  };
}

export const listUsers = defineOperation({
  name: 'ListUsers',
  mutates: false,
  input: z.object({
    UserPoolId: z.string(),
    Filter: z.string().optional(),
    Limit: z.number().int().min(0).max(60).optional(),
    AttributesToGet: z.array(z.string()).optional(),
  }),
  handler: (input, ctx) => {
    const keep = parseFilter(input.Filter);
    const users = [...getPool(ctx.state, input.UserPoolId).users.values()].filter((u) => !keep || keep(u));
    return { Users: users.slice(0, input.Limit ?? 60).map(describeUser) };
  },
});
