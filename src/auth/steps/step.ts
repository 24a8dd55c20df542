import type { AnswerOf, SupportedChallengeName } from '../../cognito/challenges/index.js';
import type { CognitoAuth } from '../../cognito/auth-client.js';
import type { AuthFailure, AuthFailureKind } from '../../cognito/errors.js';
import type { PendingChallenge } from '../../session/types.js';

/** What a step's page may need to know about the site. */
export interface StepSite {
  /** The issuer name authenticator apps show (MFA_ISSUER_NAME). */
  mfaIssuer: string;
  /** SIGN_IN_METHODS: the ways this site offers, in its order. */
  signInMethods: ('password' | 'email_otp' | 'sms_otp' | 'passkey')[];
  /** Whether passkey sign-in pages are on (WEB_AUTHN is offered only then). */
  passkeys: boolean;
}

/** What the user typed, echoed back on the form after a problem. Never a password. */
export type FormValues = Record<string, string>;

/** The posted form, read: the answer to send to Cognito, or the same form again with a message. */
export type FormReading<N extends SupportedChallengeName> =
  | { answer: AnswerOf<N>; values: FormValues }
  | { error: string; values: FormValues; /** The field the error is about (marked aria-invalid). */ invalid?: string };

/**
 * One sign-in step as a page of this site, for one Cognito challenge: where it lives, what it shows, how its form
 * becomes the answer. Cognito's side of the same challenge is in src/cognito/challenges; the flow (flow.ts) does
 * the rest: calling Cognito, then signing in, moving to the next step, or showing this form again.
 */
export interface PageStep<N extends SupportedChallengeName> {
  /** The form's URL; GET shows it, POST answers it. */
  path: string;
  /** Nunjucks view, under views/auth/. */
  view: string;
  /** What the view shows besides `error` and `invalid`. */
  context(
    pending: PendingChallenge<N>,
    values: FormValues,
    site: StepSite,
  ): Promise<Record<string, unknown>> | Record<string, unknown>;
  /**
   * Work before the form can be shown (MFA set-up asks Cognito for the app's secret once): the pending challenge
   * to keep from now on, or the same one.
   */
  prepare?(pending: PendingChallenge<N>, cognito: CognitoAuth): Promise<PendingChallenge<N>>;
  read(body: unknown, pending: PendingChallenge<N>): FormReading<N>;
  /**
   * Cognito refusals shown on this form, with the words to show (others go back to sign-in or to the failure
   * page). The HTTP status is the kind's usual one.
   */
  onForm?: Partial<Record<AuthFailureKind, (err: AuthFailure) => string>>;
  /**
   * What a refusal means for this answer when Cognito's error name alone cannot say: NotAuthorizedException to a
   * challenge is an expired session, except when the answer carried a password, where it is a wrong password.
   */
  reinterpret?(err: AuthFailure, answer: AnswerOf<N>): AuthFailureKind | undefined;
}
