import { Router } from 'express';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';

/**
 * Local mode's outbox page: the codes the local Cognito "sent" by email or SMS, so a developer can finish a sign-up
 * or a password reset without a real inbox. The BFF reads them over HTTP from the emulator's `GET /_outbox` (it
 * never imports the emulator), narrowed to its own pool. AWS mode never mounts it: there is no outbox to show, and
 * the route answers the app's ordinary 404.
 */
export const OUTBOX_PATH = '/local/outbox';

/** Every call out of the process has a deadline; a local emulator that has not answered in 2 s is not coming. */
export const OUTBOX_DEADLINE_MS = 2000;

const MAX_USERNAME = 128;

/** One message as the emulator's `/_outbox` lists it. */
interface OutboxMessage {
  poolId: string;
  username: string;
  destination: string;
  medium: string;
  kind: string;
  code: string;
  text: string;
  sentAt: string;
}

/** Message kinds in words; a kind not listed here is shown as the emulator names it. */
const KIND_WORDS: Record<string, string> = {
  SIGN_UP: 'Sign-up code',
  FORGOT_PASSWORD: 'Password reset code',
  VERIFY_ATTRIBUTE: 'Verification code',
  EMAIL_OTP: 'Sign-in code',
  MFA: 'Sign-in code',
};

export interface OutboxPageOptions {
  /** The emulator's outbox, e.g. `http://127.0.0.1:4566/_outbox`. */
  outboxUrl: string;
  /** Only this pool's messages are shown. */
  poolId: string;
  logger: Logger;
  timeoutMs?: number;
}

/** Where local mode's emulator keeps its outbox; undefined when the config names no Cognito endpoint. */
export function outboxUrlFor(config: Config): string | undefined {
  const endpoint = config.cognito.endpoint;
  return endpoint ? `${endpoint.replace(/\/+$/, '')}/_outbox` : undefined;
}

const isMessage = (m: unknown): m is OutboxMessage =>
  typeof m === 'object' &&
  m !== null &&
  ['poolId', 'username', 'destination', 'medium', 'kind', 'code', 'text', 'sentAt'].every(
    (key) => typeof (m as Record<string, unknown>)[key] === 'string',
  );

/** The emulator's messages for the pool (and user), newest first; throws when it cannot be read in time. */
async function readOutbox(options: OutboxPageOptions, username: string | undefined): Promise<OutboxMessage[]> {
  const url = new URL(options.outboxUrl);
  url.searchParams.set('poolId', options.poolId);
  if (username) url.searchParams.set('username', username);
  const res = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? OUTBOX_DEADLINE_MS) });
  if (!res.ok) throw new Error(`outbox answered ${res.status}`);
  const body = (await res.json()) as { messages?: unknown };
  if (!Array.isArray(body.messages)) throw new Error('outbox answer has no messages');
  return body.messages
    .filter(isMessage)
    .filter((m) => m.poolId === options.poolId)
    .reverse();
}

const view = (m: OutboxMessage) => ({
  sentAt: m.sentAt,
  when: m.sentAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC'),
  destination: m.destination,
  medium: m.medium === 'SMS' ? 'SMS' : m.medium === 'EMAIL' ? 'email' : m.medium,
  username: m.username,
  kind: KIND_WORDS[m.kind] ?? m.kind,
  code: m.code,
  text: m.text,
});

function usernameFilter(req: Request): string | undefined {
  const value = req.query['username'];
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed && trimmed.length <= MAX_USERNAME ? trimmed : undefined;
}

function render(res: Response, status: number, context: Record<string, unknown>): void {
  res.status(status).setHeader('cache-control', 'no-store');
  res.render('local/outbox.njk', context);
}

/** `GET /local/outbox[?username=]`: the page, or a 503 page when the emulator does not answer in time. */
export function outboxPage(options: OutboxPageOptions): Router {
  const router = Router();
  router.get(OUTBOX_PATH, async function localOutbox(req, res) {
    const username = usernameFilter(req);
    let messages: OutboxMessage[];
    try {
      messages = await readOutbox(options, username);
    } catch (err) {
      options.logger.warn(
        { err: { name: (err as Error)?.name, message: (err as Error)?.message } },
        'local outbox unavailable',
      );
      res.setHeader('retry-after', '5');
      render(res, 503, { unavailable: true, username });
      return;
    }
    render(res, 200, { messages: messages.map(view), username });
  });
  return router;
}
