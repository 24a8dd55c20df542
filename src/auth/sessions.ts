import type { Request } from 'express';
import type { Store } from 'express-session';
import type { Logger } from 'pino';
import type { CognitoAuth } from '../cognito/auth-client.js';
import { refuse } from '../http/refusals.js';
import type { Metrics } from '../ops/metrics.js';
import type { Clock } from '../shared/clock.js';
import type { SessionIndex } from '../session/user-index.js';
import type { SessionDevice } from '../session/types.js';
import type { Sealer } from '../tokens/sealer.js';
import type { TokenService } from '../tokens/token-service.js';
import { signedIn } from './require-sign-in.js';

export interface SessionsDeps {
  store: Store;
  index: SessionIndex;
  cognito: CognitoAuth;
  tokens: TokenService;
  sealer: Sealer;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
}

/** A session as the signed-in user sees it: named by its handle, never by its id. */
export interface SessionView {
  id: string;
  current: boolean;
  browser: string;
  address: string;
  startedAt: number;
  lastUsedAt: number;
}

/**
 * The signed-in user's sessions: listed from the per-user index, and ended. Ending a session is one thing whatever
 * asks for it (sign-out, the sessions page, a password change or reset): RevokeToken with the session's own refresh
 * token (best effort within the Cognito deadline: a Cognito outage must not keep the session alive here), the
 * session and its tokens deleted, and the session taken off its user's list. With Redis, every instance sees it at
 * once: each reads the session record on every request.
 */
export function sessionRegistry(deps: SessionsDeps) {
  const { store, index, cognito, tokens, logger } = deps;

  /** The index answers through the store's 503 when it cannot answer, like the store itself. */
  async function indexCall<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch {
      deps.metrics.storeErrors.inc({ operation: 'index' });
      throw refuse.storeUnavailable();
    }
  }

  /** Ends one session; true when Cognito did everything asked of it (the refresh token revoked, and GlobalSignOut). */
  async function end(sid: string, owner: string | undefined, scope: 'session' | 'everywhere' = 'session') {
    const stored = await tokens.peek(sid).catch(() => undefined);
    let revoked = false;
    if (stored) {
      const failed = await cognito.signOut(stored.tokens, scope);
      if (failed.length > 0) logger.warn({ failed, scope }, 'Cognito sign-out incomplete; local session ended anyway');
      revoked = failed.length === 0;
    }
    await new Promise<void>((resolve, reject) => store.destroy(sid, (err) => (err ? reject(err) : resolve())));
    if (owner) await index.remove(owner, sid).catch(() => deps.metrics.storeErrors.inc({ operation: 'index' }));
    return revoked;
  }

  async function list(req: Request): Promise<SessionView[]> {
    const owner = req.session.auth?.owner;
    if (!owner) return [];
    const now = deps.clock.now();
    const views: SessionView[] = [];
    for (const { sid, lastUsedAt, session } of await indexCall(() => index.list(owner))) {
      const auth = session.auth;
      if (!auth?.handle) continue;
      const device = auth.sealedDevice
        ? await deps.sealer.open<SessionDevice>(auth.sealedDevice).catch(() => undefined)
        : undefined;
      const current = sid === req.sessionID;
      views.push({
        id: auth.handle,
        current,
        browser: device?.browser ?? 'Unknown browser',
        address: device?.address ?? '',
        startedAt: auth.signedInAt,
        lastUsedAt: current ? now : lastUsedAt,
      });
    }
    return views.sort((a, b) => Number(b.current) - Number(a.current) || b.lastUsedAt - a.lastUsedAt);
  }

  /** Every session of `owner` but `keep`, ended; how many there were. */
  async function endAll(owner: string, keep?: string): Promise<number> {
    const others = (await indexCall(() => index.list(owner))).filter((s) => s.sid !== keep);
    await Promise.all(others.map((s) => end(s.sid, owner)));
    return others.length;
  }

  return {
    end,
    list,
    endAll,

    /** Ends the signed-in user's session named `handle`: which one it was, or `unknown` (not theirs, or over). */
    async endByHandle(req: Request, handle: string): Promise<'current' | 'other' | 'unknown'> {
      const owner = req.session.auth?.owner;
      if (!owner) return 'unknown';
      if (handle === req.session.auth?.handle) {
        await end(req.sessionID, owner);
        return 'current';
      }
      const match = (await indexCall(() => index.list(owner))).find((s) => s.session.auth?.handle === handle);
      if (!match) return 'unknown';
      await end(match.sid, owner);
      return 'other';
    },

    /** Every other session of the signed-in user, ended; how many. */
    async endOthers(req: Request): Promise<number> {
      const owner = req.session.auth?.owner;
      return owner ? endAll(owner, req.sessionID) : 0;
    },

    /**
     * Signs out everywhere: GlobalSignOut (every refresh token the user holds, other clients' included) with fresh
     * tokens of this session, then every session listed here ended, this one too. False when Cognito could not be
     * told (its sign-ins elsewhere, other apps' included, may go on): the page says so.
     */
    async endEverywhere(req: Request): Promise<boolean> {
      const owner = req.session.auth?.owner;
      await tokens.tokensFor(req.sessionID, signedIn(req)).catch(() => undefined);
      const globally = await end(req.sessionID, owner, 'everywhere');
      if (owner) await endAll(owner, req.sessionID);
      return globally;
    },

    /**
     * The signed-in user's email changed (verified, or set where the pool verifies it itself): a password reset by
     * the new address finds their sessions, one by the old address no longer does.
     */
    async emailChanged(req: Request, from: string | undefined, to: string): Promise<void> {
      const owner = req.session.auth?.owner;
      if (!owner || from?.toLowerCase() === to.toLowerCase()) return;
      const live = await indexCall(() => index.list(owner));
      const endsAt = Math.max(signedIn(req).expiresAt, ...live.map((s) => s.session.auth?.expiresAt ?? 0));
      await indexCall(() => index.emailChanged(owner, from, to, endsAt));
    },

    /** After a password reset: every session of the user the typed name points to. */
    async endAllNamed(name: string): Promise<number> {
      const owner = await indexCall(() => index.ownerByName(name));
      if (owner) return endAll(owner);
      // Nobody signed in by that name since the list began, or a name it does not know (a phone number alias).
      logger.info('password reset: no signed-in sessions found for the name given');
      return 0;
    },
  };
}

export type SessionRegistry = ReturnType<typeof sessionRegistry>;
