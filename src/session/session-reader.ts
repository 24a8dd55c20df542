import { parse as parseCookies } from 'cookie';
import signature from 'cookie-signature';
import type { SessionData } from 'express-session';
import type { IncomingMessage } from 'node:http';
import type { Config } from '../config/config.js';
import type { Backend } from './backend.js';
import type { SessionUser, SignedIn } from './types.js';

export interface ReadSession {
  sid: string;
  signedIn: SignedIn;
}

/** Renew the idle timeout at most this often per session, instead of on every API call. */
const TOUCH_EVERY_MS = 15_000;
const TOUCH_MEMORY = 50_000;

/**
 * Reads the signed-in session behind a request's cookie without the page middleware: the same signed cookie
 * (express-session's `s:<id>.<signature>` format, checked with its own cookie-signature library) and the same
 * store. The API proxy uses it, so a proxied call does not pay for helmet, the session's change tracking or the
 * page routes. The idle timeout is renewed as express-session would, at most every 15 s per session.
 */
export function createSessionReader(config: Config, backend: Backend) {
  const lastTouch = new Map<string, number>();
  const get = (sid: string) =>
    new Promise<SessionData | null | undefined>((resolve, reject) =>
      backend.store.get(sid, (err, session) => (err ? reject(err) : resolve(session))),
    );

  function touch(sid: string, session: SessionData): void {
    const now = Date.now();
    if (now - (lastTouch.get(sid) ?? 0) < TOUCH_EVERY_MS) return;
    if (lastTouch.size >= TOUCH_MEMORY) lastTouch.delete(lastTouch.keys().next().value as string);
    lastTouch.set(sid, now);
    backend.store.touch?.(sid, session, () => undefined);
  }

  return {
    async read(req: IncomingMessage): Promise<ReadSession | undefined> {
      const header = req.headers.cookie;
      if (!header) return undefined;
      let value: string | undefined;
      try {
        value = parseCookies(header)[config.session.cookieName];
      } catch {
        return undefined;
      }
      if (!value?.startsWith('s:')) return undefined;
      const sid = signature.unsign(value.slice(2), config.session.secret);
      if (sid === false) return undefined;
      const session = await get(sid);
      const auth = session?.auth;
      if (!session || !auth || auth.expiresAt <= Date.now()) return undefined;
      let user: SessionUser;
      try {
        user = await backend.sealer.open<SessionUser>(auth.sealedUser);
      } catch {
        return undefined;
      }
      touch(sid, session);
      return { sid, signedIn: { user, signedInAt: auth.signedInAt, expiresAt: auth.expiresAt } };
    },
    forget(sid: string): void {
      lastTouch.delete(sid);
    },
  };
}

export type SessionReader = ReturnType<typeof createSessionReader>;
