import type { Response } from 'express';
import { SAY } from '../http/sentences.js';

/** Renders a page that must never be cached: forms and anything showing the user's data. */
export function renderPage(res: Response, view: string, status: number, context: Record<string, unknown> = {}): void {
  res.status(status).setHeader('cache-control', 'no-store');
  res.render(view, context);
}

/** Messages the login page shows for a `reason` query value; fixed texts, so nothing user-supplied is reflected. */
export const LOGIN_REASONS: Record<string, string> = {
  'challenge-expired': SAY.challengeExpired,
  'session-expired': SAY.sessionEnded,
  'signed-out': SAY.signedOut,
};
