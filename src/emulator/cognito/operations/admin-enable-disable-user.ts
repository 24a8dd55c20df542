import { z } from 'zod';
import { getPool, getUser } from '../lookup.js';
import { setEnabled } from '../model/users.js';
import { defineOperation, userRef } from '../operation.js';

/** AdminEnableUser and AdminDisableUser are one operation on the `enabled` flag, hence one file. */
const enableOrDisable = (name: string, enabled: boolean) =>
  defineOperation({
    name,
    mutates: true,
    input: z.object(userRef),
    handler: (input, ctx) => {
      setEnabled(getUser(ctx.state, getPool(ctx.state, input.UserPoolId), input.Username), enabled, ctx.clock());
      return {};
    },
  });

export const adminEnableUser = enableOrDisable('AdminEnableUser', true);
export const adminDisableUser = enableOrDisable('AdminDisableUser', false);
