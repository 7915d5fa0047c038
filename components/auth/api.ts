/**
 * Same-origin JSON requests to the server's HTTP API. The session is an httpOnly cookie the browser sends
 * by itself (`credentials: "same-origin"`), so nothing here ever touches a token.
 */
import "@/components/i18n/errors-strings";
import { text, type Text, type TextKey } from "@/components/i18n/text";
import type { ErrorCode } from "@/lib/chat/types";

/**
 * A refusal as the server words it (docs/protocol.md, "Acknowledgements"), over HTTP (ApiError) or in a
 * Socket.IO acknowledgement: a contract `code`, its `message`, and, when they apply, `retryAfter`, the
 * rule that refused (`reason`), the request field it is about (`field`) and the rule's number (`limit`).
 */
export type Refusal = { code: string; message: string; retryAfter?: number; reason?: string; field?: string; limit?: number };

export class ApiError extends Error implements Refusal {
  readonly code: string;
  /** Seconds to wait before trying again (429), from the Retry-After header. */
  readonly retryAfter?: number;
  readonly reason?: string;
  readonly field?: string;
  readonly limit?: number;
  constructor(
    readonly status: number,
    refusal: Refusal,
  ) {
    super(refusal.message);
    this.name = "ApiError";
    ({ code: this.code, retryAfter: this.retryAfter, reason: this.reason, field: this.field, limit: this.limit } = refusal);
  }
}

/**
 * Refusals this client makes itself, never the server: a request that never reached an answer
 * (`network`: server down, network gone), a Socket.IO request made while not connected (`offline`) or
 * whose acknowledgement never came (`timeout`). `codeText` has words for each.
 */
export type ClientCode = "network" | "offline" | "timeout";

/**
 * `signal` cancels the request (it then rejects as a `network` failure: the caller knows it cancelled,
 * also when that happens while the answer's body is being read). A 2xx answer resolves with its JSON
 * body (undefined only for 204); one whose body cannot be read rejects as `network`.
 */
export async function api<T>(method: "GET" | "POST" | "PUT" | "DELETE", path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: "same-origin",
      headers: body === undefined ? { Accept: "application/json" } : { Accept: "application/json", "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (err) {
    throw new ApiError(0, { code: "network", message: (err as Error).message || "network error" });
  }
  let data: unknown;
  if (res.status !== 204) {
    try {
      data = await res.json();
    } catch (err) {
      // A success whose body never arrived whole (cancelled while it was being read, the connection cut,
      // not JSON) has no data: a failure to reach an answer, never a success with nothing in it.
      if (res.ok) throw new ApiError(0, { code: "network", message: (err as Error).message || "unreadable response" });
    }
  }
  if (!res.ok) throw new ApiError(res.status, refusalIn(data, { status: res.status, statusText: res.statusText, retryAfter: res.headers.get("Retry-After") }));
  return data as T;
}

/**
 * The refusal in an error response's body (`{ error: … }`); what the status says when there is none.
 * `retryAfter` is the response's Retry-After header. For answers that do not come through `api` (an
 * upload's XMLHttpRequest).
 */
export function refusalIn(data: unknown, res: { status: number; statusText: string; retryAfter: string | null }): Refusal {
  const error = ((data as { error?: unknown } | undefined)?.error ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === "string" && v ? v : undefined);
  const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
  const retry = Number(res.retryAfter);
  return {
    code: str(error.code) ?? "internal",
    message: str(error.message) ?? `${res.status} ${res.statusText}`.trim(),
    retryAfter: Number.isFinite(retry) && retry > 0 ? retry : undefined,
    reason: str(error.reason),
    field: str(error.field),
    limit: num(error.limit),
  };
}

/** Whether `err` is a refusal (an ApiError, a Socket.IO acknowledgement's error, an upload's). */
export const isRefusal = (err: unknown): err is Refusal =>
  typeof err === "object" && err !== null && typeof (err as Refusal).code === "string" && typeof (err as Refusal).message === "string";

/** The words for each contract code, and for the client's own refusals (a request that got no answer). */
const CODE_TEXT: Record<ErrorCode | ClientCode, TextKey> = {
  bad_request: "error.badRequest",
  unauthorized: "error.unauthorized",
  forbidden: "error.forbidden",
  not_found: "error.notFound",
  rate_limited: "error.rateLimitedLater",
  too_large: "error.tooLarge",
  conflict: "error.conflict",
  internal: "error.internal",
  unavailable: "error.unavailable",
  network: "error.network",
  offline: "error.offline",
  timeout: "error.timeout",
};

/**
 * What to say for a failure, by its code alone, in the UI's language: a refusal's contract code (or
 * a ClientCode) through the dictionary, `rate_limited` with its wait; the server's own message only for a
 * code this client does not know, and an Error's message for anything that is not a refusal. Pages that
 * show refusals of requests a person fills in use `errorText` (error-text.ts), which also knows the
 * reasons; the words for the codes are in errors-strings.ts.
 */
export function codeText(err: unknown): Text {
  if (!isRefusal(err)) return err instanceof Error ? err.message : String(err);
  if (err.code === "rate_limited" && err.retryAfter) return text("error.rateLimited", { seconds: err.retryAfter });
  return Object.hasOwn(CODE_TEXT, err.code) ? text(CODE_TEXT[err.code as keyof typeof CODE_TEXT]) : err.message;
}
