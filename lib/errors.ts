import type { AckError, ErrorCode, ErrorDetail } from "./chat/types";

/**
 * The one error type of the domain. `message` is safe to show to the client; internal detail goes in
 * `cause` and is only logged. `reason`, `field` and `limit` (ErrorDetail) say which rule refused, for
 * clients to say it in their own words and to point at the field at fault. It has the shape of the
 * refusal a client is told (errorBody), so the browser, which runs some rules itself (lib/text/rules.ts),
 * words its own refusals as it words the server's.
 */
export class AppError extends Error implements ErrorDetail {
  /** Seconds until a `rate_limited` or `unavailable` caller may try again (sent as `retryAfter` and HTTP `Retry-After`). */
  readonly retryAfter?: number;
  readonly reason?: ErrorDetail["reason"];
  readonly field?: string;
  readonly limit?: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown; retryAfter?: number } & ErrorDetail,
  ) {
    super(message, options);
    this.name = "AppError";
    const { retryAfter, reason, field, limit } = options ?? {};
    if (retryAfter !== undefined) this.retryAfter = retryAfter;
    if (reason) this.reason = reason;
    if (field) this.field = field;
    if (limit !== undefined) this.limit = limit;
  }
}

/**
 * What a client is told of a refusal, over HTTP (`{ error: … }`) and in a Socket.IO acknowledgement
 * alike: the code, the message, and `retryAfter`, `reason`, `field` and `limit` when they apply.
 */
export function errorBody(err: AppError): AckError {
  const { code, message, retryAfter, reason, field, limit } = err;
  return {
    code, message,
    ...(retryAfter !== undefined && { retryAfter }), ...(reason && { reason }), ...(field && { field }), ...(limit !== undefined && { limit }),
  };
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
  unavailable: 503,
};

/** Seconds a caller is asked to wait (`retryAfter`, HTTP `Retry-After`) when the database did not answer. */
export const UNAVAILABLE_RETRY_AFTER_S = 5;
