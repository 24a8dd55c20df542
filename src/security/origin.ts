import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { RequestHandler } from 'express';
import proxyAddr from 'proxy-addr';
import { refuse } from '../http/refusals.js';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export type TrustProxy = boolean | number | string;

/** TRUST_PROXY compiled the way Express compiles its `trust proxy` setting, with proxy-addr. */
function compileTrust(trustProxy: TrustProxy): (addr: string, hop: number) => boolean {
  return trustProxy === true
    ? () => true
    : typeof trustProxy === 'number'
      ? (_addr: string, hop: number) => hop < trustProxy
      : proxyAddr.compile(typeof trustProxy === 'string' ? trustProxy.split(',').map((s) => s.trim()) : []);
}

/** The browser's address, as Express's `req.ip` works it out: X-Forwarded-For is believed only as TRUST_PROXY says. */
export function clientAddressOf(trustProxy: TrustProxy): (req: IncomingMessage) => string {
  // Trusting no proxy (the default), the answer is the peer's address: no header to parse on every API call.
  if (trustProxy === false || trustProxy === 0) return (req) => req.socket.remoteAddress ?? '';
  const trusted = compileTrust(trustProxy);
  return (req) => proxyAddr(req, trusted);
}

/**
 * The scheme the browser used, as Express's `req.protocol` works it out: X-Forwarded-Proto is believed only from a
 * trusted proxy (TRUST_PROXY).
 */
export function protocolOf(trustProxy: TrustProxy): (req: IncomingMessage) => string {
  const trusted = compileTrust(trustProxy);
  return (req) => {
    const own = (req.socket as TLSSocket).encrypted ? 'https' : 'http';
    if (!trusted(req.socket.remoteAddress ?? '', 0)) return own;
    const header = req.headers['x-forwarded-proto'];
    const first = (Array.isArray(header) ? header[0] : header)?.split(',')[0]?.trim();
    return first || own;
  };
}

/**
 * Refuses state-changing requests that a browser marks as coming from another site: `Sec-Fetch-Site` other than
 * same-origin or none, or an `Origin` that is neither BASE_URL's nor the one the request was addressed to (OWASP
 * CSRF Cheat Sheet, "Verifying Origin With Standard Headers" and "Fetch Metadata"). Requests without either header
 * (non-browser clients) fall through to the form token or the X-CSRF header.
 */
export function crossSiteCheck(baseUrl: string | undefined, trustProxy: TrustProxy): (req: IncomingMessage) => boolean {
  const baseOrigin = baseUrl ? new URL(baseUrl).origin : undefined;
  const protocol = protocolOf(trustProxy);
  return (req) => {
    if (SAFE.has(req.method ?? 'GET')) return false;
    // Fetch Metadata, when the browser sends it, is the better signal (Origin can be "null" for privacy reasons).
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined) return site !== 'same-origin' && site !== 'none';
    const origin = req.headers.origin?.toLowerCase();
    if (origin === undefined || origin === baseOrigin) return false;
    const host = req.headers.host;
    return !host || origin !== `${protocol(req)}://${host}`.toLowerCase();
  };
}

export function sameOriginOnly(baseUrl: string | undefined, trustProxy: TrustProxy): RequestHandler {
  const isCrossSite = crossSiteCheck(baseUrl, trustProxy);
  return function sameOriginOnly(req, _res, next) {
    next(isCrossSite(req) ? refuse.crossSite() : undefined);
  };
}
