import { verifyAuthenticationResponse } from '@simplewebauthn/server';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { decodeClientDataJSON } from '@simplewebauthn/server/helpers';
import type { AuthResponse, AuthStep, ChallengeHandler } from '../auth-step.js';
import { missingParameter, notAuthorized } from '../errors.js';
import { findPasskey, originAllowed, passkeySettings, requestOptions } from '../model/webauthn.js';
import { signedIn } from '../sign-in.js';
import type { ChallengeSession, User } from '../state.js';
import { MAX_MFA_ATTEMPTS } from './mfa-answer.js';

/**
 * WEB_AUTHN: Cognito sends CREDENTIAL_REQUEST_OPTIONS (a JSON string Amplify's `handleWebAuthnSignInResult` parses
 * and hands to `navigator.credentials.get`) and takes CREDENTIAL, the browser's AuthenticationResponseJSON as a
 * string (API reference, ChallengeResponseType). The assertion must sign this session's challenge, come from an
 * origin of the pool's relying party, name a passkey of this user, and carry a signature counter above the stored
 * one (WebAuthn L3 §7.2 step 22: a lower or equal counter means a cloned authenticator or a replay).
 * RespondToAuthChallenge lists no WebAuthn exceptions, so every refusal is NotAuthorizedException (text unpublished).
 */
export const webAuthn: ChallengeHandler = {
  parameters({ pool }, user, session) {
    const options = requestOptions(pool, user);
    session.webAuthnChallenge = options.challenge;
    return { CREDENTIAL_REQUEST_OPTIONS: JSON.stringify(options) };
  },
  async respond(step, { user, session, responses, end }) {
    const raw = responses['CREDENTIAL'];
    if (!raw) throw missingParameter('CREDENTIAL');
    const refuse = () => {
      session.failedAttempts = (session.failedAttempts ?? 0) + 1;
      if (session.failedAttempts >= MAX_MFA_ATTEMPTS) end();
      return notAuthorized('Incorrect passkey credential.');
    };
    const { RelyingPartyId, UserVerification } = passkeySettings(step.pool);
    const assertion = parseAssertion(raw);
    const passkey = assertion && findPasskey(step.pool, user, assertion.id);
    if (!assertion || !passkey || !signedThisChallenge(assertion, session, RelyingPartyId)) throw refuse();
    let verified: Awaited<ReturnType<typeof verifyAuthenticationResponse>> | undefined;
    try {
      verified = await verifyAuthenticationResponse({
        response: assertion,
        expectedChallenge: session.webAuthnChallenge ?? '',
        expectedOrigin: decodeClientDataJSON(assertion.response.clientDataJSON).origin,
        expectedRPID: RelyingPartyId,
        credential: {
          id: passkey.CredentialId,
          publicKey: Buffer.from(passkey.publicKey, 'base64url'),
          counter: passkey.counter,
          transports: passkey.transports,
        },
        requireUserVerification: UserVerification === 'required',
      });
    } catch {
      verified = undefined;
    }
    if (!verified?.verified) throw refuse();
    passkey.counter = verified.authenticationInfo.newCounter;
    end();
    return signedIn(step, user);
  },
};

/** CREDENTIAL as an AuthenticationResponseJSON, or undefined when it is not one. */
function parseAssertion(raw: string): AuthenticationResponseJSON | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const candidate = value as Partial<AuthenticationResponseJSON>;
  const response = candidate.response;
  if (
    typeof candidate.id !== 'string' ||
    typeof response?.clientDataJSON !== 'string' ||
    typeof response.authenticatorData !== 'string' ||
    typeof response.signature !== 'string'
  ) {
    return undefined;
  }
  return {
    clientExtensionResults: {},
    rawId: candidate.id,
    type: 'public-key',
    ...candidate,
  } as AuthenticationResponseJSON;
}

/** The client data names this session's challenge, a sign-in ceremony, and an origin of the relying party. */
function signedThisChallenge(assertion: AuthenticationResponseJSON, session: ChallengeSession, rpId: string): boolean {
  try {
    const clientData = decodeClientDataJSON(assertion.response.clientDataJSON);
    return (
      session.webAuthnChallenge !== undefined &&
      clientData.type === 'webauthn.get' &&
      clientData.challenge === session.webAuthnChallenge &&
      originAllowed(clientData.origin, rpId)
    );
  } catch {
    return false;
  }
}

/** For the USER_AUTH flow: whether WEB_AUTHN can be offered to a user (an RP ID, and a passkey for it). */
export { userHasPasskey } from '../model/webauthn.js';

/** For the USER_AUTH flow: opens a WEB_AUTHN session and answers CREDENTIAL_REQUEST_OPTIONS. */
export const raiseWebAuthn = (step: AuthStep, user: User): AuthResponse => step.challenge(user, 'WEB_AUTHN');
