import type { ChallengeHandler } from '../auth-step.js';
import { CognitoError } from '../errors.js';
import { totpMatches } from '../model/totp.js';
import { signedIn } from '../sign-in.js';
import { checkMfaCode } from './mfa-answer.js';

/**
 * SOFTWARE_TOKEN_MFA: the code the user's authenticator app shows, as SOFTWARE_TOKEN_MFA_CODE, checked like
 * VerifySoftwareToken's (one 30-second step of drift either way). Cognito sends no parameters with it.
 */
export const softwareTokenMfa: ChallengeHandler = {
  parameters: () => ({}),
  respond(step, { user, session, responses, end }) {
    const secret = user.softwareTokenSecret;
    // The text users quote for a user without a token (amazon-cognito-identity-js#630).
    if (secret === undefined) {
      throw new CognitoError('SoftwareTokenMFANotFoundException', 'Software Token MFA does not exist for the user.');
    }
    const now = step.ctx.clock();
    checkMfaCode(session, responses, 'SOFTWARE_TOKEN_MFA_CODE', (code) => totpMatches(secret, code, now), end);
    end();
    return signedIn(step, user);
  },
};
