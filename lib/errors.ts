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

/** Node's codes for a connection that failed or was lost (a service down, restarting, or unreachable). */
const CONNECTION_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN", "ECONNABORTED"]);
/**
 * PostgreSQL's SQLSTATEs for a server not there to answer: class 08 (connection exception), 57P01–57P03
 * (admin shutdown, crash shutdown, cannot connect now) and 53300 (too many connections). Appendix A of
 * the PostgreSQL documentation.
 */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[123]|53300)$/;
/**
 * The same codes in an error's message ("connect ECONNREFUSED 127.0.0.1:9000"): what is left of them
 * when a library re-wraps the error as text (the AWS SDK's retry does so with an error from another
 * JavaScript realm).
 */
const CONNECTION_CODE_IN_MESSAGE = new RegExp(`\\b(${[...CONNECTION_CODES].join("|")})\\b`);
/** node-postgres's own words for a lost or never made connection, or one that did not answer in time (query_timeout; it sets no code on them). */
const PG_CONNECTION_LOST = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Query read timeout$)/;

/**
 * Whether `err` (or an error it was caused by, up to 5 deep) says a backing service — PostgreSQL, Redis,
 * S3-compatible storage — did not answer, rather than refused or failed a request: a connection refused,
 * reset or timed out (CONNECTION_CODES), PostgreSQL not accepting connections (UNAVAILABLE_SQLSTATE,
 * PG_CONNECTION_LOST), or a storage service answering 5xx or not at all (the AWS SDK's `$metadata`
 * status, its TimeoutError). A fault of ours (a bug, a constraint) is not.
 */
export function isServiceDown(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e && typeof e === "object"; depth++) {
    const x = e as { code?: unknown; message?: unknown; name?: unknown; $metadata?: { httpStatusCode?: number }; cause?: unknown };
    if (typeof x.code === "string" && (CONNECTION_CODES.has(x.code) || UNAVAILABLE_SQLSTATE.test(x.code))) return true;
    if (typeof x.message === "string" && (PG_CONNECTION_LOST.test(x.message) || CONNECTION_CODE_IN_MESSAGE.test(x.message))) return true;
    if (x.name === "TimeoutError" || (x.$metadata?.httpStatusCode ?? 0) >= 500) return true;
    e = x.cause;
  }
  return false;
}

/**
 * How to answer an error that is not a refusal: `unavailable` (HTTP 503) with `retryAfter`
 * (UNAVAILABLE_RETRY_AFTER_S) when a backing service did not answer (isServiceDown), so a client knows to
 * try again shortly (nothing was stored); null otherwise (a fault of ours: `internal`). An AppError other
 * than `internal` is a refusal already: null. The cause is kept for the log.
 */
export function unavailableAnswer(err: unknown): AppError | null {
  if (isAppError(err) && err.code !== "internal") return null;
  if (!isServiceDown(isAppError(err) ? (err.cause ?? err) : err)) return null;
  return new AppError("unavailable", "a service the server depends on is not answering; try again shortly", { cause: err, retryAfter: UNAVAILABLE_RETRY_AFTER_S });
}
