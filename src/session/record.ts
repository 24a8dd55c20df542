import type { SessionData } from 'express-session';

/** A record that is not JSON (written by something else) counts as no session, as connect-redis would fail it. */
export function parseSession(text: string): SessionData | undefined {
  try {
    return JSON.parse(text) as SessionData;
  } catch {
    return undefined;
  }
}
