import { z } from 'zod';
import { getPool } from '../lookup.js';
import { describeMfaConfig, setPoolMfaConfig } from '../model/mfa.js';
import { describeWebAuthnConfig, setWebAuthnConfig } from '../model/webauthn.js';
import { defineOperation } from '../operation.js';

export const smsMfaConfiguration = z.object({
  SmsAuthenticationMessage: z.string().min(6).max(140).optional(),
  SmsConfiguration: z
    .object({
      SnsCallerArn: z.string().optional(),
      ExternalId: z.string().optional(),
      SnsRegion: z.string().optional(),
    })
    .optional(),
});

export const setUserPoolMfaConfig = defineOperation({
  name: 'SetUserPoolMfaConfig',
  mutates: true,
  input: z.object({
    UserPoolId: z.string(),
    MfaConfiguration: z.enum(['OFF', 'ON', 'OPTIONAL']).optional(),
    SmsMfaConfiguration: smsMfaConfiguration.optional(),
    SoftwareTokenMfaConfiguration: z.object({ Enabled: z.boolean().optional() }).optional(),
    EmailMfaConfiguration: z.object({ Message: z.string().optional(), Subject: z.string().optional() }).optional(),
    WebAuthnConfiguration: z
      .object({
        RelyingPartyId: z.string().min(1).max(127).optional(),
        UserVerification: z.enum(['required', 'preferred']).optional(),
        FactorConfiguration: z.enum(['SINGLE_FACTOR', 'MULTI_FACTOR_WITH_USER_VERIFICATION']).optional(),
      })
      .optional(),
  }),
  handler: (input, ctx) => {
    const pool = getPool(ctx.state, input.UserPoolId);
    setPoolMfaConfig(pool, input);
    // Left out, the pool's passkey settings stay as they were.
    if (input.WebAuthnConfiguration) setWebAuthnConfig(pool, input.WebAuthnConfiguration);
    return { ...describeMfaConfig(pool), ...describeWebAuthnConfig(pool) };
  },
});
