/**
 * Same-origin JSON requests to the server's HTTP API. The session is an httpOnly cookie the browser sends
 * by itself (`credentials: "same-origin"`), so nothing here ever touches a token.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Seconds to wait before trying again (429), from the Retry-After header. */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** A request that never reached an answer (server down, network gone). */
const NETWORK = "network";

export async function api<T>(method: "GET" | "POST" | "PUT" | "DELETE", path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: "same-origin",
      headers: body === undefined ? { Accept: "application/json" } : { Accept: "application/json", "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    throw new ApiError(0, NETWORK, (err as Error).message || "network error");
  }
  const data = res.status === 204 ? undefined : await res.json().catch(() => undefined);
  if (!res.ok) {
    const error = (data as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    const retry = Number(res.headers.get("Retry-After"));
    throw new ApiError(
      res.status,
      typeof error?.code === "string" ? error.code : "internal",
      typeof error?.message === "string" ? error.message : `${res.status} ${res.statusText}`.trim(),
      Number.isFinite(retry) && retry > 0 ? retry : undefined,
    );
  }
  return data as T;
}

export const errorMessage = (err: unknown): string => (err instanceof Error ? err.message : String(err));
