import type { ChallengeOf, SupportedChallengeName } from '../cognito/challenges/index.js';
import type { SignedIn } from '../shared/session.js';

export type { SessionUser, SignedIn } from '../shared/session.js';

/** What the session record holds for a signed-in user. The user is sealed; tokens live in the token vault. */
export interface AuthRecord {
  sealedUser: string;
  signedInAt: number;
  /** The session ends here whatever happens (absolute lifetime), epoch ms. */
  expiresAt: number;
  /** The user's session list this session is in (SessionIndex.ownerOf: a keyed hash of `sub`, not the sub). */
  owner?: string;
  /** What names this session to the browser (sessions page, DELETE /auth/sessions/:id): random, never the id. */
  handle?: string;
  /** Sealed `SessionDevice`: the browser and address it was signed in from. */
  sealedDevice?: string;
}

/** Where a session was signed in from, as the sessions page shows it. */
export interface SessionDevice {
  /** A short summary of the user agent, e.g. "Chrome on Linux". */
  browser: string;
  /** The client address (`req.ip`, as TRUST_PROXY resolves it). */
  address: string;
}

/** A sign-in waiting for the user's answer to a challenge: a union on the challenge name. */
export type PendingChallenge<N extends SupportedChallengeName = SupportedChallengeName> = {
  [K in N]: {
    challenge: ChallengeOf<K>;
    /** Username as typed, to show on the form. */
    typedUsername: string;
    /** When the sign-in started, epoch ms; a pending challenge older than the step allows is dropped. */
    startedAt: number;
    /** Started as choice-based sign-in (USER_AUTH): an emailed or texted code can be sent again. */
    viaChoice?: true;
  };
}[N];

declare module 'express-session' {
  interface SessionData {
    auth: AuthRecord;
    /** A sealed PendingChallenge: Cognito's challenge Session is a credential too. */
    pending: string;
    returnTo: string;
    /** An account journey in progress (sign-up, password reset): sealed `{username}` for the next form. */
    journey: string;
    /** A sentence for the next page to show once (set before a redirect). */
    notice: string;
    /** An authenticator-app set-up in progress on /account/security: sealed `{sub, secret}` (a credential). */
    totpSetup: string;
    /** A passkey being added on /account/security: sealed `{sub, options}` (StartWebAuthnRegistration's options). */
    passkeySetup: string;
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
