/** What a call that ran out of time rejects with; callers map it to their own answer (503, 504). */
export class DeadlineError extends Error {
  override name = 'DeadlineError';
  constructor(
    readonly what: string,
    readonly ms: number,
  ) {
    super(`${what} did not answer within ${ms} ms`);
  }
}

/**
 * Settles like `promise`, or rejects with a DeadlineError once `ms` have passed. The call itself goes on (a
 * command already written to a socket cannot be taken back); its late answer is dropped. Every call out of the
 * process goes through a deadline, so a peer that stops answering without closing the connection (a frozen process,
 * a partition that drops packets) becomes a quick error instead of a request that hangs.
 */
export function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new DeadlineError(what, ms)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}
