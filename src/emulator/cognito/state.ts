import type { KeyObject } from 'node:crypto';
import type { JWK } from 'jose';
import type { ChallengeName } from './names.js';
import type { PasswordPolicy } from './password-policy.js';

export type UserStatus = 'UNCONFIRMED' | 'CONFIRMED' | 'FORCE_CHANGE_PASSWORD' | 'RESET_REQUIRED';
export type TimeUnit = 'seconds' | 'minutes' | 'hours' | 'days';

export interface PoolKey {
  kid: string;
  privateKey: KeyObject;
  publicJwk: JWK;
}

export interface AppClient {
  ClientId: string;
  ClientName: string;
  UserPoolId: string;
  ClientSecret?: string;
  ExplicitAuthFlows: string[];
  AccessTokenValidity: number;
  IdTokenValidity: number;
  RefreshTokenValidity: number;
  TokenValidityUnits: { AccessToken: TimeUnit; IdToken: TimeUnit; RefreshToken: TimeUnit };
  PreventUserExistenceErrors: 'ENABLED' | 'LEGACY';
  AuthSessionValidity: number;
  EnableTokenRevocation: boolean;
  RefreshTokenRotation: { Feature: 'ENABLED' | 'DISABLED'; RetryGracePeriodSeconds: number };
  /** Whether UserContextData.IpAddress is believed; only a client with a secret may have it. */
  EnablePropagateAdditionalUserContextData: boolean;
  CreationDate: number;
  LastModifiedDate: number;
}

export interface StoredPassword {
  salt: string;
  hash: string;
}

export interface User {
  Username: string;
  sub: string;
  attributes: Record<string, string>;
  status: UserStatus;
  enabled: boolean;
  password?: StoredPassword;
  /** When a temporary password stops working (ms), for FORCE_CHANGE_PASSWORD users. */
  temporaryPasswordExpiresAt?: number;
  /** The code that confirms an UNCONFIRMED user's sign-up; a newer one replaces it. */
  signUpCode?: PendingCode;
  /** The code ForgotPassword or AdminResetUserPassword sent, which ConfirmForgotPassword takes; the newest only. */
  forgotPasswordCode?: PendingCode;
  /** Codes that verify an attribute (email, phone_number), by attribute name; the newest per attribute only. */
  attributeCodes?: Record<string, PendingCode>;
  /**
   * New values waiting for verification, by attribute name, when the pool's
   * `UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate` keeps the old value until then.
   */
  pendingAttributes?: Record<string, string>;
  /** When (ms) the user last asked for a code by self-service; the send limit counts those in its window. */
  codeRequests?: number[];
  /** MFA factors the user turned on (SetUserMFAPreference, MFA_SETUP); absent or empty: none. */
  mfaEnabled?: MfaFactor[];
  /** The factor SetUserMFAPreference marked preferred, used without asking when several are on. */
  preferredMfa?: MfaFactor;
  /**
   * The `Session` ConfirmSignUp answered, which signs the user in once through InitiateAuth USER_AUTH without another
   * code, on the same client and within its AuthSessionValidity.
   */
  signUpSignIn?: { session: string; clientId: string; expiresAt: number };
  /** The base32 secret of the user's verified software token (authenticator app). */
  softwareTokenSecret?: string;
  /** A secret AssociateSoftwareToken handed out that VerifySoftwareToken has not confirmed yet; the newest only. */
  pendingSoftwareTokenSecret?: string;
  /** Passkeys CompleteWebAuthnRegistration stored, oldest first. */
  webAuthnCredentials?: StoredPasskey[];
  /** The challenge StartWebAuthnRegistration handed out, which CompleteWebAuthnRegistration takes; the newest only. */
  pendingWebAuthnRegistration?: PendingWebAuthnRegistration;
  groups: string[];
  createdAt: number;
  modifiedAt: number;
}

/** A one-time code the pool sent and still accepts. */
export interface PendingCode {
  code: string;
  /** The attribute the code was sent to, which confirming it verifies. */
  attribute?: string;
  expiresAt: number;
  failedAttempts: number;
}

