import { createHash, randomBytes } from 'node:crypto';
import { generateRegistrationOptions, verifyRegistrationResponse } from '@simplewebauthn/server';
import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import { decodeAttestationObject, decodeClientDataJSON, parseAuthenticatorData } from '@simplewebauthn/server/helpers';
import { CognitoError, invalidParameter, resourceNotFound } from '../errors.js';
import type { StoredPasskey, User, UserPool, WebAuthnConfig } from '../state.js';

/**
 * Passkeys (WebAuthn) in a user pool: the pool's WebAuthnConfiguration, registration (StartWebAuthnRegistration,
 * CompleteWebAuthnRegistration), the stored credentials (ListWebAuthnCredentials, DeleteWebAuthnCredential), and
 * what the WEB_AUTHN challenge needs (challenges/web-authn.ts). Exception names are the ones each operation's Errors
 * section lists (API reference); their texts are not published, so the messages here are the emulator's own.
 */

/** ES256 and RS256 (COSE -7, -257): what Cognito's creation options offer (Amplify's passkey types list no others). */
export const PASSKEY_ALGORITHMS = [-7, -257];
/** How long a ceremony's challenge is good for, and the `timeout` hint the options carry (ms). Not published. */
export const CEREMONY_TIMEOUT_MS = 180_000;
/** Passkeys one user may hold; one more is LimitExceededException. Cognito's quota is 20 per user. */
export const MAX_PASSKEYS_PER_USER = 20;

const webAuthnError = (name: string, message: string) => new CognitoError(name, message);

/** SetUserPoolMfaConfig's WebAuthnConfiguration: replaces the pool's; UserVerification defaults to preferred. */
export function setWebAuthnConfig(
  pool: UserPool,
  input: { RelyingPartyId?: string | undefined; UserVerification?: WebAuthnConfig['UserVerification'] | undefined } & {
    FactorConfiguration?: WebAuthnConfig['FactorConfiguration'];
  },
): void {
  pool.WebAuthn = {
    UserVerification: input.UserVerification ?? 'preferred',
    ...(input.RelyingPartyId ? { RelyingPartyId: input.RelyingPartyId } : {}),
    ...(input.FactorConfiguration ? { FactorConfiguration: input.FactorConfiguration } : {}),
  };
}

/** The `WebAuthnConfiguration` member of GetUserPoolMfaConfig's (and SetUserPoolMfaConfig's) answer, when set. */
export const describeWebAuthnConfig = (pool: UserPool) =>
  pool.WebAuthn ? { WebAuthnConfiguration: { ...pool.WebAuthn } } : {};

/**
 * The pool's passkey settings with a relying party, or the refusal Cognito gives: WebAuthnNotEnabledException when
 * the sign-in policy does not allow WEB_AUTHN (passkeys are a first factor: `Policies.SignInPolicy.
 * AllowedFirstAuthFactors` must list it), WebAuthnConfigurationMissingException when the pool names no RP ID (real
 * Cognito falls back to the pool's domain; the emulator has none).
 */
export function passkeySettings(pool: UserPool): WebAuthnConfig & { RelyingPartyId: string } {
  if (!pool.AllowedFirstAuthFactors.includes('WEB_AUTHN')) {
    throw webAuthnError('WebAuthnNotEnabledException', 'Passkeys are not enabled for this user pool.');
  }
  const RelyingPartyId = pool.WebAuthn?.RelyingPartyId;
  if (!RelyingPartyId) {
    throw webAuthnError(
      'WebAuthnConfigurationMissingException',
      'The user pool has no relying party ID for passkeys (WebAuthnConfiguration.RelyingPartyId).',
    );
  }
  return { UserVerification: 'preferred', ...pool.WebAuthn, RelyingPartyId };
}

/**
 * Whether a browser at `origin` may use passkeys for `rpId` (WebAuthn L3 §5.1.3 and §13.4.9): the origin's host is
 * the RP ID or one of its subdomains, over https, or http for `localhost` (a secure context); any port.
 */
export function originAllowed(origin: string, rpId: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.origin !== origin) return false;
  const host = url.hostname;
  const hostMatches = host === rpId || host.endsWith(`.${rpId}`);
  const secure = url.protocol === 'https:' || (url.protocol === 'http:' && host === 'localhost');
  return hostMatches && secure;
}

const rpIdHash = (rpId: string) => createHash('sha256').update(rpId).digest();

/** The user's passkeys for this relying party. */
const passkeysFor = (user: User, rpId: string) =>
  (user.webAuthnCredentials ?? []).filter((c) => c.RelyingPartyId === rpId);

