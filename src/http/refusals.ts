import { HttpError } from './errors.js';
import { SAY } from './sentences.js';

/** After a refresh Cognito could not answer, the session waits this long before trying again; the 503 says so. */
export const REFRESH_RETRY_AFTER_SECONDS = 5;

/**
 * Every refusal the BFF answers with, in one place: its status, its code (what API callers branch on), whether its
 * sentence may be shown, and the headers it needs. Pages and API calls get the same refusal, as HTML or JSON.
 */
export const refuse = {
  notFound: () => new HttpError(404, 'not_found', SAY.notFound),
  signedOut: () => new HttpError(401, 'unauthenticated', SAY.signInFirst),
  sessionExpired: () => new HttpError(401, 'session_expired', SAY.sessionEnded),
  formExpired: () => new HttpError(403, 'csrf_invalid', SAY.formExpired),
  crossSite: () => new HttpError(403, 'cross_site_request', SAY.crossSite),
  csrfHeaderMissing: () => new HttpError(401, 'csrf_header_missing', SAY.csrfHeaderMissing),
  /** A state-changing /auth call without `X-CSRF: 1`: forbidden whoever is signed in. */
  badPath: () => new HttpError(400, 'bad_path', SAY.badPath),
  methodNotAllowed: (allow: string) => new HttpError(405, 'method_not_allowed', SAY.methodNotAllowed, true, { allow }),
  bodyTooLarge: (max: number) => new HttpError(413, 'payload_too_large', SAY.bodyTooLarge(max)),
  requestTooLarge: () => new HttpError(413, 'payload_too_large', SAY.requestTooLarge),
  bodyTimeout: () => new HttpError(408, 'request_timeout', SAY.bodyTimeout, true, { connection: 'close' }),
  unreadable: () => new HttpError(400, 'bad_request', SAY.unreadable),
  unsupportedEncoding: () => new HttpError(415, 'unsupported_media_type', SAY.unsupportedEncoding),
  unprocessable: (status: number) => new HttpError(status, 'bad_request', SAY.unprocessable),
  storeUnavailable: () =>
    new HttpError(503, 'session_store_unavailable', SAY.temporarilyUnavailable, true, { 'retry-after': '5' }),
  refreshUnavailable: (retryAfterSeconds = REFRESH_RETRY_AFTER_SECONDS) =>
    new HttpError(503, 'refresh_unavailable', SAY.temporarilyUnavailable, true, {
      'retry-after': String(retryAfterSeconds),
    }),
  upstreamTimeout: () => new HttpError(504, 'upstream_timeout', SAY.upstreamTimeout),
  upstreamUnavailable: () => new HttpError(502, 'upstream_unavailable', SAY.upstreamUnavailable),
  upstreamBusy: () => new HttpError(503, 'upstream_busy', SAY.upstreamBusy, true, { 'retry-after': '1' }),
  internal: () => new HttpError(500, 'internal_error', SAY.generic, false),
};
