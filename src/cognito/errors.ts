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
  | 'unsupported-step';

export type CognitoOperation = 'sign-in' | 'challenge' | 'refresh' | 'sign-out';

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
      if (operation === 'challenge') return fail('challenge-expired');
      return fail(operation === 'refresh' ? 'refresh-rejected' : 'bad-credentials');
    case 'UserNotFoundException':
      return fail(operation === 'refresh' ? 'refresh-rejected' : 'bad-credentials');
    case 'RefreshTokenReuseException':
      return fail('refresh-rejected');
    case 'CodeMismatchException':
    case 'ExpiredCodeException':
      return fail('challenge-expired');
    case 'InvalidPasswordException':
      return fail('password-policy');
    case 'UserNotConfirmedException':
      return fail('not-confirmed');
    case 'PasswordResetRequiredException':
      return fail('reset-required');
    case 'TooManyRequestsException':
    case 'LimitExceededException':
    case 'TooManyFailedAttemptsException':
      return fail('throttled');
    case 'InvalidParameterException':
      return fail(operation === 'challenge' ? 'invalid-input' : 'misconfigured');
    case 'ResourceNotFoundException':
    case 'InvalidUserPoolConfigurationException':
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
