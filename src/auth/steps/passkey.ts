import { SAY } from '../../http/sentences.js';
import { readPostedCredential } from '../passkey-credential.js';
import type { PageStep } from './step.js';

/**
 * WEB_AUTHN: sign in with a passkey. The page carries Cognito's CREDENTIAL_REQUEST_OPTIONS in a data attribute
 * (HTML-escaped, never inline script: the CSP allows scripts from /static only); /static/js/passkey.js runs
 * navigator.credentials.get through @simplewebauthn/browser and posts the assertion as `credential`, which goes to
 * Cognito as CREDENTIAL. Cognito checks the signature, the challenge, the origin against the pool's RP ID and the
 * signature counter (a replayed or cloned assertion is refused).
 */
export const passkeyPage: PageStep<'WEB_AUTHN'> = {
  path: '/login/passkey',
  view: 'auth/passkey.njk',
  context: (pending) => ({
    username: pending.typedUsername,
    options: pending.challenge.requestOptions,
    say: SAY,
  }),
  read(body) {
    const credential = readPostedCredential(body);
    if (!credential) return { error: SAY.passkeyNotRead, values: {} };
    return { answer: { credential: JSON.stringify(credential) }, values: {} };
  },
  // RespondToAuthChallenge lists no WebAuthn exceptions: a refused assertion is NotAuthorizedException, the same as
  // an expired Session. Either way the user signs in again, told the passkey was not accepted.
  reinterpret: (err) => (err.kind === 'challenge-expired' ? 'passkey-refused' : undefined),
};
