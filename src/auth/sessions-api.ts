import type { RequestHandler } from 'express';
import type { Config } from '../config/config.js';
import { refuse } from '../http/refusals.js';
import { SESSION_HANDLE } from '../session/device.js';
import { signOutHere } from './logout.js';
import type { SessionRegistry, SessionView } from './sessions.js';

const json = (view: SessionView) => ({
  id: view.id,
  current: view.current,
  browser: view.browser,
  address: view.address,
  startedAt: new Date(view.startedAt).toISOString(),
  lastUsedAt: new Date(view.lastUsedAt).toISOString(),
});

/** `GET /auth/sessions`: the signed-in user's live sessions, named by handle. Mounted behind `requireSignIn`. */
export function getSessions(sessions: SessionRegistry): RequestHandler {
  return async function getSessions(req, res) {
    res.setHeader('cache-control', 'no-store');
    res.json({ sessions: (await sessions.list(req)).map(json) });
  };
}

/**
 * `DELETE /auth/sessions/:id`: ends one of the signed-in user's sessions (204). It must carry `X-CSRF: 1`, as API
 * calls do, and is refused the same way (401 csrf_header_missing, as Duende BFF answers; a cross-site form cannot
 * send DELETE or set the header; the Origin check has run app-wide). A handle
 * that is unknown, over or another user's is 404. Ending the current session signs this browser out.
 */
export function deleteSession(deps: { config: Config; sessions: SessionRegistry }): RequestHandler {
  return async function deleteSession(req, res) {
    res.setHeader('cache-control', 'no-store');
    if (req.headers['x-csrf'] !== '1') throw refuse.csrfHeaderMissing();
    const handle = String(req.params['id'] ?? '');
    if (!SESSION_HANDLE.test(handle)) throw refuse.notFound();
    const ended = await deps.sessions.endByHandle(req, handle);
    if (ended === 'unknown') throw refuse.notFound();
    if (ended === 'current') {
      await signOutHere(req, res, deps.config);
    }
    res.status(204).end();
  };
}
