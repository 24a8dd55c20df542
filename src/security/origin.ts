import type { Request, RequestHandler } from 'express';
import { HttpError } from '../http/errors.js';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

const crossSite = () =>
  new HttpError(403, 'cross_site_request', 'This request came from another site and was refused.');

/** The origins this site answers as: the configured BASE_URL and the one the request was addressed to. */
function ownOrigins(req: Request, baseUrl: string | undefined): Set<string> {
  const origins = new Set<string>();
  if (baseUrl) origins.add(new URL(baseUrl).origin);
  const host = req.get('host');
  if (host) origins.add(`${req.protocol}://${host}`.toLowerCase());
  return origins;
}

/**
 * Refuses state-changing requests that a browser marks as coming from another site: `Sec-Fetch-Site` other than
 * same-origin or none, or an `Origin` that is not ours (OWASP CSRF Cheat Sheet, "Verifying Origin With Standard
 * Headers" and "Fetch Metadata"). Requests without either header (non-browser clients) fall through to the
 * form token or the X-CSRF header.
 */
export function isCrossSite(req: Request, baseUrl: string | undefined): boolean {
  if (SAFE.has(req.method)) return false;
  // Fetch Metadata, when the browser sends it, is the better signal (Origin can be "null" for privacy reasons).
  const site = req.get('sec-fetch-site');
  if (site !== undefined) return site !== 'same-origin' && site !== 'none';
  const origin = req.get('origin');
  return origin !== undefined && !ownOrigins(req, baseUrl).has(origin.toLowerCase());
}

export function sameOriginOnly(baseUrl: string | undefined): RequestHandler {
  return (req, _res, next) => next(isCrossSite(req, baseUrl) ? crossSite() : undefined);
}
