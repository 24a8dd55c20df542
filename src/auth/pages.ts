import type { Response } from 'express';

/** Renders a page that must never be cached: forms and anything showing the user's data. */
export function renderPage(res: Response, view: string, status: number, context: Record<string, unknown> = {}): void {
  res.status(status).setHeader('cache-control', 'no-store');
  res.render(view, context);
}

/** Messages the login page shows for a `reason` query value; fixed texts, so nothing user-supplied is reflected. */
export const LOGIN_REASONS: Record<string, string> = {
  'challenge-expired': 'Your sign-in took too long or was already used. Please sign in again.',
  'session-expired': 'Your session has ended. Please sign in again.',
  'signed-out': 'You have signed out.',
};
