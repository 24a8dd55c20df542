import { SAY } from '../http/sentences.js';

/**
 * What a Cognito failure means to the user, decided by the SDK's `err.name` and the operation, never by message
 * text. NotAuthorizedException means "wrong credentials" on sign-in but "your challenge expired" on a challenge
 * answer, so the operation is part of the key.
 */
export type AuthFailureKind =
  | 'bad-credentials'
  | 'refresh-rejected'
  | 'challenge-expired'
  | 'password-policy'
  | 'invalid-input'
  | 'not-confirmed'
  | 'reset-required'
  | 'throttled'
  | 'unavailable'
  | 'misconfigured'
  | 'unsupported-step'
  // Account journeys (sign-up, codes, password recovery, the account page).
  | 'username-taken'
  | 'email-taken'
  | 'sign-up-disabled'
  | 'already-confirmed'
  | 'unknown-user'
  | 'no-recovery-contact'
  | 'code-mismatch'
  | 'code-expired'
  | 'too-many-failures'
  | 'too-many-codes'
  | 'wrong-password'
  | 'delivery-failed'
  /** Not Cognito's: turning a second factor off needs a sign-in within the last few minutes. */
  | 'reauth-required'
  // Passkeys (WebAuthn): the WEB_AUTHN answer, and registration on the account's security page.
  /** The WEB_AUTHN answer was refused: wrong passkey, replayed or cloned assertion, or the sign-in expired. */
  | 'passkey-refused'
  /** WebAuthnNotEnabledException, WebAuthnConfigurationMissingException: the pool does not offer passkeys. */
  | 'passkeys-off'
  /** WebAuthnChallengeNotFoundException: the registration's challenge expired or was already used. */
  | 'passkey-setup-expired'
  /** WebAuthnOriginNotAllowedException, WebAuthnRelyingPartyMismatchException, WebAuthnClientMismatchException. */
  | 'passkey-wrong-site'
  /** WebAuthnCredentialNotSupportedException: the authenticator's answer did not verify or uses an unknown algorithm. */
  | 'passkey-not-supported'
  /** LimitExceededException on CompleteWebAuthnRegistration: the user holds as many passkeys as the pool allows. */
  | 'too-many-passkeys'
  /** ResourceNotFoundException on DeleteWebAuthnCredential: the passkey is already gone. */
  | 'passkey-not-found';

export type CognitoOperation =
  | 'sign-in'
  | 'challenge'
  | 'refresh'
  | 'sign-out'
  | 'sign-up'
  | 'confirm-sign-up'
  | 'resend-code'
  | 'forgot-password'
  | 'confirm-forgot-password'
  /** ChangePassword: NotAuthorizedException is the current password being wrong. */
  | 'change-password'
  /**
   * Calls made with the user's access token (GetUser, UpdateUserAttributes, GetUserAttributeVerificationCode,
   * AssociateSoftwareToken, SetUserMFAPreference).
   */
  | 'account'
  /** VerifyUserAttribute, VerifySoftwareToken: a code checked with the user's access token. */
  | 'verify-attribute'
  /**
   * Passkey registration and removal with the user's access token (StartWebAuthnRegistration,
   * CompleteWebAuthnRegistration, ListWebAuthnCredentials, DeleteWebAuthnCredential): LimitExceededException is the
   * passkey quota, ResourceNotFoundException a passkey already removed.
   */
  | 'passkey';

/** Operations that send a code: LimitExceededException there means "too many codes", not general throttling. */
const SENDS_CODE: ReadonlySet<CognitoOperation> = new Set(['sign-up', 'resend-code', 'forgot-password', 'account']);
/** Operations that check a code: LimitExceededException there means too many wrong codes (the code is dead). */
const CHECKS_CODE: ReadonlySet<CognitoOperation> = new Set([
  'confirm-sign-up',
  'confirm-forgot-password',
  'verify-attribute',
]);

export class AuthFailure extends Error {
  constructor(
    readonly kind: AuthFailureKind,
    /** What went wrong, for logs only: it may name the app client. */
    readonly detail: string,
    /** Cognito's message, shown to the user only for a password-policy failure, where it names the rule. */
    readonly cognitoMessage?: string,
  ) {
    super(`${kind}: ${detail}`);
    this.name = 'AuthFailure';
  }
}

/** The words a user sees for each kind. Cognito's policy message is shown as is: it names the rule broken. */
export const USER_MESSAGES: Record<AuthFailureKind, string> = {
  'bad-credentials': SAY.badCredentials,
  'refresh-rejected': SAY.sessionEnded,
  'challenge-expired': SAY.challengeExpired,
  'password-policy': SAY.passwordPolicy,
  'invalid-input': SAY.invalidInput,
  'not-confirmed': SAY.notConfirmed,
  'reset-required': SAY.resetRequired,
  throttled: SAY.throttled,
  unavailable: SAY.signInUnavailable,
  misconfigured: SAY.signInUnavailable,
  'unsupported-step': SAY.unsupportedStep,
  'username-taken': SAY.usernameTaken,
  'email-taken': SAY.emailTaken,
  'sign-up-disabled': SAY.signUpDisabled,
  'already-confirmed': SAY.alreadyConfirmed,
  'unknown-user': SAY.codeMismatch,
  'no-recovery-contact': SAY.codeMismatch,
  'code-mismatch': SAY.codeMismatch,
  'code-expired': SAY.codeExpired,
  'too-many-failures': SAY.tooManyFailures,
  'too-many-codes': SAY.tooManyCodes,
  'wrong-password': SAY.wrongCurrentPassword,
  'delivery-failed': SAY.deliveryFailed,
  'reauth-required': SAY.signInAgainToTurnOff,
  'passkey-refused': SAY.passkeyRefused,
  'passkeys-off': SAY.passkeysOff,
  'passkey-setup-expired': SAY.passkeySetUpExpired,
  'passkey-wrong-site': SAY.passkeyWrongSite,
  'passkey-not-supported': SAY.passkeyNotSupported,
  'too-many-passkeys': SAY.tooManyPasskeys,
  'passkey-not-found': SAY.passkeyNotFound,
};