export type DeliveryMedium = 'EMAIL' | 'SMS';
/** Why a message was sent; one value per journey that sends codes. MFA is an SMS_MFA code, EMAIL_OTP an email one. */
export type MessageKind = 'SIGN_UP' | 'FORGOT_PASSWORD' | 'VERIFY_ATTRIBUTE' | 'MFA' | 'EMAIL_OTP' | 'SMS_OTP';

/**
 * What a user may start a USER_AUTH sign-in with (AuthFactorType in the API reference). A pool lists the ones it
 * allows in `Policies.SignInPolicy.AllowedFirstAuthFactors`.
 */
export type AuthFactor = 'PASSWORD' | 'EMAIL_OTP' | 'SMS_OTP' | 'WEB_AUTHN';

/** The second factors a user pool offers, by the ChallengeName that asks for each. */
export type MfaFactor = 'SMS_MFA' | 'SOFTWARE_TOKEN_MFA' | 'EMAIL_OTP';

/** A pool's MFA settings, as SetUserPoolMfaConfig takes them and GetUserPoolMfaConfig answers them. */
export interface PoolMfaConfig {
  MfaConfiguration: 'OFF' | 'ON' | 'OPTIONAL';
  /** Present when SMS MFA is on. */
  SmsMfaConfiguration?: {
    SmsAuthenticationMessage?: string | undefined;
    SmsConfiguration?:
      | { SnsCallerArn?: string | undefined; ExternalId?: string | undefined; SnsRegion?: string | undefined }
      | undefined;
  };
  SoftwareTokenMfaConfiguration: { Enabled: boolean };
  /** Present when email MFA is on. */
  EmailMfaConfiguration?: { Message?: string | undefined; Subject?: string | undefined };
}

/** One message the pool "sent": kept in the outbox instead of reaching an inbox or a phone. */
export interface OutboxMessage {
  poolId: string;
  username: string;
  /** The full address or number (the API answers only a masked one). */
  destination: string;
  medium: DeliveryMedium;
  kind: MessageKind;
  code: string;
  text: string;
  /** ISO 8601. */
  sentAt: string;
}

/** The pool's `VerificationMessageTemplate`, as CreateUserPool takes it. */
export interface VerificationMessageTemplate {
  SmsMessage?: string | undefined;
  EmailMessage?: string | undefined;
  EmailSubject?: string | undefined;
}

/** A pool's `WebAuthnConfiguration` (SetUserPoolMfaConfig), the settings passkey registration and sign-in follow. */
export interface WebAuthnConfig {
  /** The RP ID passkeys are bound to; without one, passkeys cannot be registered (WebAuthnConfigurationMissingException). */
  RelyingPartyId?: string | undefined;
  UserVerification: 'required' | 'preferred';
  FactorConfiguration?: 'SINGLE_FACTOR' | 'MULTI_FACTOR_WITH_USER_VERIFICATION' | undefined;
}

/** One registered passkey. The public key is the COSE key, base64url, so the state file can hold it. */
export interface StoredPasskey {
  /** base64url, as the authenticator made it. */
  CredentialId: string;
  publicKey: string;
  /** The signature counter the authenticator last reported; an assertion must carry a higher one (unless both are 0). */
  counter: number;
  transports: string[];
  FriendlyCredentialName: string;
  RelyingPartyId: string;
  AuthenticatorAttachment?: string;
  /** ms. */
  CreatedAt: number;
}

/** A registration ceremony StartWebAuthnRegistration opened: its challenge, the app client, and when it lapses (ms). */
export interface PendingWebAuthnRegistration {
  challenge: string;
  clientId: string;
  expiresAt: number;
}

export interface Group {
  GroupName: string;
  Description?: string;
  Precedence?: number;
  CreationDate: number;
}

