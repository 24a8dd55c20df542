import { invalidParameter } from '../errors.js';
import { newPoolId } from '../ids.js';
import { newPoolKey } from '../keys.js';
import { epochSeconds } from '../lookup.js';
import type { OperationContext } from '../operation.js';
import { DEFAULT_PASSWORD_POLICY } from '../password-policy.js';
import type { AuthFactor, PoolMfaConfig, UserPool, VerificationMessageTemplate } from '../state.js';
import { DEFAULT_VERIFICATION_MESSAGE } from './outbox.js';

/** A user pool in the shape DescribeUserPool and CreateUserPool return. */
export function describePool(pool: UserPool) {
  return {
    Id: pool.Id,
    Name: pool.Name,
    Arn: pool.Arn,
    Policies: {
      PasswordPolicy: pool.PasswordPolicy,
      SignInPolicy: { AllowedFirstAuthFactors: pool.AllowedFirstAuthFactors },
    },
    UsernameAttributes: pool.UsernameAttributes.length > 0 ? pool.UsernameAttributes : undefined,
    SchemaAttributes: pool.requiredAttributes.map((Name) => ({ Name, Required: true, Mutable: true })),
    AutoVerifiedAttributes: pool.AutoVerifiedAttributes.length > 0 ? pool.AutoVerifiedAttributes : undefined,
    AdminCreateUserConfig: { AllowAdminCreateUserOnly: pool.AllowAdminCreateUserOnly },
    VerificationMessageTemplate: {
      DefaultEmailOption: 'CONFIRM_WITH_CODE',
      SmsMessage: pool.VerificationMessageTemplate.SmsMessage ?? DEFAULT_VERIFICATION_MESSAGE,
      EmailMessage: pool.VerificationMessageTemplate.EmailMessage ?? DEFAULT_VERIFICATION_MESSAGE,
      EmailSubject: pool.VerificationMessageTemplate.EmailSubject ?? 'Your verification code',
    },
    UserAttributeUpdateSettings: {
      AttributesRequireVerificationBeforeUpdate: pool.AttributesRequireVerificationBeforeUpdate,
    },
    MfaConfiguration: pool.Mfa.MfaConfiguration,
    EstimatedNumberOfUsers: pool.users.size,
    CreationDate: epochSeconds(pool.CreationDate),
    LastModifiedDate: epochSeconds(pool.CreationDate),
  };
}

/** The factors USER_AUTH may start with, in the order the API reference lists AuthFactorType. */
export const AUTH_FACTORS = ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN'] as const satisfies readonly AuthFactor[];

/**
 * `Policies.SignInPolicy.AllowedFirstAuthFactors`, checked: PASSWORD must be in the list ("PASSWORD is always
 * required", the console's note on choice-based sign-in; the refusal's wording is the emulator's). A pool that sets
 * no policy allows PASSWORD only, as a pool created before choice-based sign-in. Duplicates are dropped.
 */
export function firstAuthFactors(requested: readonly AuthFactor[] | undefined): AuthFactor[] {
  if (requested === undefined) return ['PASSWORD'];
  if (!requested.includes('PASSWORD')) {
    throw invalidParameter('AllowedFirstAuthFactors must include PASSWORD.');
  }
  return AUTH_FACTORS.filter((factor) => requested.includes(factor));
}

/** Pool ids the emulator creates; a fixed `Id` is accepted so a config file can pin one. */
export async function createPool(
  ctx: OperationContext,
  input: {
    PoolName: string;
    Id?: string;
    Policies?: {
      PasswordPolicy?: Partial<UserPool['PasswordPolicy']>;
      SignInPolicy?: { AllowedFirstAuthFactors?: AuthFactor[] | undefined } | undefined;
    };
    UsernameAttributes?: string[];
    Schema?: { Name?: string; Required?: boolean }[];
    AutoVerifiedAttributes?: string[];
    AdminCreateUserConfig?: { AllowAdminCreateUserOnly?: boolean | undefined };
    VerificationMessageTemplate?: VerificationMessageTemplate;
    UserAttributeUpdateSettings?: { AttributesRequireVerificationBeforeUpdate?: string[] | undefined };
    MfaConfiguration?: PoolMfaConfig['MfaConfiguration'] | undefined;
  },
): Promise<UserPool> {
  const region = 'us-east-1';
  const id = input.Id ?? newPoolId(region);
  if (ctx.state.pools.has(id)) throw invalidParameter(`User pool ${id} already exists.`);
  const now = ctx.clock();
  const pool: UserPool = {
    Id: id,
    Name: input.PoolName,
    Arn: `arn:aws:cognito-idp:${region}:000000000000:userpool/${id}`,
    region,
    issuer: `${ctx.issuerBase()}/${id}`,
    PasswordPolicy: { ...DEFAULT_PASSWORD_POLICY, ...input.Policies?.PasswordPolicy },
    UsernameAttributes: input.UsernameAttributes ?? [],
    requiredAttributes: (input.Schema ?? []).filter((a) => a.Required && a.Name).map((a) => a.Name as string),
    AutoVerifiedAttributes: input.AutoVerifiedAttributes ?? [],
    AllowAdminCreateUserOnly: input.AdminCreateUserConfig?.AllowAdminCreateUserOnly ?? false,
    VerificationMessageTemplate: { ...input.VerificationMessageTemplate },
    AttributesRequireVerificationBeforeUpdate: [
      ...(input.UserAttributeUpdateSettings?.AttributesRequireVerificationBeforeUpdate ?? []),
    ],
    Mfa: { MfaConfiguration: input.MfaConfiguration ?? 'OFF', SoftwareTokenMfaConfiguration: { Enabled: false } },
    AllowedFirstAuthFactors: firstAuthFactors(input.Policies?.SignInPolicy?.AllowedFirstAuthFactors),
    CreationDate: now,
    key: await newPoolKey(),
    users: new Map(),
    groups: new Map(),
    clients: new Map(),
  };
  ctx.state.pools.set(id, pool);
  return pool;
}
