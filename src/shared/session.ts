/** Who is signed in: types every layer may use (the session makes them, tokens and pages read them). */

/** Who is signed in, as shown to the user and to `/auth/me`. No token in here. */
export interface SessionUser {
  sub: string;
  /** Cognito's canonical username (`cognito:username`), which the refresh SECRET_HASH is computed on. */
  username: string;
  email?: string;
  groups: string[];
}

/** A signed-in request, decoded once per request. */
export interface SignedIn {
  user: SessionUser;
  signedInAt: number;
  expiresAt: number;
}