/**
 * Whether the pool can ask `user` for a passkey (a WEB_AUTHN challenge): the sign-in policy allows WEB_AUTHN, the
 * pool has an RP ID, and the user holds a passkey registered for it. The USER_AUTH flow calls this before offering WEB_AUTHN.
 */
export function userHasPasskey(pool: UserPool, user: User): boolean {
  const rpId = pool.WebAuthn?.RelyingPartyId;
  return pool.AllowedFirstAuthFactors.includes('WEB_AUTHN') && rpId !== undefined && passkeysFor(user, rpId).length > 0;
}

/**
 * StartWebAuthnRegistration: creation options for a new passkey (the PublicKeyCredentialCreationOptionsJSON
 * Amplify's `associateWebAuthnCredential` hands to `navigator.credentials.create`), and the challenge kept for the
 * user and the app client, the newest only.
 */
export async function startRegistration(pool: UserPool, user: User, clientId: string, now: number) {
  const { RelyingPartyId, UserVerification } = passkeySettings(pool);
  const options = await generateRegistrationOptions({
    rpName: RelyingPartyId,
    rpID: RelyingPartyId,
    userName: user.Username,
    userDisplayName: user.Username,
    userID: new TextEncoder().encode(user.sub),
    timeout: CEREMONY_TIMEOUT_MS,
    attestationType: 'none',
    excludeCredentials: passkeysFor(user, RelyingPartyId).map((c) => ({
      id: c.CredentialId,
      transports: c.transports,
    })),
    authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: UserVerification },
    supportedAlgorithmIDs: PASSKEY_ALGORITHMS,
  });
  user.pendingWebAuthnRegistration = { challenge: options.challenge, clientId, expiresAt: now + CEREMONY_TIMEOUT_MS };
  return options;
}

/** The members of a RegistrationResponseJSON the emulator reads; the rest is passed through to the verifier. */
export interface RegistrationCredential {
  id: string;
  rawId: string;
  type: string;
  response: { clientDataJSON: string; attestationObject: string; transports?: string[] | undefined };
  authenticatorAttachment?: string | undefined;
  clientExtensionResults?: Record<string, unknown> | undefined;
}

/** The client data and authenticator data a registration response carries, or InvalidParameterException. */
function readRegistration(credential: RegistrationCredential) {
  try {
    const clientData = decodeClientDataJSON(credential.response.clientDataJSON);
    const attestation = decodeAttestationObject(Buffer.from(credential.response.attestationObject, 'base64url'));
    const authData = parseAuthenticatorData(attestation.get('authData'));
    return { clientData, authData };
  } catch {
    throw invalidParameter('The passkey credential could not be read.');
  }
}

/**
 * CompleteWebAuthnRegistration: checks the authenticator's answer against the pending challenge and the pool's
 * relying party, one rule at a time so each refusal carries its own exception, then stores the passkey.
 */
export async function completeRegistration(
  pool: UserPool,
  user: User,
  clientId: string,
  credential: RegistrationCredential,
  now: number,
): Promise<void> {
  const { RelyingPartyId, UserVerification } = passkeySettings(pool);
  const pending = user.pendingWebAuthnRegistration;
  const challengeNotFound = () =>
    webAuthnError('WebAuthnChallengeNotFoundException', 'The passkey registration challenge was not found or expired.');
  if (!pending || now > pending.expiresAt) throw challengeNotFound();
  if (pending.clientId !== clientId) {
    throw webAuthnError(
      'WebAuthnClientMismatchException',
      'The access token is for another app client than the one that started the registration.',
    );
  }
  const { clientData, authData } = readRegistration(credential);
  if (clientData.challenge !== pending.challenge) throw challengeNotFound();
  if (!originAllowed(clientData.origin, RelyingPartyId)) {
    throw webAuthnError(
      'WebAuthnOriginNotAllowedException',
      `The passkey was created at an origin not allowed for relying party ${RelyingPartyId}.`,
    );
  }
  if (!Buffer.from(authData.rpIdHash).equals(rpIdHash(RelyingPartyId))) {
    throw webAuthnError(
      'WebAuthnRelyingPartyMismatchException',
      `The passkey is for another relying party than ${RelyingPartyId}.`,
    );
  }
  if ((user.webAuthnCredentials ?? []).length >= MAX_PASSKEYS_PER_USER) {
    throw new CognitoError('LimitExceededException', 'The user has reached the maximum number of passkeys.');
  }
  let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verified = await verifyRegistrationResponse({
      response: { clientExtensionResults: {}, ...credential } as RegistrationResponseJSON,
      expectedChallenge: pending.challenge,
      expectedOrigin: clientData.origin,
      expectedRPID: RelyingPartyId,
      requireUserVerification: UserVerification === 'required',
      supportedAlgorithmIDs: PASSKEY_ALGORITHMS,
    });
  } catch {
    verified = { verified: false };
  }
  if (!verified.verified) {
    throw webAuthnError(
      'WebAuthnCredentialNotSupportedException',
      'The passkey credential is not supported by this user pool.',
    );
  }
  const made = verified.registrationInfo.credential;
  const stored: StoredPasskey = {
    CredentialId: made.id,
    publicKey: Buffer.from(made.publicKey).toString('base64url'),
    counter: made.counter,
    transports: made.transports ?? credential.response.transports ?? [],
    FriendlyCredentialName: friendlyName(credential.authenticatorAttachment),
    RelyingPartyId,
    ...(credential.authenticatorAttachment ? { AuthenticatorAttachment: credential.authenticatorAttachment } : {}),
    CreatedAt: now,
  };
  user.webAuthnCredentials = [...(user.webAuthnCredentials ?? []).filter((c) => c.CredentialId !== made.id), stored];
  delete user.pendingWebAuthnRegistration;
  user.modifiedAt = now;
}

