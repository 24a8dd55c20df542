import type { NewPasswordChallenge, TokenSet } from '../cognito/auth-client.js';

/** Who is signed in, as shown to the user and to `/auth/me`. No token in here. */
export interface SessionUser {
  sub: string;
  username: string;
  email?: string;
  groups: string[];
}

export interface AuthState {
  user: SessionUser;
  tokens: TokenSet;
  signedInAt: number;
  /** The session ends here whatever happens (absolute lifetime), epoch ms. */
  expiresAt: number;
}

export interface PendingChallenge {
  challenge: NewPasswordChallenge;
  /** Username as typed, to show on the form. */
  typedUsername: string;
  startedAt: number;
}

declare module 'express-session' {
  interface SessionData {
    auth: AuthState;
    pending: PendingChallenge;
    returnTo: string;
  }
}
