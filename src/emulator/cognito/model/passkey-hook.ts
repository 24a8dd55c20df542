import type { User } from '../state.js';

/**
 * The WEB_AUTHN hook of choice-based sign-in: whether the user has a registered passkey, which makes WEB_AUTHN one of
 * their first factors (offered in SELECT_CHALLENGE, honoured as PREFERRED_CHALLENGE, listed by GetUserAuthFactors)
 * when the pool allows it. Until the emulator stores passkeys, no user has one.
 */
export function userHasPasskey(_user: User): boolean {
  return false;
}
