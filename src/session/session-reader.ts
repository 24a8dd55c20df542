import { parse as parseCookies } from 'cookie';
import signature from 'cookie-signature';
import type { SessionData } from 'express-session';
import type { IncomingMessage } from 'node:http';
import type { Config } from '../config/config.js';
import type { Clock } from '../shared/clock.js';
import type { StoredTokens } from '../tokens/vault.js';
import type { Backend } from './backend.js';
import type { SessionUser, SignedIn } from './types.js';

export interface ReadSession {
  sid: string;
  signedIn: SignedIn;
  /** The tokens as read with the session; undefined when the vault has none (the session is over). */
  stored: StoredTokens | undefined;
}

/** Renew the idle timeout at most this often per session, instead of on every API call. */
const TOUCH_EVERY_MS = 15_000;
const TOUCH_MEMORY = 50_000;
/** Cookies whose signature has been checked, so a busy session's HMAC is computed once, not on every call. */
const VERIFIED_MEMORY = 10_000;

/**
 * Reads the signed-in session behind a request's cookie without the page middleware: the same signed cookie
 * (express-session's `s:<id>.<signature>` format, checked with its own cookie-signature library) and the same
 * store, with the session's tokens fetched in the same round trip. The API proxy uses it, so a proxied call pays
 * for neither Express nor the session's change tracking. The idle timeout is renewed as express-session would, at
 * most every 15 s per session.
 */
export function createSessionReader(config: Config, backend: Backend, clock: Clock) {
  const lastTouch = new Map<string, number>();
  const verified = new Map<string, string>();
  const cookieName = config.session.cookieName;
  const secret = config.session.secret;

  function touch(sid: string, session: SessionData): void {
    const now = clock.now();
    if (now - (lastTouch.get(sid) ?? 0) < TOUCH_EVERY_MS) return;
    if (lastTouch.size >= TOUCH_MEMORY) lastTouch.delete(lastTouch.keys().next().value as string);
    lastTouch.set(sid, now);
    backend.store.touch?.(sid, session, () => undefined);
  }

  function sessionId(req: IncomingMessage): string | undefined {
    const header = req.headers.cookie;
    if (!header) return undefined;
    let value: string | undefined;
    try {
      value = parseCookies(header)[cookieName];
    } catch {
      return undefined;
    }
    if (!value?.startsWith('s:')) return undefined;
    const known = verified.get(value);
    if (known !== undefined) return known;
    const sid = signature.unsign(value.slice(2), secret);
    if (sid === false) return undefined;
    if (verified.size >= VERIFIED_MEMORY) verified.delete(verified.keys().next().value as string);
    verified.set(value, sid);
    return sid;
  }

  return {
    async read(req: IncomingMessage): Promise<ReadSession | undefined> {
      const sid = sessionId(req);
      if (sid === undefined) return undefined;
      const { session, sealedTokens } = await backend.readForApi(sid);
      const auth = session?.auth;
      if (!session || !auth || auth.expiresAt <= clock.now()) return undefined;
      let user: SessionUser;
      let stored: StoredTokens | undefined;
      try {
        user = await backend.sealer.open<SessionUser>(auth.sealedUser);
        stored = sealedTokens === undefined ? undefined : await backend.vault.open(sealedTokens);
      } catch {
        return undefined;
      }
      touch(sid, session as SessionData);
      return { sid, signedIn: { user, signedInAt: auth.signedInAt, expiresAt: auth.expiresAt }, stored };
    },
  };
}

export type SessionReader = ReturnType<typeof createSessionReader>;