export interface UserPool {
  Id: string;
  Name: string;
  Arn: string;
  region: string;
  issuer: string;
  PasswordPolicy: PasswordPolicy;
  UsernameAttributes: string[];
  /** Schema attributes marked Required, which NEW_PASSWORD_REQUIRED asks for when missing. */
  requiredAttributes: string[];
  /** Attributes (email, phone_number) that SignUp sends a code to, making the user confirmable by it. */
  AutoVerifiedAttributes: string[];
  /** `AdminCreateUserConfig.AllowAdminCreateUserOnly`: when true, SignUp is refused. */
  AllowAdminCreateUserOnly: boolean;
  VerificationMessageTemplate: VerificationMessageTemplate;
  /**
   * `UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate`: attributes (email, phone_number) whose
   * old value stays in place until the new one is verified. Empty (Cognito's default): a new value is stored at once,
   * unverified.
   */
  AttributesRequireVerificationBeforeUpdate: string[];
  Mfa: PoolMfaConfig;
  /** `Policies.SignInPolicy.AllowedFirstAuthFactors`: what USER_AUTH may offer; PASSWORD is always there. */
  AllowedFirstAuthFactors: AuthFactor[];
  /** Passkey settings; absent until SetUserPoolMfaConfig (or the stack file) gives a WebAuthnConfiguration. */
  WebAuthn?: WebAuthnConfig;
  CreationDate: number;
  key: PoolKey;
  users: Map<string, User>;
  groups: Map<string, Group>;
  clients: Map<string, AppClient>;
}

export interface ChallengeSession {
  poolId: string;
  clientId: string;
  username: string;
  challengeName: ChallengeName;
  expiresAt: number;
  /** The code an SMS_MFA or EMAIL_OTP challenge sent; it lives as long as the session. */
  code?: string;
  /** Wrong answers so far; the session dies at the limit. */
  failedAttempts?: number;
  /** MFA_SETUP: set once VerifySoftwareToken accepted a code on this session, so MFA_SETUP can be answered. */
  softwareTokenVerified?: boolean;
  /**
   * USER_AUTH for a user who does not exist, on a client that hides user existence: the session answers like a real
   * one and no answer ever succeeds. `username` is then the name as typed.
   */
  decoy?: boolean;
  /** WEB_AUTHN: the challenge CREDENTIAL_REQUEST_OPTIONS carried; the assertion must sign this one. */
  webAuthnChallenge?: string;
}

/** The context threat protection would have scored a user's last unauthenticated call by (emulator-only). */
export interface RecordedUserContext {
  /** The AWS operation, e.g. InitiateAuth. */
  operation: string;
  clientId: string;
  /** The sent IpAddress when the client propagates it, the caller's own address otherwise. */
  ipAddress: string;
  /** EncodedData as received. */
  encodedData?: string;
  /** When (ms). */
  at: number;
}

export interface RefreshGrant {
  poolId: string;
  clientId: string;
  username: string;
  originJti: string;
  authTime: number;
  expiresAt: number;
  revoked: boolean;
  /** Set when rotation replaced this token: it keeps working until then (the retry grace period), epoch ms. */
  rotatedOutUntil?: number;
}

/** Everything the emulator knows. Secrets live here in memory only; passwords are salted hashes. */
export class CognitoState {
  readonly pools = new Map<string, UserPool>();
  readonly clientPool = new Map<string, string>();
  readonly sessions = new Map<string, ChallengeSession>();
  readonly refreshGrants = new Map<string, RefreshGrant>();
  readonly revokedOrigins = new Set<string>();
  /** Every message sent, oldest first. */
  readonly outbox: OutboxMessage[] = [];
  /** The last user context per pool and user (model/user-context.ts); never saved. */
  readonly userContexts = new Map<string, RecordedUserContext>();
  /** Counters per operation, so tests and benchmarks can see what reached "Cognito". */
  readonly calls = new Map<string, number>();

  countCall(operation: string): void {
    this.calls.set(operation, (this.calls.get(operation) ?? 0) + 1);
  }

  /** Finds a user by canonical username or, in pools that sign in by email, by email. */
  findUser(pool: UserPool, name: string): User | undefined {
    const direct = pool.users.get(name);
    if (direct) return direct;
    if (pool.UsernameAttributes.includes('email')) {
      const wanted = name.toLowerCase();
      for (const user of pool.users.values()) {
        if (user.attributes['email']?.toLowerCase() === wanted) return user;
      }
    }
    return undefined;
  }
}

const UNIT_SECONDS: Record<TimeUnit, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86400 };

export const toSeconds = (value: number, unit: TimeUnit) => value * UNIT_SECONDS[unit];
