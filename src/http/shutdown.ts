import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Server as NetServer } from 'node:net';
import type { Socket } from 'node:net';
import type { Lifecycle } from '../ops/lifecycle.js';

/**
 * A keep-alive connection idle this long while stopping is closed. Closing an idle connection at once races with a
 * request the client may be sending on it that very moment (it would be cut); a client that is using the connection
 * sends within a round trip, gets its answer with `Connection: close`, and the connection ends cleanly.
 */
const IDLE_GRACE_MS = 500;

export interface StopOptions {
  /** Keep accepting connections this long first (readiness failing), for load balancers slow to notice. */
  delayMs: number;
  /** Then wait this long for in-flight requests before closing their connections. */
  timeoutMs: number;
  /** Called when in-flight requests outlived `timeoutMs` and their connections were closed. */
  onForced?(connections: number): void;
}

export interface GracefulStop {
  /** Resolves once every connection has ended: the process may exit. */
  stop(options: StopOptions): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The response a connection is answering, or answered last (done once `writableFinished`). */
const ANSWERING = Symbol('answering');
type Tracked = Socket & { [ANSWERING]?: ServerResponse };

/** The response the connection is answering or answered last, if any. */
export const answering = (socket: Socket): ServerResponse | undefined => (socket as Tracked)[ANSWERING];

/**
 * The server's first step for every request: notes which response the connection is answering, so a stop can tell
 * idle connections from busy ones, and once stopping makes the answer close its connection. Cheap: it runs on
 * every API call.
 */
export function beginAnswer(req: IncomingMessage, res: ServerResponse, lifecycle: Lifecycle): void {
  (req.socket as Tracked)[ANSWERING] = res;
  if (!lifecycle.stopping) return;
  res.setHeader('connection', 'close');
  // The idle timer set while stopping must not end a connection whose request is being answered.
  req.socket.setTimeout(0);
}

/**
 * Graceful stop of an HTTP server under load. Node's `server.close()` stops accepting and closes idle keep-alive
 * connections, but a busy connection keeps taking new requests until it is forced closed, so every stop under load
 * took the whole timeout and cut the requests still running. Here, from the moment of stopping:
 * - every answer carries `Connection: close` (Node then ends the connection after it), and readiness fails;
 * - a connection that is idle, or goes idle, is closed after IDLE_GRACE_MS without a request; a request that
 *   arrives meanwhile is answered, and its connection closed;
 * - the listener closes after `delayMs`, and `stop` resolves as soon as the last connection has ended.
 * Connections are tracked from the start, each with the response it is answering (`beginAnswer`, which the
 * server calls for every request).
 */
export function gracefulStop(server: Server, lifecycle: Lifecycle): GracefulStop {
  const sockets = new Set<Tracked>();

  server.on('connection', (socket: Tracked) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    if (lifecycle.stopping) socket.setTimeout(IDLE_GRACE_MS);
  });
  const idle = (socket: Tracked) => {
    const res = socket[ANSWERING];
    return res === undefined || res.writableFinished;
  };

  return {
    async stop({ delayMs, timeoutMs, onForced }) {
      lifecycle.stopping = true;
      // Node arms this on a keep-alive connection when an answer that began before the stop ends.
      server.keepAliveTimeout = IDLE_GRACE_MS;
      for (const socket of sockets) if (idle(socket)) socket.setTimeout(IDLE_GRACE_MS);
      if (delayMs > 0) await sleep(delayMs);
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          onForced?.(sockets.size);
          for (const socket of sockets) socket.destroy();
        }, timeoutMs);
        // net.Server's close, not http.Server's: the latter also closes idle connections at once, cutting any
        // request that is on its way on one of them. Idle connections end through the grace timer instead.
        NetServer.prototype.close.call(server, () => {
          clearTimeout(force);
          resolve();
        });
      });
    },
  };
}
