import { randomBytes, randomUUID } from 'node:crypto';

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomString(alphabet: string, length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += alphabet[byte % alphabet.length];
  return out;
}

/** `us-east-1_AbC123xYz`: region, underscore, nine characters, as Cognito formats pool ids. */
export const newPoolId = (region: string) => `${region}_${randomString(ALNUM, 9)}`;
/** 26 lower-case alphanumerics, as Cognito app client ids. */
export const newClientId = () => randomString(LOWER_ALNUM, 26);
/** 51 lower-case alphanumerics, as Cognito app client secrets. */
export const newClientSecret = () => randomString(LOWER_ALNUM, 51);
export const newSub = () => randomUUID();
export const newJti = () => randomUUID();
/** Opaque and long, like Cognito's challenge `Session`. */
export const newChallengeSession = () => `AYABe${randomBytes(96).toString('base64url')}`;
/** Cognito refresh tokens are JWEs the client cannot read; ours are opaque strings of the same shape. */
export const newRefreshToken = () =>
  [
    'eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ',
    randomBytes(192).toString('base64url'),
    randomBytes(12).toString('base64url'),
    randomBytes(384).toString('base64url'),
    randomBytes(16).toString('base64url'),
  ].join('.');
export const newTemporaryPassword = () => `Tmp-${randomString(ALNUM, 10)}a1!`;
