import type { ApiRoute, RouteToken } from '../config/api-routes.js';
import type { OutageLog } from '../ops/outage-log.js';
import type { StoredTokens } from '../tokens/vault.js';
import { locationRewriter } from './headers.js';
import type { ResponseHeaderRules } from './headers.js';
import { fullyDecoded, upstreamPath } from './upstream-path.js';
import { UpstreamPool } from './upstream-pool.js';

/** A route with everything a call needs worked out once, at start-up. */
export interface CompiledRoute {
  prefix: string;
  token: RouteToken;
  /** The upstream's origin, and its keep-alive pool (shared by every route on that origin). */
  origin: string;
  pool: UpstreamPool;
  /** The upstream's outage log (one per origin): one API down while another answers is logged as exactly that. */
  outage: OutageLog;
  timeoutMs: number;
  queueTimeoutMs: number;
  /** The methods answered; undefined: every method. */
  methods: ReadonlySet<string> | undefined;
  /** The `Allow` header of a 405. */
  allow: string;
  /** Redirects from the upstream mapped back under the route's prefix. */
  rules: ResponseHeaderRules;
  /**
   * The upstream path and query for the browser's URL (which the route matched), confined under the upstream's
   * base path; undefined when the URL would leave it.
   */
  upstreamPathFor(url: string): string | undefined;
}

export interface RouteTable {
  routes: readonly CompiledRoute[];
  /**
   * The route whose prefix is the longest that the URL's path starts with, on a segment boundary; undefined when
   * none does; `misleading` when the path, read as an upstream may read it (decoded, slashes merged, `;parameters`
   * dropped, case ignored), belongs to another route.
   */
  match(url: string): CompiledRoute | 'misleading' | undefined;
  close(): Promise<void>;
}

export interface RouteTableOptions {
  maxConnections: number;
  queueTimeoutMs: number;
  /** The outage log of an upstream origin, called once per origin. */
  outageFor(origin: string, origins: number): OutageLog;
}

/** `url` starts with the prefix, ending there or followed by `/` or `?` (`/api/a` is not `/api/ab`). */
const under = (url: string, prefix: string) =>
  url.startsWith(prefix) &&
  (url.length === prefix.length || url.charCodeAt(prefix.length) === 47 || url.charCodeAt(prefix.length) === 63);

const ENCODED = 1;
const UPPER_CASE = 2;
/**
 * What in the path (before the query) an upstream may read differently: ENCODED for a %-escape, `;` or `//`,
 * UPPER_CASE for an ASCII upper-case letter; 0 for neither, as in most paths. One pass, no allocation.
 */
function ambiguity(url: string): number {
  let found = 0;
  for (let i = 0; i < url.length; i++) {
    const c = url.charCodeAt(i);
    if (c === 63) break;
    if (c === 37 || c === 59 || (c === 47 && url.charCodeAt(i + 1) === 47)) found |= ENCODED;
    else if (c >= 65 && c <= 90) found |= UPPER_CASE;
  }
  return found;
}
const upperCase = /[A-Z]/;

/** Each segment's `;parameters` dropped, as Tomcat, Jetty and Spring do before routing (`/a;x/b` is `/a/b`). */
const withoutParams = (path: string) => path.replace(/;[^/]*/g, '');
const mergeSlashes = (path: string) => (path.includes('//') ? path.replace(/\/{2,}/g, '/') : path);

/**
 * The paths an upstream may read from the URL's: %-escapes decoded and repeated slashes merged; with a `;`, also
 * its segments' parameters dropped, before decoding (as servlet containers do) and after (for `%3B`). Undefined when
 * the path does not decode.
 */
function readings(url: string): string[] | undefined {
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  const plain = fullyDecoded(path);
  if (plain === undefined) return undefined;
  if (!plain.includes(';')) return [mergeSlashes(plain)];
  const paramsFirst = fullyDecoded(withoutParams(path));
  if (paramsFirst === undefined) return undefined;
  return [mergeSlashes(plain), mergeSlashes(withoutParams(paramsFirst)), mergeSlashes(withoutParams(plain))];
}

