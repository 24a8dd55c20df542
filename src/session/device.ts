import { randomBytes } from 'node:crypto';
import type { Request } from 'express';
import Bowser from 'bowser';
import type { Sealer } from '../tokens/sealer.js';
import type { AuthRecord, SessionDevice, SessionUser } from './types.js';
import type { SessionIndex } from './user-index.js';

/** Longest browser summary kept: a user agent is the browser's to choose, so a hostile one cannot fill the page. */
const BROWSER_MAX = 60;
/** Longest user agent parsed at all. */
const USER_AGENT_MAX = 512;

/** "Chrome on Linux", from the User-Agent header (bowser); "Unknown browser" when it names none. */
export function browserSummary(userAgent: string | undefined): string {
  const ua = userAgent?.slice(0, USER_AGENT_MAX).trim();
  if (!ua) return 'Unknown browser';
  let parser: ReturnType<typeof Bowser.getParser>;
  try {
    parser = Bowser.getParser(ua);
  } catch {
    return 'Unknown browser';
  }
  const name = parser.getBrowserName();
  const os = parser.getOSName();
  if (!name) return 'Unknown browser';
  return (os ? `${name} on ${os}` : name).slice(0, BROWSER_MAX);
}

/** A session's public handle: 16 random bytes, base64url (22 characters). Never derived from the session id. */
export const newSessionHandle = () => randomBytes(16).toString('base64url');

/** What a handle looks like; anything else is refused before the store is asked. */
export const SESSION_HANDLE = /^[A-Za-z0-9_-]{22}$/;

/**
 * What a signed-in session records to be listed on the sessions page: its user's list (a keyed hash of `sub`), a
 * random handle to name it to the browser, and where it was signed in from (browser summary and `req.ip`), sealed.
 */
export async function listing(
  req: Request,
  user: SessionUser,
  index: SessionIndex,
  sealer: Sealer,
): Promise<Required<Pick<AuthRecord, 'owner' | 'handle' | 'sealedDevice'>>> {
  const device: SessionDevice = { browser: browserSummary(req.get('user-agent')), address: req.ip ?? '' };
  return { owner: index.ownerOf(user.sub), handle: newSessionHandle(), sealedDevice: await sealer.seal(device) };
}