interface SdkError {
  name?: string;
  message?: string;
}

/** Maps an error thrown by the Cognito SDK client during `operation` to an AuthFailure. */
export function classifyCognitoError(err: unknown, operation: CognitoOperation): AuthFailure {
  const e = (typeof err === 'object' && err !== null ? err : {}) as SdkError;
  const name = e.name ?? 'Error';
  const detail = `${name}: ${e.message ?? ''}`.trim();
  const fail = (kind: AuthFailureKind) => new AuthFailure(kind, detail, e.message);
  switch (name) {
    case 'NotAuthorizedException':
      switch (operation) {
        case 'challenge':
          return fail('challenge-expired');
        case 'refresh':
        case 'account':
        case 'verify-attribute':
        case 'passkey':
          return fail('refresh-rejected');
        case 'sign-up':
          return fail('sign-up-disabled');
        case 'confirm-sign-up':
          return fail('already-confirmed');
        case 'change-password':
          return fail('wrong-password');
        // "User password cannot be reset in the current state." (a user who never set a password, or unconfirmed).
        case 'forgot-password':
          return fail('no-recovery-contact');
        default:
          return fail('bad-credentials');
      }
    case 'UserNotFoundException':
      if (
        operation === 'refresh' ||
        operation === 'account' ||
        operation === 'verify-attribute' ||
        operation === 'passkey'
      ) {
        return fail('refresh-rejected');
      }
      if (operation === 'sign-in' || operation === 'challenge' || operation === 'sign-out')
        return fail('bad-credentials');
      return fail('unknown-user');
    case 'RefreshTokenReuseException':
      return fail('refresh-rejected');
    // A wrong sign-in code leaves the challenge open for another try, as a wrong reset code does.
    case 'CodeMismatchException':
    case 'EnableSoftwareTokenMFAException':
      return fail('code-mismatch');
    case 'ExpiredCodeException':
      return fail(operation === 'challenge' ? 'challenge-expired' : 'code-expired');
    case 'InvalidPasswordException':
    case 'PasswordHistoryPolicyViolationException':
      return fail('password-policy');
    case 'UserNotConfirmedException':
      return fail('not-confirmed');
    case 'PasswordResetRequiredException':
      return fail('reset-required');
    case 'UsernameExistsException':
      return fail('username-taken');
    case 'AliasExistsException':
      return fail('email-taken');
    case 'CodeDeliveryFailureException':
      return fail('delivery-failed');
    case 'TooManyFailedAttemptsException':
      return fail(operation === 'sign-in' || operation === 'challenge' ? 'throttled' : 'too-many-failures');
    case 'LimitExceededException':
      if (operation === 'passkey') return fail('too-many-passkeys');
      if (CHECKS_CODE.has(operation)) return fail('too-many-failures');
      return fail(SENDS_CODE.has(operation) ? 'too-many-codes' : 'throttled');
    case 'TooManyRequestsException':
      return fail('throttled');
    case 'InvalidParameterException':
      switch (operation) {
        case 'challenge':
        case 'sign-up':
        case 'account':
        case 'verify-attribute':
        case 'passkey':
          return fail('invalid-input');
        // "User is already confirmed." (ResendConfirmationCode API reference).
        case 'resend-code':
          return fail('already-confirmed');
        // "Cannot reset password for the user as there is no registered/verified email or phone_number".
        case 'forgot-password':
          return fail('no-recovery-contact');
        default:
          return fail('misconfigured');
      }
    // The WebAuthn exceptions CompleteWebAuthnRegistration and StartWebAuthnRegistration list (API reference).
    case 'WebAuthnNotEnabledException':
    case 'WebAuthnConfigurationMissingException':
      return fail('passkeys-off');
    case 'WebAuthnChallengeNotFoundException':
      return fail('passkey-setup-expired');
    case 'WebAuthnOriginNotAllowedException':
    case 'WebAuthnRelyingPartyMismatchException':
    case 'WebAuthnClientMismatchException':
      return fail('passkey-wrong-site');
    case 'WebAuthnCredentialNotSupportedException':
      return fail('passkey-not-supported');
    // SoftwareTokenMFANotFoundException: "Software Token MFA has not been enabled by the userPool" (developer
    // guide, "TOTP software token MFA"): the pool, not the user.
    case 'ResourceNotFoundException':
      return fail(operation === 'passkey' ? 'passkey-not-found' : 'misconfigured');
    case 'InvalidUserPoolConfigurationException':
    case 'SoftwareTokenMFANotFoundException':
    case 'UnauthorizedException':
    case 'UnsupportedOperationException':
    case 'UnknownOperationException':
      return fail('misconfigured');
    case 'InternalErrorException':
      return fail('unavailable');
    default:
      // Network errors, timeouts, 5xx and anything unknown: Cognito could not answer; nothing the user did.
      return fail('unavailable');
  }
}
