import type { ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import { downstreamResponseHeaders } from './headers.js';
import type { ResponseHeaderRules } from './headers.js';

/** How one upstream exchange ended. */
export type Outcome =
  /** `headersAt`: when the upstream's status line and headers arrived (performance.now()). */
  | { kind: 'sent'; status: number; headersAt: number }
  /** A 401 the caller asked to see first: nothing was written, so it may refresh the tokens and try again. */
  | { kind: 'unauthorized' }
  /** The browser went away; the upstream request was aborted. */
  | { kind: 'gone' }
  /** The upstream failed; `written` says whether the browser already has the status line. */
  | { kind: 'failed'; error: Error; written: boolean };

/** What an exchange needs to know about its call. */
export interface ExchangeTerms {
  /** The upstream path, query included (redirects are resolved against it). */
  path: string;
  /** performance.now() time: without response headers by then, the exchange is abandoned as DeadlinePassed. */
  deadline: number;
  /** A 401 is not passed on, so the call can be sent again with refreshed tokens. */
  holdUnauthorized: boolean;
  /** The upstream's caching headers are passed on (PROXY_CACHEABLE_PATHS); otherwise the BFF's no-store stands. */
  cacheable: boolean;
  rules: ResponseHeaderRules;
}

const clientGone = () => new Error('the browser closed the connection');

/** The call's deadline passed before the upstream's response headers arrived. */
export class DeadlinePassed extends Error {
  override name = 'DeadlinePassed';
  readonly code = 'BFF_DEADLINE_PASSED';
}

const expire = (exchange: Forward) => exchange.expire();

/**
 * One upstream exchange written into the browser's response as it arrives, through undici's dispatch handler
 * (no intermediate streams or promises per chunk): hop-by-hop and Set-Cookie headers dropped, the body passed on
 * with backpressure (the upstream is paused while the browser's socket is full), and the upstream request aborted
 * when the browser goes away.
 */
export class Forward implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | undefined;
  private status = 0;
  private headersAt = 0;
  private written = false;
  private settled = false;
  private readonly timer: NodeJS.Timeout;

  /** The deadline has a timer of our own: undici's timeouts over a second tick only twice a second. */
  constructor(
    private readonly res: ServerResponse,
    private readonly call: ExchangeTerms,
    private readonly settle: (outcome: Outcome) => void,
  ) {
    res.once('close', this.onClose);
    this.timer = setTimeout(expire, call.deadline - performance.now(), this);
  }

  private readonly onClose = () => {
    if (this.res.writableFinished) return;
    this.controller?.abort(clientGone());
    this.finish({ kind: 'gone' });
  };

  private readonly onDrain = () => this.controller?.resume();

  private finish(outcome: Outcome): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.res.off('close', this.onClose);
    this.res.off('drain', this.onDrain);
    this.settle(outcome);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.res.destroyed) controller.abort(clientGone());
    else if (this.settled) controller.abort(new DeadlinePassed('the deadline passed before the call was sent'));
  }

  /** The deadline has passed: without response headers by now, the exchange is abandoned. */
  expire(): void {
    if (this.status !== 0 || this.settled) return;
    const error = new DeadlinePassed('the API sent no response headers before the deadline');
    if (this.controller) this.controller.abort(error);
    else this.fail(error);
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    if (statusCode < 200) return;
    this.status = statusCode;
    this.headersAt = performance.now();
    if (statusCode === 401 && this.call.holdUnauthorized) return;
    try {
      this.res.writeHead(statusCode, downstreamResponseHeaders(headers, this.call.rules, this.call));
    } catch (err) {
      // A header Node will not send on: nothing is written yet, so the browser gets a clean 502.
      controller.abort(err as Error);
      return;
    }
    this.written = true;
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (!this.written || this.res.write(chunk)) return;
    controller.pause();
    this.res.once('drain', this.onDrain);
  }

  onResponseEnd(): void {
    if (this.written) this.res.end();
    this.finish(
      this.written ? { kind: 'sent', status: this.status, headersAt: this.headersAt } : { kind: 'unauthorized' },
    );
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.fail(error);
  }

  fail(error: Error): void {
    if (this.settled) return;
    if (this.written) this.res.destroy();
    this.finish({ kind: 'failed', error, written: this.written });
  }
}
