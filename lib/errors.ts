import type { ErrorCode } from "./chat/types";

/**
 * The one error type of the domain. `message` is safe to show to the client; internal detail goes in
 * `cause` and is only logged.
 */
export class AppError extends Error {
  /** Seconds until a `rate_limited` caller may try again (sent as `retryAfter` and HTTP `Retry-After`). */
  readonly retryAfter?: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown; retryAfter?: number },
  ) {
    super(message, options);
    this.name = "AppError";
    if (options?.retryAfter !== undefined) this.retryAfter = options.retryAfter;
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

/** HTTP status for each contract error code (one place, used by the HTTP layer). */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  rate_limited: 429,
  too_large: 413,
  conflict: 409,
  internal: 500,
};
