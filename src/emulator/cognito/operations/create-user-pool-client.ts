import { clientInput, createClient, describeClient } from '../model/clients.js';
import { defineOperation } from '../operation.js';

export const createUserPoolClient = defineOperation({
  name: 'CreateUserPoolClient',
  mutates: true,
  // Only a stack config file may pin a client's id or secret.
  input: clientInput.omit({ ClientId: true, ClientSecret: true }),
  handler: (input, ctx) => ({ UserPoolClient: describeClient(createClient(ctx, input)) }),
});
