import { CognitoError, invalidParameter } from '../errors.js';
import type { MfaFactor, PoolMfaConfig, User, UserPool } from '../state.js';

/** The factors in the order Cognito lists them (SMS, then TOTP, then email). */
export const MFA_FACTORS: readonly MfaFactor[] = ['SMS_MFA', 'SOFTWARE_TOKEN_MFA', 'EMAIL_OTP'];

/** The factors the pool has turned on. */
export function poolFactors(pool: UserPool): MfaFactor[] {
  const { SmsMfaConfiguration, SoftwareTokenMfaConfiguration, EmailMfaConfiguration } = pool.Mfa;
  return MFA_FACTORS.filter((factor) =>
    factor === 'SMS_MFA'
      ? SmsMfaConfiguration !== undefined
      : factor === 'SOFTWARE_TOKEN_MFA'
        ? SoftwareTokenMfaConfiguration.Enabled
        : EmailMfaConfiguration !== undefined,
  );
}

/** The factors the user has turned on, in Cognito's order. */
export const userFactors = (user: User): MfaFactor[] =>
  MFA_FACTORS.filter((factor) => user.mfaEnabled?.includes(factor));

/**
 * Which challenge follows a correct password, if any (developer guide, "Adding MFA to a user pool"): none when the
 * pool's MFA is OFF, or OPTIONAL and the user has no factor on; MFA_SETUP when the pool requires MFA and the user has
 * none; the preferred factor, or the only one; SELECT_MFA_TYPE when several are on and none is preferred
 * ("If multiple options are activated and no preference is set, a challenge to choose an MFA option will be returned",
 * API reference, SetUserMFAPreference).
 */
export function nextMfaChallenge(pool: UserPool, user: User): MfaFactor | 'MFA_SETUP' | 'SELECT_MFA_TYPE' | undefined {
  if (pool.Mfa.MfaConfiguration === 'OFF') return undefined;
  const enabled = userFactors(user);
  if (enabled.length === 0) return pool.Mfa.MfaConfiguration === 'ON' ? 'MFA_SETUP' : undefined;
  if (user.preferredMfa && enabled.includes(user.preferredMfa)) return user.preferredMfa;
  if (enabled.length === 1) return enabled[0];
  return 'SELECT_MFA_TYPE';
}

/** SetUserPoolMfaConfig's input, minus the pool id. */
export interface MfaConfigInput {
  MfaConfiguration?: PoolMfaConfig['MfaConfiguration'] | undefined;
  SmsMfaConfiguration?: PoolMfaConfig['SmsMfaConfiguration'] | undefined;
  SoftwareTokenMfaConfiguration?: { Enabled?: boolean | undefined } | undefined;
  EmailMfaConfiguration?: PoolMfaConfig['EmailMfaConfiguration'] | undefined;
}

/**
 * SetUserPoolMfaConfig: replaces the pool's MFA settings. A factor is on when its configuration is given (SMS,
 * email) or `Enabled` (TOTP). The two refusals are the InvalidParameterException texts users quote:
 * aws/aws-sdk-js#4186 and sst#5177 (ON/OPTIONAL with no factor), lgallard/terraform-aws-cognito-user-pool#74
 * (OFF with a factor).
 */
export function setPoolMfaConfig(pool: UserPool, input: MfaConfigInput): void {
  const next: PoolMfaConfig = {
    MfaConfiguration: input.MfaConfiguration ?? 'OFF',
    SoftwareTokenMfaConfiguration: { Enabled: input.SoftwareTokenMfaConfiguration?.Enabled ?? false },
    ...(input.SmsMfaConfiguration ? { SmsMfaConfiguration: input.SmsMfaConfiguration } : {}),
    ...(input.EmailMfaConfiguration ? { EmailMfaConfiguration: input.EmailMfaConfiguration } : {}),
  };
  const anyFactor =
    next.SmsMfaConfiguration !== undefined ||
    next.EmailMfaConfiguration !== undefined ||
    next.SoftwareTokenMfaConfiguration.Enabled;
  if (next.MfaConfiguration !== 'OFF' && !anyFactor) {
    throw invalidParameter(
      "Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration.",
    );
  }
  if (next.MfaConfiguration === 'OFF' && anyFactor) {
    throw invalidParameter("Invalid MFA configuration given, can't turn off MFA and configure an MFA together.");
  }
  pool.Mfa = next;
}

