import { readFileSync } from 'node:fs';
import { z } from 'zod';

const userSchema = z.object({
  username: z.string().min(1),
  /** A temporary password: the user signs in through NEW_PASSWORD_REQUIRED. */
  temporaryPassword: z.string().optional(),
  /** A permanent password: the user is CONFIRMED and signs in at once. */
  password: z.string().optional(),
  attributes: z.record(z.string(), z.string()).default({}),
  groups: z.array(z.string()).default([]),
  enabled: z.boolean().default(true),
  /** Second factors the user has on, as SetUserMFAPreference would leave them. */
  mfa: z
    .object({
      enabled: z.array(z.enum(['SMS_MFA', 'SOFTWARE_TOKEN_MFA', 'EMAIL_OTP'])).default([]),
      preferred: z.enum(['SMS_MFA', 'SOFTWARE_TOKEN_MFA', 'EMAIL_OTP']).optional(),
      /** A verified authenticator-app secret (base32), fixed so a person can add it to an app. */
      softwareTokenSecret: z
        .string()
        .regex(/^[A-Z2-7]+=*$/, 'must be base32 (A-Z, 2-7)')
        .optional(),
    })
    .optional(),
});

const clientSchema = z.object({
  name: z.string().min(1),
  id: z.string().optional(),
  secret: z.string().optional(),
  generateSecret: z.boolean().default(false),
  explicitAuthFlows: z.array(z.string()).default(['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']),
  accessTokenValidity: z.number().int().positive().optional(),
  idTokenValidity: z.number().int().positive().optional(),
  refreshTokenValidity: z.number().int().positive().optional(),
  tokenValidityUnits: z
    .object({ AccessToken: z.string().optional(), IdToken: z.string().optional(), RefreshToken: z.string().optional() })
    .optional(),
  preventUserExistenceErrors: z.enum(['ENABLED', 'LEGACY']).default('ENABLED'),
  authSessionValidity: z.number().int().min(3).max(15).optional(),
  refreshTokenRotation: z
    .object({
      feature: z.enum(['ENABLED', 'DISABLED']),
      retryGracePeriodSeconds: z.number().int().min(0).max(60).default(0),
    })
    .optional(),
  /** Believe UserContextData.IpAddress from the caller (EnablePropagateAdditionalUserContextData); needs a secret. */
  enablePropagateAdditionalUserContextData: z.boolean().default(false),
});

const poolSchema = z.object({
  name: z.string().min(1),
  id: z.string().optional(),
  passwordPolicy: z.record(z.string(), z.union([z.number(), z.boolean()])).optional(),
  usernameAttributes: z.array(z.enum(['email', 'phone_number'])).default([]),
  requiredAttributes: z.array(z.string()).default([]),
  /** Attributes SignUp sends a confirmation code to. */
  autoVerifiedAttributes: z.array(z.enum(['email', 'phone_number'])).default([]),
  /** When true, SignUp is refused (AdminCreateUserConfig.AllowAdminCreateUserOnly). */
  allowAdminCreateUserOnly: z.boolean().default(false),
  /** The pool's VerificationMessageTemplate; `{####}` is replaced by the code. */
  verificationMessage: z
    .object({ sms: z.string().optional(), email: z.string().optional(), emailSubject: z.string().optional() })
    .default({}),
  /** Attributes whose old value stays until the new one is verified (UserAttributeUpdateSettings). */
  attributesRequireVerificationBeforeUpdate: z.array(z.enum(['email', 'phone_number'])).default([]),
  /** The pool's MFA (SetUserPoolMfaConfig): OFF, OPTIONAL or ON, and which factors it offers. */
  mfa: z
    .object({
      configuration: z.enum(['OFF', 'ON', 'OPTIONAL']).default('OFF'),
      softwareToken: z.boolean().default(false),
      sms: z.boolean().default(false),
      email: z.boolean().default(false),
    })
    .default({ configuration: 'OFF', softwareToken: false, sms: false, email: false }),
  /**
   * `Policies.SignInPolicy.AllowedFirstAuthFactors`: what choice-based sign-in (USER_AUTH) may start with. PASSWORD
   * must be listed, as Cognito requires.
   */
  allowedFirstAuthFactors: z
    .array(z.enum(['PASSWORD', 'EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN']))
    .refine((factors) => factors.includes('PASSWORD'), 'must include PASSWORD')
    .default(['PASSWORD']),
  /** The pool's passkey settings (SetUserPoolMfaConfig's WebAuthnConfiguration); absent, passkeys are off. */
  webAuthn: z
    .object({
      relyingPartyId: z.string().min(1).max(127),
      userVerification: z.enum(['required', 'preferred']).default('preferred'),
    })
    .optional(),
  groups: z.array(z.object({ name: z.string().min(1), description: z.string().optional() })).default([]),
  clients: z.array(clientSchema).default([]),
  users: z.array(userSchema).default([]),
});

const routeSchema = z
  .object({
    method: z.string().default('ANY'),
    resource: z.string().startsWith('/'),
    handler: z.string(),
    authorizer: z.boolean().default(true),
    /** AuthorizationScopes: the method then takes an access token with one of these scopes, not an ID token. */
    scopes: z.array(z.string().min(1)).min(1).optional(),
  })
  .refine((route) => route.authorizer || route.scopes === undefined, {
    message: 'scopes need the Cognito authorizer (authorizer: true)',
    path: ['scopes'],
  });

/** The local stack described in one JSON file: user pools with clients, groups and users, and one REST API. */
export const stackConfigSchema = z.object({
  userPools: z.array(poolSchema).min(1),
  api: z.object({
    stage: z.string().regex(/^[\w-]+$/),
    /** The pool (by name) whose tokens the API's Cognito authorizer accepts. */
    userPool: z.string(),
    routes: z.array(routeSchema).min(1),
  }),
});

export type StackConfig = z.infer<typeof stackConfigSchema>;
export type PoolConfig = z.infer<typeof poolSchema>;

export const DEFAULT_STACK_CONFIG = new URL('./walkthrough.json', import.meta.url);

/** Reads and checks a stack file; every problem is named with its JSON path. */
export function loadStackConfig(file: string | URL = DEFAULT_STACK_CONFIG): StackConfig {
  const raw: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const parsed = stackConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`Invalid stack config ${String(file)}:\n${problems.join('\n')}`);
  }
  return parsed.data;
}
