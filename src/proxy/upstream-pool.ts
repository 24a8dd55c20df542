import type { ServerResponse } from 'node:http';
import { Pool } from 'undici';
import type { Dispatcher } from 'undici';
import { Forward } from './forward.js';
import type { ExchangeTerms, Outcome } from './forward.js';

export interface UpstreamPoolOptions {
  origin: string;
  /** Keep-alive connections to the upstream, at most; also the most calls in flight at once. */
  connections: number;
  /** undici's headers and body timeouts, a backstop: each exchange keeps its call's own deadline (see Forward). */
  timeoutMs: number;
}

/** How a wait for a connection ended. */
export type Admission = 'admitted' | 'busy' | 'gone';

interface Waiter {
  admit(): void;
}

/**
 * One upstream's connections, with a wait line in front of them that has a time limit. Left to itself, undici's
 * pool queues calls without bound and starts a call's headers timeout only once it has a connection: with every
 * connection held by calls to one path that hangs, other calls waited (and their timeouts waited) until a
 * connection came free, so a 3 s timeout answered after 7 s and unrelated fast paths took seconds. Here at most
 * `connections` calls are in flight, so undici never queues; a call that finds them all busy waits in line, in
 * order, for as long as it is allowed, and is otherwise told the upstream is busy.
 *
 * Every path of the upstream shares this pool; each upstream has its own.
 */
export class UpstreamPool {
  readonly dispatcher: Pool;
  private active = 0;
  private readonly line: Waiter[] = [];

  constructor(private readonly options: UpstreamPoolOptions) {
    this.dispatcher = new Pool(options.origin, {
      connections: options.connections,
      keepAliveTimeout: 30_000,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      connectTimeout: Math.min(options.timeoutMs, 5000),
    });
  }

  /** Takes a connection when one is free, at once; the caller must `release()` it. */
  tryAcquire(): boolean {
    if (this.active >= this.options.connections) return false;
    this.active++;
    return true;
  }

  /**
   * Waits in line for a connection, at most `maxWaitMs`. "admitted": the caller holds one and must `release()` it;
   * "busy": none came free in time; "gone": the browser left while waiting.
   */
  wait(res: ServerResponse, maxWaitMs: number): Promise<Admission> {
    if (maxWaitMs <= 0) return Promise.resolve('busy');
    return new Promise((resolve) => {
      const leave = (admission: Admission) => {
        clearTimeout(timer);
        res.off('close', onGone);
        const at = this.line.indexOf(waiter);
        if (at !== -1) this.line.splice(at, 1);
        resolve(admission);
      };
      const waiter: Waiter = { admit: () => leave('admitted') };
      const onGone = () => leave('gone');
      const timer = setTimeout(() => leave('busy'), maxWaitMs);
      res.once('close', onGone);
      this.line.push(waiter);
    });
  }

  /** Gives a connection back: to the first in line, or to the pool. */
  release(): void {
    const next = this.line.shift();
    if (next) next.admit();
    else this.active--;
  }

  /**
   * One exchange on the connection the caller holds, written into `res` as it arrives (see Forward), abandoned
   * when the upstream's headers have not come by the call's deadline; the connection is given back when it ends.
   */
  exchange(options: Dispatcher.DispatchOptions, res: ServerResponse, call: ExchangeTerms): Promise<Outcome> {
    return new Promise((resolve) => {
      const handler = new Forward(res, call, (outcome) => {
        this.release();
        resolve(outcome);
      });
      try {
        this.dispatcher.dispatch(options, handler);
      } catch (err) {
        handler.fail(err as Error);
      }
    });
  }

  close(): Promise<void> {
    return this.dispatcher.close();
  }
}
