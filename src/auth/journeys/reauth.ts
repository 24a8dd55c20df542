import type { Request } from 'express';
import type { Clock } from '../../shared/clock.js';
import { signedIn } from '../require-sign-in.js';

/**
 * Changes that weaken an account or move its recovery (turning a second factor off, changing the email a reset
 * code goes to) need a sign-in this recent (OWASP ASVS 4.0.3 V3.7.1: re-authentication before sensitive changes):
 * someone holding a borrowed or stolen session cannot make them without the password (and second factor).
 */
export const REAUTH_WINDOW_MS = 5 * 60_000;

/** Whether the signed-in user of `req` signed in within the window, by the BFF's clock. */
export const signedInRecently = (req: Request, clock: Clock) =>
  clock.now() - signedIn(req).signedInAt <= REAUTH_WINDOW_MS;

/** The sign-in form for someone already signed in, coming back to `returnTo` afterwards. */
export const reauthUrl = (returnTo: string) => `/login?${new URLSearchParams({ reauth: '1', returnTo }).toString()}`;
