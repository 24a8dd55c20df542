import {
  AssociateSoftwareTokenCommand,
  ChangePasswordCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  ResendConfirmationCodeCommand,
  SetUserMFAPreferenceCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
  VerifySoftwareTokenCommand,
  VerifyUserAttributeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { CodeDeliveryDetailsType, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { CognitoCall } from './call.js';
import type { MfaFactor } from './challenges/mfa-choice.js';
import { createCognitoPasskeys } from './passkey-client.js';
import type { CognitoPasskeys } from './passkey-client.js';

export type { Passkey } from './passkey-client.js';
import { secretHash } from './secret-hash.js';
import { userContextData } from './user-context.js';
import type { UserContext } from './user-context.js';

/** Where Cognito says it sent a code: the destination comes masked (`t***@e***`), never whole. */
export interface CodeDelivery {
  destination: string;
  medium: 'EMAIL' | 'SMS';
  attribute: string;
}

export interface SignUpOutcome {
  confirmed: boolean;
  /** Absent when the pool verifies nothing automatically: an administrator confirms the user. */
  delivery?: CodeDelivery;
}

export interface UserProfile {
  username: string;
  attributes: Record<string, string>;
  /** The second factors that are on (GetUser's UserMFASettingList; absent there when none), and the preferred one. */
  mfa: { enabled: MfaFactor[]; preferred?: MfaFactor };
}

/** SetUserMFAPreference's settings for one factor: left out, a factor is unchanged. */
export interface FactorPreference {
  enabled?: boolean;
  preferred?: boolean;
}

const MFA_FACTORS: readonly MfaFactor[] = ['SOFTWARE_TOKEN_MFA', 'EMAIL_OTP', 'SMS_MFA'];
const isFactor = (name: string | undefined): name is MfaFactor => MFA_FACTORS.some((f) => f === name);

const preference = (p: FactorPreference | undefined) =>
  p === undefined
    ? undefined
    : {
        ...(p.enabled !== undefined ? { Enabled: p.enabled } : {}),
        ...(p.preferred !== undefined ? { PreferredMfa: p.preferred } : {}),
      };

/**
 * The account journeys' Cognito calls: self sign-up and its code, password recovery, and what a signed-in user does
 * with their access token (passkeys included, in passkey-client.ts). Calls on behalf of a user carry SECRET_HASH
 * when the client has a secret; the unauthenticated ones carry the browser's UserContext (user-context.ts).
 */
export interface CognitoAccount extends CognitoPasskeys {
  signUp(
    username: string,
    password: string,
    attributes: Record<string, string>,
    context: UserContext,
  ): Promise<SignUpOutcome>;
  /** Confirms the account; the Session Cognito answers signs the user in once through USER_AUTH (if it sends one). */
  confirmSignUp(username: string, code: string, context: UserContext): Promise<{ session?: string }>;
  /** The delivery, or undefined when Cognito sent nothing it would say (no auto-verified attribute). */
  resendSignUpCode(username: string, context: UserContext): Promise<CodeDelivery | undefined>;
  forgotPassword(username: string, context: UserContext): Promise<CodeDelivery | undefined>;
  confirmForgotPassword(username: string, code: string, newPassword: string, context: UserContext): Promise<void>;
  profile(accessToken: string): Promise<UserProfile>;
  changePassword(accessToken: string, current: string, next: string): Promise<void>;
  /** Changes attributes; a changed email or phone gets a code, whose deliveries are returned. */
  updateAttributes(accessToken: string, attributes: Record<string, string>): Promise<CodeDelivery[]>;
  sendVerificationCode(accessToken: string, attribute: string): Promise<CodeDelivery | undefined>;
  verifyAttribute(accessToken: string, attribute: string, code: string): Promise<void>;
  /** AssociateSoftwareToken: a new authenticator-app secret (base32), pending until a code from it is verified. */
  associateSoftwareToken(accessToken: string): Promise<string>;
  /** VerifySoftwareToken: a code from the pending secret; a wrong one is `code-mismatch`. */
  verifySoftwareToken(accessToken: string, code: string, deviceName?: string): Promise<void>;
  /** SetUserMFAPreference: turns factors on or off, and sets the preferred one. */
  setMfaPreference(accessToken: string, settings: Partial<Record<MfaFactor, FactorPreference>>): Promise<void>;
}

export interface CognitoAccountOptions {
  client: CognitoIdentityProviderClient;
  clientId: string;
  clientSecret?: string;
  call: CognitoCall;
}

function deliveryOf(details: CodeDeliveryDetailsType | undefined): CodeDelivery | undefined {
  if (!details?.Destination) return undefined;
  return {
    destination: details.Destination,
    medium: details.DeliveryMedium === 'SMS' ? 'SMS' : 'EMAIL',
    attribute: details.AttributeName ?? (details.DeliveryMedium === 'SMS' ? 'phone_number' : 'email'),
  };
}

const attributeList = (attributes: Record<string, string>) =>
  Object.entries(attributes).map(([Name, Value]) => ({ Name, Value }));

export function createCognitoAccount(options: CognitoAccountOptions): CognitoAccount {
  const { client, clientId, clientSecret, call } = options;
  const hashOf = (username: string) =>
    clientSecret === undefined ? {} : { SecretHash: secretHash(username, clientId, clientSecret) };

  return {
    ...createCognitoPasskeys(client, call),

    async signUp(username, password, attributes, context) {
      const out = await call('sign-up', (abortSignal) =>
        client.send(
          new SignUpCommand({
            ClientId: clientId,
            Username: username,
            Password: password,
            UserAttributes: attributeList(attributes),
            ...hashOf(username),
            ...userContextData(context),
          }),
          { abortSignal },
        ),
      );
      const delivery = deliveryOf(out.CodeDeliveryDetails);
      return { confirmed: out.UserConfirmed === true, ...(delivery ? { delivery } : {}) };
    },

    async confirmSignUp(username, code, context) {
      const out = await call('confirm-sign-up', (abortSignal) =>
        client.send(
          new ConfirmSignUpCommand({
            ClientId: clientId,
            Username: username,
            ConfirmationCode: code,
            ...hashOf(username),
            ...userContextData(context),
          }),
          { abortSignal },
        ),
      );
      return out.Session ? { session: out.Session } : {};
    },

    async resendSignUpCode(username, context) {
      const out = await call('resend-code', (abortSignal) =>
        client.send(
          new ResendConfirmationCodeCommand({
            ClientId: clientId,
            Username: username,
            ...hashOf(username),
            ...userContextData(context),
          }),
          {
            abortSignal,
          },
        ),
      );
      return deliveryOf(out.CodeDeliveryDetails);
    },

    async forgotPassword(username, context) {
      const out = await call('forgot-password', (abortSignal) =>
        client.send(
          new ForgotPasswordCommand({
            ClientId: clientId,
            Username: username,
            ...hashOf(username),
            ...userContextData(context),
          }),
          {
            abortSignal,
          },
        ),
      );
      return deliveryOf(out.CodeDeliveryDetails);
    },

    async confirmForgotPassword(username, code, newPassword, context) {
      await call('confirm-forgot-password', (abortSignal) =>
        client.send(
          new ConfirmForgotPasswordCommand({
            ClientId: clientId,
            Username: username,
            ConfirmationCode: code,
            Password: newPassword,
            ...hashOf(username),
            ...userContextData(context),
          }),
          { abortSignal },
        ),
      );
    },

    async profile(accessToken) {
      const out = await call('account', (abortSignal) =>
        client.send(new GetUserCommand({ AccessToken: accessToken }), { abortSignal }),
      );
      const attributes: Record<string, string> = {};
      for (const { Name, Value } of out.UserAttributes ?? []) if (Name && Value !== undefined) attributes[Name] = Value;
      const enabled = (out.UserMFASettingList ?? []).filter(isFactor);
      const preferred = isFactor(out.PreferredMfaSetting) ? out.PreferredMfaSetting : undefined;
      return { username: out.Username ?? '', attributes, mfa: { enabled, ...(preferred ? { preferred } : {}) } };
    },

    async changePassword(accessToken, current, next) {
      await call('change-password', (abortSignal) =>
        client.send(
          new ChangePasswordCommand({ AccessToken: accessToken, PreviousPassword: current, ProposedPassword: next }),
          { abortSignal },
        ),
      );
    },

    async updateAttributes(accessToken, attributes) {
      const out = await call('account', (abortSignal) =>
        client.send(
          new UpdateUserAttributesCommand({ AccessToken: accessToken, UserAttributes: attributeList(attributes) }),
          {
            abortSignal,
          },
        ),
      );
      return (out.CodeDeliveryDetailsList ?? []).flatMap((d) => deliveryOf(d) ?? []);
    },

    async sendVerificationCode(accessToken, attribute) {
      const out = await call('account', (abortSignal) =>
        client.send(
          new GetUserAttributeVerificationCodeCommand({ AccessToken: accessToken, AttributeName: attribute }),
          {
            abortSignal,
          },
        ),
      );
      return deliveryOf(out.CodeDeliveryDetails);
    },

    async verifyAttribute(accessToken, attribute, code) {
      await call('verify-attribute', (abortSignal) =>
        client.send(
          new VerifyUserAttributeCommand({ AccessToken: accessToken, AttributeName: attribute, Code: code }),
          {
            abortSignal,
          },
        ),
      );
    },

    async associateSoftwareToken(accessToken) {
      const out = await call('account', (abortSignal) =>
        client.send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken }), { abortSignal }),
      );
      if (!out.SecretCode) throw new Error('AssociateSoftwareToken answered without a SecretCode');
      return out.SecretCode;
    },

    async verifySoftwareToken(accessToken, code, deviceName) {
      await call('verify-attribute', (abortSignal) =>
        client.send(
          new VerifySoftwareTokenCommand({
            AccessToken: accessToken,
            UserCode: code,
            ...(deviceName ? { FriendlyDeviceName: deviceName } : {}),
          }),
          { abortSignal },
        ),
      );
    },

    async setMfaPreference(accessToken, settings) {
      await call('account', (abortSignal) =>
        client.send(
          new SetUserMFAPreferenceCommand({
            AccessToken: accessToken,
            SoftwareTokenMfaSettings: preference(settings.SOFTWARE_TOKEN_MFA),
            EmailMfaSettings: preference(settings.EMAIL_OTP),
            SMSMfaSettings: preference(settings.SMS_MFA),
          }),
          { abortSignal },
        ),
      );
    },
  };
}
