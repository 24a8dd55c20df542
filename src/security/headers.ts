import helmet from 'helmet';
import type { RequestHandler } from 'express';

/**
 * Security headers (helmet): a CSP with scripts and styles from our own origin only (the pages have no inline
 * script or style), no framing, no referrer leaks, HSTS only when the site is served over https. `scripts`: the only
 * other scripts allowed, each one exact URL (Amazon's advanced-security script when configured).
 */
export function securityHeaders(options: { https: boolean; scripts?: string[] }): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'", ...(options.scripts ?? [])],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'font-src': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'none'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        ...(options.https ? { 'upgrade-insecure-requests': [] } : {}),
      },
    },
    strictTransportSecurity: options.https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    // same-origin: no referrer leaves the site, and the browser still sends a real Origin on our own form posts.
    referrerPolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: false,
  });
}
