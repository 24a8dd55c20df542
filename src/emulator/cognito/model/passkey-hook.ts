import type { User } from '../state.js';

/**
 * The WEB_AUTHN hook of choice-based sign-in: whether the user has a registered passkey, which makes WEB_AUTHN one of
 * their first factors (offered in SELECT_CHALLENGE, honoured as PREFERRED_CHALLENGE, listed by GetUserAuthFactors)
 * when the pool allows it. Passkeys are those CompleteWebAuthnRegistration stored (model/webauthn.ts, whose
 * `userHasPasskey(pool, user)` also checks them against the pool's RP ID).
 */
export function userHasPasskey(user: User): boolean {
  return (user.webAuthnCredentials ?? []).length > 0;
}
