/**
 * Which of the browser's request headers may reach the API: the policy the proxy applies and the configuration
 * checks PROXY_FORWARD_HEADERS against, kept here so that configuration depends on nothing above it.
 */

/** RFC 9110 section 7.6.1: connection-specific headers a proxy must not forward. */
export const HOP_BY_HOP: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/**
 * The browser's request headers an API may need, forwarded by default: content negotiation, conditional and range
 * requests, the body's type, tracing, idempotency keys. Everything else is dropped; PROXY_FORWARD_HEADERS adds
 * names to this list.
 */
export const DEFAULT_FORWARDED_HEADERS = [
  'accept',
  'accept-encoding',
  'accept-language',
  'cache-control',
  'content-encoding',
  'content-language',
  'content-type',
  'idempotency-key',
  'if-match',
  'if-modified-since',
  'if-none-match',
  'if-range',
  'if-unmodified-since',
  'range',
  'traceparent',
  'tracestate',
  'user-agent',
] as const;

/** Set by the BFF itself, or credentials and client claims an API might believe: never taken from the browser. */
const NEVER_FORWARDED = new Set([
  ...HOP_BY_HOP,
  'host',
  'cookie',
  'authorization',
  'x-csrf',
  'expect',
  'content-length',
  'forwarded',
  'x-real-ip',
  'x-client-ip',
  'true-client-ip',
  'x-api-key',
  'x-request-id',
]);
const NEVER_FORWARDED_PREFIX = /^(x-forwarded-|x-amz-|x-amzn-|proxy-)/;

/** Why a header name may not be on the forward list, or undefined when it may (for the config check). */
export function notForwardable(name: string): string | undefined {
  const lower = name.toLowerCase();
  if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(lower)) return 'is not a header name';
  if (NEVER_FORWARDED.has(lower) || NEVER_FORWARDED_PREFIX.test(lower)) return 'is set by the BFF or never forwarded';
  return undefined;
}
