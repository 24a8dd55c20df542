import { clientUpdateInput, describeClient, updateClient } from '../model/clients.js';
import { defineOperation } from '../operation.js';

export const updateUserPoolClient = defineOperation({
  name: 'UpdateUserPoolClient',
  mutates: true,
  input: clientUpdateInput,
  handler: (input, ctx) => ({ UserPoolClient: describeClient(updateClient(ctx, input)) }),
});
