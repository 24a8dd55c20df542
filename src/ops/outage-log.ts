import type { Logger } from 'pino';

/** How one dependency's failures reach the log: a line when it goes down, a count while down, a line when back. */
export interface OutageLog {
  failed(err: unknown): void;
  /** Cheap while the dependency is up: called on every successful call. */
  succeeded(): void;
  /** The periodic check (its own timer runs it while the dependency is down; tests call it with a moved clock). */
  check(): void;
  close(): void;
}

export interface OutageLogOptions {
  logger: Logger;
  /** The dependency's name in the log lines: redis, cognito, api. */
  dependency: string;
  /** While down, one line with the count of failures at most this often. Default 10 s. */
  summaryEveryMs?: number;
  /** Back up once calls have succeeded with no failure for this long. Default 1 s. */
  settleMs?: number;
  now?: () => number;
}

const errorName = (err: unknown) => (err instanceof Error ? err.name : typeof err === 'string' ? err : 'Error');
const errorMessage = (err: unknown) => (err instanceof Error ? err.message : undefined);

/**
 * An outage logged as what it is, not as one line per failed request: during a 3-second Redis outage under load a
 * line per failure wrote tens of thousands of lines. This writes one error line when the dependency starts failing,
 * a warning with the count of failures (by error name) every `summaryEveryMs` while it lasts, and one line when it
 * is back, with the outage's length and its total failures. Metrics still count every failure; this is the log.
 */
export function createOutageLog(options: OutageLogOptions): OutageLog {
  const { logger, dependency } = options;
  const now = options.now ?? Date.now;
  const summaryEveryMs = options.summaryEveryMs ?? 10_000;
  const settleMs = options.settleMs ?? 1_000;
  let down = false;
  let since = 0;
  let lastSummary = 0;
  let total = 0;
  let recent = 0;
  let byError: Record<string, number> = {};
  /** Failures so far; a success remembers the count it saw, so a later failure shows it was no recovery. */
  let failureSeq = 0;
  let recoveredSeq = -1;
  let recoveredAt = 0;
  let timer: NodeJS.Timeout | undefined;

  function stopTimer(): void {
    if (timer) clearInterval(timer);
    timer = undefined;
  }

  function check(): void {
    if (!down) return;
    const t = now();
    if (recoveredSeq === failureSeq && t - recoveredAt >= settleMs) {
      down = false;
      stopTimer();
      logger.warn({ dependency, downForMs: recoveredAt - since, failures: total }, `${dependency} available again`);
      return;
    }
    if (recent > 0 && t - lastSummary >= summaryEveryMs) {
      logger.warn({ dependency, failures: recent, byError, downForMs: t - since }, `${dependency} still unavailable`);
      recent = 0;
      byError = {};
      lastSummary = t;
    }
  }

  return {
    failed(err) {
      failureSeq++;
      if (down) {
        total++;
        recent++;
        const name = errorName(err);
        byError[name] = (byError[name] ?? 0) + 1;
        return;
      }
      down = true;
      since = now();
      lastSummary = since;
      total = 1;
      recent = 0;
      byError = {};
      logger.error(
        { dependency, err: { name: errorName(err), message: errorMessage(err) } },
        `${dependency} unavailable`,
      );
      timer = setInterval(check, Math.min(settleMs, summaryEveryMs));
      timer.unref();
    },
    succeeded() {
      if (!down || recoveredSeq === failureSeq) return;
      recoveredSeq = failureSeq;
      recoveredAt = now();
    },
    check,
    close: stopTimer,
  };
}
