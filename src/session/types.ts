import type { ChallengeOf, SupportedChallengeName } from '../cognito/challenges/index.js';

/** Who is signed in, as shown to the user and to `/auth/me`. No token in here. */
export interface SessionUser {
  sub: string;
  /** Cognito's canonical username (`cognito:username`), which the refresh SECRET_HASH is computed on. */
  username: string;
  email?: string;
  groups: string[];
}

/** What the session record holds for a signed-in user. The user is sealed; tokens live in the token vault. */
export interface AuthRecord {
  sealedUser: string;
  signedInAt: number;
  /** The session ends here whatever happens (absolute lifetime), epoch ms. */
  expiresAt: number;
}

/** A signed-in request, decoded once per request. */
export interface SignedIn {
  user: SessionUser;
  signedInAt: number;
  expiresAt: number;
}

/** A sign-in waiting for the user's answer to a challenge: a union on the challenge name. */
export type PendingChallenge<N extends SupportedChallengeName = SupportedChallengeName> = {
  [K in N]: {
    challenge: ChallengeOf<K>;
    /** Username as typed, to show on the form. */
    typedUsername: string;
    /** When the sign-in started, epoch ms; a pending challenge older than the step allows is dropped. */
    startedAt: number;
  };
}[N];

declare module 'express-session' {
  interface SessionData {
    auth: AuthRecord;
    /** A sealed PendingChallenge: Cognito's challenge Session is a credential too. */
    pending: string;
    returnTo: string;
  }
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set by the auth-context middleware when a live session is signed in. */
      signedIn?: SignedIn;
    }
  }
}
