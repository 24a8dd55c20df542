import type { Request } from 'express';
import type { UserContext } from '../cognito/user-context.js';
import { clientAddress } from '../security/client-address.js';
import { plainAddress } from '../shared/address.js';
import { formField } from './form.js';

/** The hidden field /static/js/context-data.js fills with Amazon's EncodedData on submit. */
export const CONTEXT_FIELD = 'contextData';
/** Longer than a device fingerprint needs; the whole form body is limited to 10 kB anyway. */
export const CONTEXT_DATA_MAX = 8192;
/** Base64 (either alphabet) and the separators an encoded token may use; anything else is not Amazon's. */
const CONTEXT_DATA = /^[\w+/=.:-]+$/;

/**
 * The user context of a browser's request, for Cognito threat protection: its address (the same one the rate limits
 * count) and the page's EncodedData when it posted a plausible one. A missing or odd field is ignored, never an
 * error: the script may be blocked, and the sign-in must still work.
 */
export function userContextOf(req: Request): UserContext {
  const address = clientAddress(req);
  const ipAddress = address === undefined ? undefined : plainAddress(address);
  const encoded = formField(req.body, CONTEXT_FIELD);
  const encodedData = encoded.length <= CONTEXT_DATA_MAX && CONTEXT_DATA.test(encoded) ? encoded : undefined;
  return { ...(ipAddress ? { ipAddress } : {}), ...(encodedData ? { encodedData } : {}) };
}
