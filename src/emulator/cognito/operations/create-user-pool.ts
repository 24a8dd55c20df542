import { z } from 'zod';
import { AUTH_FACTORS, createPool, describePool } from '../model/pools.js';
import { defineOperation } from '../operation.js';

export const createUserPool = defineOperation({
  name: 'CreateUserPool',
  mutates: true,
  input: z.object({
    PoolName: z.string().min(1).max(128),
    Policies: z
      .object({
        PasswordPolicy: z
          .object({
            MinimumLength: z.number().int().min(6).max(99).optional(),
            RequireUppercase: z.boolean().optional(),
            RequireLowercase: z.boolean().optional(),
            RequireNumbers: z.boolean().optional(),
            RequireSymbols: z.boolean().optional(),
            TemporaryPasswordValidityDays: z.number().int().min(0).max(365).optional(),
          })
          .optional(),
        SignInPolicy: z.object({ AllowedFirstAuthFactors: z.array(z.enum(AUTH_FACTORS)).optional() }).optional(),
      })
      .optional(),
    UsernameAttributes: z.array(z.enum(['email', 'phone_number'])).optional(),
    Schema: z.array(z.object({ Name: z.string().optional(), Required: z.boolean().optional() })).optional(),
    AutoVerifiedAttributes: z.array(z.enum(['email', 'phone_number'])).optional(),
    AdminCreateUserConfig: z.object({ AllowAdminCreateUserOnly: z.boolean().optional() }).optional(),
    VerificationMessageTemplate: z
      .object({
        SmsMessage: z.string().optional(),
        EmailMessage: z.string().optional(),
        EmailSubject: z.string().optional(),
      })
      .optional(),
    UserAttributeUpdateSettings: z
      .object({
        AttributesRequireVerificationBeforeUpdate: z.array(z.enum(['email', 'phone_number'])).optional(),
      })
      .optional(),
    MfaConfiguration: z.enum(['OFF', 'ON', 'OPTIONAL']).optional(),
  }),
  handler: async (input, ctx) => ({ UserPool: describePool(await createPool(ctx, input)) }),
});
