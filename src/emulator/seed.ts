import { clientInput, createClient } from './cognito/model/clients.js';
import { setMfaPreference, setPoolMfaConfig } from './cognito/model/mfa.js';
import { setWebAuthnConfig } from './cognito/model/webauthn.js';
import { createPool } from './cognito/model/pools.js';
import { createUser, setPermanentPassword } from './cognito/model/users.js';
import type { OperationContext } from './cognito/operation.js';
import type { MfaFactor, UserPool } from './cognito/state.js';
import type { PoolConfig } from './config.js';

/** Creates one pool of a stack file through the same code the API operations use, so the same rules apply. */
export async function seedPool(ctx: OperationContext, config: PoolConfig): Promise<UserPool> {
  const pool = await createPool(ctx, {
    PoolName: config.name,
    ...(config.id ? { Id: config.id } : {}),
    Policies: {
      PasswordPolicy: config.passwordPolicy ?? {},
      SignInPolicy: { AllowedFirstAuthFactors: config.allowedFirstAuthFactors },
    },
    UsernameAttributes: config.usernameAttributes,
    Schema: config.requiredAttributes.map((Name) => ({ Name, Required: true })),
    AutoVerifiedAttributes: config.autoVerifiedAttributes,
    AdminCreateUserConfig: { AllowAdminCreateUserOnly: config.allowAdminCreateUserOnly },
    UserAttributeUpdateSettings: {
      AttributesRequireVerificationBeforeUpdate: config.attributesRequireVerificationBeforeUpdate,
    },
    VerificationMessageTemplate: {
      SmsMessage: config.verificationMessage.sms,
      EmailMessage: config.verificationMessage.email,
      EmailSubject: config.verificationMessage.emailSubject,
    },
  });
  setPoolMfaConfig(pool, {
    MfaConfiguration: config.mfa.configuration,
    SoftwareTokenMfaConfiguration: { Enabled: config.mfa.softwareToken },
    ...(config.mfa.sms ? { SmsMfaConfiguration: {} } : {}),
    ...(config.mfa.email ? { EmailMfaConfiguration: {} } : {}),
  });
  if (config.webAuthn) {
    setWebAuthnConfig(pool, {
      RelyingPartyId: config.webAuthn.relyingPartyId,
      UserVerification: config.webAuthn.userVerification,
    });
  }
  const now = ctx.clock();
  for (const group of config.groups) {
    pool.groups.set(group.name, { GroupName: group.name, Description: group.description, CreationDate: now });
  }
  for (const client of config.clients) {
    createClient(
      ctx,
      clientInput.parse({
        UserPoolId: pool.Id,
        ClientName: client.name,
        ClientId: client.id,
        ClientSecret: client.secret,
        GenerateSecret: client.generateSecret || client.secret !== undefined,
        ExplicitAuthFlows: client.explicitAuthFlows,
        AccessTokenValidity: client.accessTokenValidity,
        IdTokenValidity: client.idTokenValidity,
        RefreshTokenValidity: client.refreshTokenValidity,
        TokenValidityUnits: client.tokenValidityUnits,
        PreventUserExistenceErrors: client.preventUserExistenceErrors,
        AuthSessionValidity: client.authSessionValidity,
        RefreshTokenRotation: client.refreshTokenRotation && {
          Feature: client.refreshTokenRotation.feature,
          RetryGracePeriodSeconds: client.refreshTokenRotation.retryGracePeriodSeconds,
        },
        EnablePropagateAdditionalUserContextData: client.enablePropagateAdditionalUserContextData,
      }),
    );
  }
  for (const spec of config.users) {
    const { user } = createUser(ctx, {
      UserPoolId: pool.Id,
      Username: spec.username,
      UserAttributes: Object.entries(spec.attributes).map(([Name, Value]) => ({ Name, Value })),
      ...(spec.temporaryPassword ? { TemporaryPassword: spec.temporaryPassword } : {}),
    });
    if (spec.password) setPermanentPassword(user, spec.password, now);
    user.enabled = spec.enabled;
    if (spec.mfa) {
      if (spec.mfa.softwareTokenSecret) user.softwareTokenSecret = spec.mfa.softwareTokenSecret;
      const on = (factor: MfaFactor) => ({
        Enabled: spec.mfa?.enabled.includes(factor) ?? false,
        PreferredMfa: spec.mfa?.preferred === factor,
      });
      setMfaPreference(
        user,
        {
          SMSMfaSettings: on('SMS_MFA'),
          SoftwareTokenMfaSettings: on('SOFTWARE_TOKEN_MFA'),
          EmailMfaSettings: on('EMAIL_OTP'),
        },
        now,
      );
    }
    for (const group of spec.groups) {
      if (!pool.groups.has(group)) throw new Error(`User ${spec.username} names unknown group ${group}`);
      user.groups.push(group);
    }
  }
  return pool;
}
