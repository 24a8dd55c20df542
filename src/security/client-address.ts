import type { Request } from 'express';

/**
 * The browser's address: Express's `req.ip`, which follows X-Forwarded-For only as far as TRUST_PROXY says. The one
 * resolution both the per-IP limits and the address sent to Cognito threat protection use, so the two never differ.
 */
export const clientAddress = (req: Request): string | undefined => req.ip;
