import type { IncomingMessage } from 'node:http';
import { refuse } from '../http/refusals.js';

/** The request failed on the browser's side before its body was in: it went away, or Node refused its bytes. */
export class RequestBroken extends Error {
  override name = 'RequestBroken';
}

/**
 * An API call's whole body, read before any connection to the API is taken, as proxies that buffer requests do
 * (nginx's `proxy_request_buffering`): a client that trickles its body then holds a socket and at most
 * PROXY_MAX_BODY_BYTES of memory for at most `timeoutMs`, never an upstream connection. Over the limit: 413 (the
 * rest of the body is read and dropped, so the browser sees the answer); not in by the deadline: 408, and the
 * connection is closed.
 */
export function readBody(req: IncomingMessage, maxBytes: number, timeoutMs: number): Promise<Buffer> {
  // The request may have failed while the session was being read, before anyone listened.
  if (req.destroyed) return Promise.reject(new RequestBroken('the request failed before its body was in'));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const finish = (error: Error | undefined) => {
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      if (error) reject(error);
      else resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, length));
    };
    const onData = (chunk: Buffer) => {
      length += chunk.length;
      if (length <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      req.resume();
      finish(refuse.bodyTooLarge(maxBytes));
    };
    const onEnd = () => finish(undefined);
    const onError = () => finish(new RequestBroken('the request failed before its body was in'));
    const onClose = () => {
      if (!req.complete) onError();
    };
    const timer = setTimeout(() => {
      req.pause();
      finish(refuse.bodyTimeout());
    }, timeoutMs);
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}
