import type { ChallengeNameType } from '@aws-sdk/client-cognito-identity-provider';

/** What every challenge in progress carries, whatever its name. Kept server-side, sealed: `session` is a credential. */
export interface ChallengeBase {
  name: ChallengeNameType;
  /** Cognito's challenge Session: single-use, valid a few minutes. */
  session: string;
  /** Cognito's canonical username (USER_ID_FOR_SRP), which the answer and its SECRET_HASH must use. */
  username: string;
}

/** What Cognito sent with the challenge, as read from InitiateAuth or RespondToAuthChallenge. */
export interface ChallengeAsked {
  session: string;
  parameters: Record<string, string>;
  /** The username as typed, for when Cognito does not name the canonical one. */
  typed: string;
  /** SELECT_CHALLENGE's choices (the response's AvailableChallenges). */
  available?: string[];
}

/** Cognito calls a challenge may need before its answer (MFA_SETUP verifies the new authenticator app first). */
export interface ChallengeCalls {
  /** VerifySoftwareToken on a challenge Session: the Session to answer with next. A wrong code throws. */
  verifySoftwareToken(session: string, code: string, deviceName?: string): Promise<string>;
}

/**
 * One challenge on the Cognito side: how to read what Cognito asks, and the ChallengeResponses that answer it
 * (USERNAME and SECRET_HASH are added by the client for every challenge). Methods, so that a registry of steps with
 * different challenge and answer types still type-checks as one record.
 */
export interface ChallengeStep<C extends ChallengeBase, A> {
  read(asked: ChallengeAsked): C;
  responses(challenge: C, answer: A): Record<string, string>;
  /** Calls to make before RespondToAuthChallenge; a `session` returned replaces the challenge's in the answer. */
  beforeRespond?(calls: ChallengeCalls, challenge: C, answer: A): Promise<{ session?: string }>;
}

/** A challenge this BFF does not answer yet; Cognito's answer is refused with the "unsupported step" message. */
export interface Unsupported {
  unsupported: string;
}

export const unsupported = (reason: string): Unsupported => ({ unsupported: reason });