/** Cognito names passkeys itself ("automatically-generated"); its names are not published. */
const friendlyName = (attachment: string | undefined) =>
  attachment === 'platform' ? 'Passkey on this device' : attachment === 'cross-platform' ? 'Security key' : 'Passkey';

/** ListWebAuthnCredentials' entries: oldest first, `NextToken` the opaque offset of the next page. */
export function listPasskeys(user: User, maxResults: number, nextToken: string | undefined) {
  const all = user.webAuthnCredentials ?? [];
  let start = 0;
  if (nextToken !== undefined) {
    start = Number(Buffer.from(nextToken, 'base64url').toString('utf8'));
    if (!Number.isInteger(start) || start < 0 || start > all.length) throw invalidParameter('Invalid NextToken.');
  }
  const page = all.slice(start, start + maxResults);
  const next = start + page.length;
  return {
    Credentials: page.map((c) => ({
      CredentialId: c.CredentialId,
      FriendlyCredentialName: c.FriendlyCredentialName,
      RelyingPartyId: c.RelyingPartyId,
      ...(c.AuthenticatorAttachment ? { AuthenticatorAttachment: c.AuthenticatorAttachment } : {}),
      AuthenticatorTransports: c.transports,
      CreatedAt: c.CreatedAt / 1000,
    })),
    ...(next < all.length ? { NextToken: Buffer.from(String(next)).toString('base64url') } : {}),
  };
}

/** DeleteWebAuthnCredential: an id the user does not hold is ResourceNotFoundException. */
export function deletePasskey(user: User, credentialId: string, now: number): void {
  const all = user.webAuthnCredentials ?? [];
  if (!all.some((c) => c.CredentialId === credentialId)) throw resourceNotFound('Credential not found.');
  user.webAuthnCredentials = all.filter((c) => c.CredentialId !== credentialId);
  user.modifiedAt = now;
}

/**
 * CREDENTIAL_REQUEST_OPTIONS for a WEB_AUTHN challenge, in the shape `generateAuthenticationOptions` makes (built
 * here without it because raising a challenge is synchronous): a fresh challenge, the RP ID, the user's passkeys for
 * it, the pool's user verification, and the timeout.
 */
export function requestOptions(pool: UserPool, user: User) {
  const { RelyingPartyId, UserVerification } = passkeySettings(pool);
  return {
    rpId: RelyingPartyId,
    challenge: randomBytes(32).toString('base64url'),
    allowCredentials: passkeysFor(user, RelyingPartyId).map((c) => ({
      id: c.CredentialId,
      type: 'public-key' as const,
      ...(c.transports.length > 0 ? { transports: c.transports } : {}),
    })),
    timeout: CEREMONY_TIMEOUT_MS,
    userVerification: UserVerification,
  };
}

/** The stored passkey an assertion names, for this pool's relying party. */
export const findPasskey = (pool: UserPool, user: User, credentialId: string): StoredPasskey | undefined =>
  passkeysFor(user, pool.WebAuthn?.RelyingPartyId ?? '').find((c) => c.CredentialId === credentialId);
