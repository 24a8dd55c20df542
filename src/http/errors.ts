/**
 * An error with what the client may see: `status`, a stable `code`, and whether `message` is safe to show
 * (`expose`). Anything else that reaches the error handler is shown as a generic message.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly expose = status < 500,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}