/** GetUserPoolMfaConfig's answer (and SetUserPoolMfaConfig's). */
export const describeMfaConfig = (pool: UserPool) => ({
  MfaConfiguration: pool.Mfa.MfaConfiguration,
  SoftwareTokenMfaConfiguration: pool.Mfa.SoftwareTokenMfaConfiguration,
  ...(pool.Mfa.SmsMfaConfiguration ? { SmsMfaConfiguration: pool.Mfa.SmsMfaConfiguration } : {}),
  ...(pool.Mfa.EmailMfaConfiguration ? { EmailMfaConfiguration: pool.Mfa.EmailMfaConfiguration } : {}),
});

interface FactorSettings {
  Enabled?: boolean | undefined;
  PreferredMfa?: boolean | undefined;
}

/** SetUserMFAPreference's settings, by factor. */
export interface MfaPreferenceInput {
  SMSMfaSettings?: FactorSettings | undefined;
  SoftwareTokenMfaSettings?: FactorSettings | undefined;
  EmailMfaSettings?: FactorSettings | undefined;
}

/** Whether the user has what a factor delivers to: a verified software token, a phone number, an email address. */
function hasDeliveryFor(user: User, factor: MfaFactor): boolean {
  if (factor === 'SOFTWARE_TOKEN_MFA') return user.softwareTokenSecret !== undefined;
  if (factor === 'SMS_MFA') return Boolean(user.attributes['phone_number']);
  return Boolean(user.attributes['email']);
}

/**
 * SetUserMFAPreference / AdminSetUserMFAPreference: turns factors on or off and sets the one preferred ("Only one
 * factor can be set as preferred", API reference). A factor left out is unchanged. Turning on a factor the user
 * cannot receive is InvalidParameterException "User does not have delivery config set to turn on <factor>"
 * (the text quoted for SOFTWARE_TOKEN_MFA in aws/aws-sdk-js-v3#4645).
 */
export function setMfaPreference(user: User, input: MfaPreferenceInput, now: number): void {
  const settings: [MfaFactor, FactorSettings | undefined][] = [
    ['SMS_MFA', input.SMSMfaSettings],
    ['SOFTWARE_TOKEN_MFA', input.SoftwareTokenMfaSettings],
    ['EMAIL_OTP', input.EmailMfaSettings],
  ];
  for (const [factor, setting] of settings) {
    if (setting?.Enabled && !hasDeliveryFor(user, factor)) {
      throw invalidParameter(`User does not have delivery config set to turn on ${factor}`);
    }
  }
  const enabled = new Set(user.mfaEnabled ?? []);
  let preferred = user.preferredMfa;
  for (const [factor, setting] of settings) {
    if (!setting) continue;
    if (setting.Enabled === true) enabled.add(factor);
    if (setting.Enabled === false) enabled.delete(factor);
    if (setting.PreferredMfa === true) preferred = factor;
    else if (setting.PreferredMfa === false && preferred === factor) preferred = undefined;
  }
  if (preferred && !enabled.has(preferred)) preferred = undefined;
  user.mfaEnabled = MFA_FACTORS.filter((f) => enabled.has(f));
  if (preferred) user.preferredMfa = preferred;
  else delete user.preferredMfa;
  user.modifiedAt = now;
}

/** What GetUser and AdminGetUser say of MFA: both members are left out when the user has no factor on. */
export function describeUserMfa(user: User): { UserMFASettingList?: MfaFactor[]; PreferredMfaSetting?: MfaFactor } {
  const enabled = userFactors(user);
  return {
    ...(enabled.length > 0 ? { UserMFASettingList: enabled } : {}),
    ...(user.preferredMfa ? { PreferredMfaSetting: user.preferredMfa } : {}),
  };
}

/** "Software Token MFA has not been enabled by the userPool" (developer guide, "TOTP software token MFA"). */
export const softwareTokenNotEnabled = () =>
  new CognitoError('SoftwareTokenMFANotFoundException', 'Software Token MFA has not been enabled by the userPool');
