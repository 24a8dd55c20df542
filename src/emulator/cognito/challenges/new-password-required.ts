import { invalidParameter, missingParameter, notAuthorized } from '../errors.js';
import type { ChallengeHandler } from '../auth-step.js';
import { setPermanentPassword } from '../model/users.js';
import { assertPasswordConforms } from '../password-policy.js';
import type { User, UserPool } from '../state.js';
import { finishSignIn } from '../sign-in.js';

/** Attributes the pool requires that the user has not got yet, as `userAttributes.<name>`. */
const missingRequired = (pool: UserPool, user: User) =>
  pool.requiredAttributes.filter((name) => !user.attributes[name]).map((name) => `userAttributes.${name}`);

/**
 * NEW_PASSWORD_REQUIRED: a user with a temporary password (FORCE_CHANGE_PASSWORD) chooses a permanent one and
 * gives any required attribute still missing; then is signed in.
 */
export const newPasswordRequired: ChallengeHandler = {
  parameters({ pool }, user) {
    const { email_verified: _verified, ...visible } = user.attributes;
    return {
      USER_ID_FOR_SRP: user.Username,
      requiredAttributes: JSON.stringify(missingRequired(pool, user)),
      userAttributes: JSON.stringify(visible),
    };
  },

  respond(step, { user, responses, end }) {
    const { ctx, pool } = step;
    const newPassword = responses['NEW_PASSWORD'];
    if (!newPassword) throw missingParameter('NEW_PASSWORD');
    const given: Record<string, string> = {};
    for (const [key, value] of Object.entries(responses)) {
      if (key.startsWith('userAttributes.')) given[key.slice('userAttributes.'.length)] = value;
    }
    const missing = pool.requiredAttributes.filter((name) => !user.attributes[name] && !given[name]);
    if (missing.length > 0) throw invalidParameter(`Invalid attributes given, ${missing.join(', ')} is missing`);
    // A policy failure leaves the session usable so the user can try another password, as Cognito does.
    assertPasswordConforms(newPassword, pool.PasswordPolicy);
    if (!user.enabled) throw notAuthorized('User is disabled.');
    end();
    Object.assign(user.attributes, given);
    setPermanentPassword(user, newPassword, ctx.clock());
    // The new password is the first factor; a second may follow.
    return finishSignIn(step, user);
  },
};
