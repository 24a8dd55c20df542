import { HOP_BY_HOP } from '../config/forwarding.js';

/** What the BFF itself says to the API about a call. */
export interface OwnRequestHeaders {
  /** The route's token; undefined: the upstream gets no Authorization header at all. */
  bearer: string | undefined;
  /** The browser's address, as resolved under TRUST_PROXY. */
  clientAddress: string;
  /** The scheme the browser used, as resolved under TRUST_PROXY. */
  protocol: string;
  requestId: string;
  /** The body's length, when the BFF has read the body. */
  contentLength?: number;
}

function connectionTokens(value: string | string[] | undefined): Set<string> {
  const joined = Array.isArray(value) ? value.join(',') : (value ?? '');
  return new Set(
    joined
      .split(',')
      .map((t) => t.trim().toLowerCase())
      .filter(Boolean),
  );
}

/**
 * The headers to send upstream: the browser's headers on the allowlist (repeated ones kept, any named in its
 * `Connection` dropped), then the BFF's own: the bearer token (when the route sends one), X-Forwarded-For and
 * -Proto, X-Request-Id.
 */
export function upstreamRequestHeaders(
  rawHeaders: string[],
  forwarded: ReadonlySet<string>,
  own: OwnRequestHeaders,
): Record<string, string | string[]> {
  let named: Set<string> | undefined;
  let out: Record<string, string | string[]> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] ?? '').toLowerCase();
    if (name === 'connection') named = connectionTokens(rawHeaders[i + 1]);
    if (!forwarded.has(name)) continue;
    const value = rawHeaders[i + 1] ?? '';
    const existing = out[name];
    out[name] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  if (named) {
    const dropped = named;
    out = Object.fromEntries(Object.entries(out).filter(([name]) => !dropped.has(name)));
  }
  if (own.bearer !== undefined) out['authorization'] = `Bearer ${own.bearer}`;
  out['x-forwarded-for'] = own.clientAddress;
  out['x-forwarded-proto'] = own.protocol;
  out['x-request-id'] = own.requestId;
  if (own.contentLength !== undefined) out['content-length'] = String(own.contentLength);
  return out;
}

/**
 * The upstream's response headers that never reach the browser, because the BFF owns them for its origin: cookies
 * (and Clear-Site-Data, which would clear ours), the security headers (an upstream HSTS `max-age=0` would switch
 * HSTS off for the BFF's host), CORS (the BFF grants none), alternative services for our host, refreshes, and our
 * request id.
 */
const STRIPPED_RESPONSE = new Set([
  'set-cookie',
  'set-cookie2',
  'clear-site-data',
  'content-security-policy',
  'content-security-policy-report-only',
  'cross-origin-embedder-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'origin-agent-cluster',
  'permissions-policy',
  'referrer-policy',
  'strict-transport-security',
  'x-content-type-options',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-frame-options',
  'x-permitted-cross-domain-policies',
  'x-xss-protection',
  'timing-allow-origin',
  'alt-svc',
  'refresh',
  'x-request-id',
]);
const CORS = /^access-control-/;
/** Dropped unless the path may be cached: the BFF answers `Cache-Control: no-store` instead. */
const CACHING = new Set(['cache-control', 'expires', 'pragma']);

/**
 * Where the API is mounted on each side, for rewriting its redirects: `Location` under the API's base URL becomes
 * the same place under `/api`; a `Location` anywhere else on the API's host is dropped (it would send the browser
 * outside what the BFF serves); one on another host is the API's to give.
 */
export function locationRewriter(
  apiBase: URL,
  mount: string,
): (location: string, requestPath: string) => string | undefined {
  const basePath = apiBase.pathname.replace(/\/+$/, '');
  return (location, requestPath) => {
    let target: URL;
    try {
      target = new URL(location, new URL(requestPath, apiBase.origin));
    } catch {
      return undefined;
    }
    if (target.origin !== apiBase.origin) return location;
    const path = target.pathname;
    if (path !== basePath && !path.startsWith(`${basePath}/`)) return undefined;
    return `${mount}${path.slice(basePath.length)}${target.search}${target.hash}`;
  };
}

/** How the upstream's response headers are turned into the browser's. */
export interface ResponseHeaderRules {
  rewriteLocation(location: string, requestPath: string): string | undefined;
}

/** The upstream's response headers the browser may see, with its redirects rewritten for the browser. */
export function downstreamResponseHeaders(
  headers: Record<string, string | string[] | undefined>,
  rules: ResponseHeaderRules,
  call: { path: string; cacheable: boolean },
): Record<string, string | string[]> {
  const named = headers['connection'] === undefined ? undefined : connectionTokens(headers['connection']);
  const out: Record<string, string | string[]> = {};
  for (const rawName in headers) {
    const value = headers[rawName];
    const name = rawName.toLowerCase();
    if (value === undefined || HOP_BY_HOP.has(name) || STRIPPED_RESPONSE.has(name) || CORS.test(name)) continue;
    if (named?.has(name) || (!call.cacheable && CACHING.has(name))) continue;
    if (name === 'location') {
      const location = rules.rewriteLocation(Array.isArray(value) ? (value[0] ?? '') : value, call.path);
      if (location !== undefined) out[name] = location;
      continue;
    }
    out[name] = value;
  }
  return out;
}

/**
 * What every API answer carries instead of the pages' helmet set (it is JSON, never a document to render), with
 * HSTS as the pages have it. The API's own versions of these never reach the browser (see headers.ts).
 */
export const apiAnswerHeaders = (https: boolean): [string, string][] => [
  ['content-security-policy', "default-src 'none'; frame-ancestors 'none'"],
  ['x-content-type-options', 'nosniff'],
  ['referrer-policy', 'same-origin'],
  ['cache-control', 'no-store'],
  ...(https ? [['strict-transport-security', 'max-age=31536000; includeSubDomains'] as [string, string]] : []),
];