/**
 * API_ROUTES (and API_BASE_URL's catch-all) compiled for the proxy: routes longest prefix first, each with its
 * pool, deadline, methods and redirect rewriting. One keep-alive pool per upstream origin, whatever the number of
 * routes to it; its backstop timeout is the longest of theirs (each call keeps its own deadline).
 */
export function compileRoutes(routes: readonly ApiRoute[], options: RouteTableOptions): RouteTable {
  const pools = new Map<string, UpstreamPool>();
  const outages = new Map<string, OutageLog>();
  const longest = new Map<string, number>();
  for (const route of routes) {
    const { origin } = new URL(route.upstream);
    longest.set(origin, Math.max(longest.get(origin) ?? 0, route.timeoutMs));
  }
  for (const [origin, timeoutMs] of longest) {
    pools.set(origin, new UpstreamPool({ origin, connections: options.maxConnections, timeoutMs }));
    outages.set(origin, options.outageFor(origin, longest.size));
  }

  const compiled = [...routes]
    .sort((a, b) => b.prefix.length - a.prefix.length)
    .map((route): CompiledRoute => {
      const base = new URL(route.upstream);
      const basePath = base.pathname.replace(/\/+$/, '');
      const length = route.prefix.length;
      // The prefix itself: `/api` keeps mapping to the base with a slash, as it always has; any other prefix maps to
      // the upstream URL as written.
      const exact = route.prefix === '/api' ? `${basePath}/` : basePath || '/';
      const methods = route.methods ? new Set(route.methods) : undefined;
      return {
        prefix: route.prefix,
        token: route.token,
        origin: base.origin,
        pool: pools.get(base.origin) as UpstreamPool,
        outage: outages.get(base.origin) as OutageLog,
        timeoutMs: route.timeoutMs,
        queueTimeoutMs: Math.min(options.queueTimeoutMs, route.timeoutMs),
        methods,
        allow: route.methods ? route.methods.join(', ') : '',
        rules: { rewriteLocation: locationRewriter(base, route.prefix) },
        upstreamPathFor(url) {
          if (url.length === length) return exact;
          if (url.charCodeAt(length) === 63) return `${exact}${url.slice(length)}`;
          return upstreamPath(basePath, url.slice(length));
        },
      };
    });

  const first = (url: string) => {
    for (const route of compiled) if (under(url, route.prefix)) return route;
    return undefined;
  };
  const lowerCased = compiled.map((route) => ({ prefix: route.prefix.toLowerCase(), route }));
  /** The route a case-insensitive upstream (IIS) would pick for a lower-cased path. */
  const firstIgnoringCase = (lowerCasePath: string) => {
    for (const { prefix, route } of lowerCased) if (under(lowerCasePath, prefix)) return route;
    return undefined;
  };

  return {
    routes: compiled,
    match(url) {
      const route = first(url);
      // An upstream may decode %-escapes, merge slashes, drop `;parameters` (Tomcat, Spring) or ignore case (IIS)
      // before routing: `/api/%6frders/1`, `/api//orders/1`, `/api/orders;x/1` or `/api/ORDERS/1`, which a catch-all
      // `/api` matches, must not reach the orders API through it, with its token and methods. A single route (the
      // default) has nowhere else to lead and does no more than `first`; with several, a plain path costs one scan.
      if (route === undefined || compiled.length === 1) return route;
      const found = ambiguity(url);
      if (found === 0) return route;
      if (found === UPPER_CASE) {
        const queryAt = url.indexOf('?');
        const path = queryAt === -1 ? url : url.slice(0, queryAt);
        return firstIgnoringCase(path.toLowerCase()) === route ? route : 'misleading';
      }
      const paths = readings(url);
      if (paths === undefined) return 'misleading';
      for (const path of paths) {
        if (first(path) !== route) return 'misleading';
        if (upperCase.test(path) && firstIgnoringCase(path.toLowerCase()) !== route) return 'misleading';
      }
      return route;
    },
    close: async () => {
      for (const outage of outages.values()) outage.close();
      await Promise.all([...pools.values()].map((pool) => pool.close()));
    },
  };
}

/** The bearer token a route's upstream gets, if any. */
export const bearerFor = (route: CompiledRoute, stored: StoredTokens | undefined) =>
  route.token === 'none' || !stored
    ? undefined
    : route.token === 'access'
      ? stored.tokens.accessToken
      : stored.tokens.idToken;
