/**
 * A stand-in for `fetch` answering same-origin API calls from a table of routes, and recording every
 * call. Responses carry just what components/auth/api.ts reads (status, headers, JSON body).
 */
export type Route = {
  method?: string;
  path: string | RegExp;
  /** The status (200 unless given); a function is called for each request, as `body` is. */
  status?: number | (() => number);
  /** The JSON body; a function is called for each request (an answer that changes between calls). */
  body?: unknown;
  headers?: Record<string, string>;
};

export type FetchCall = { method: string; path: string; body: unknown };

export function mockFetch(routes: Route[]) {
  const calls: FetchCall[] = [];
  const fn = jest.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const path = String(input);
    const method = (init.method ?? "GET").toUpperCase();
    calls.push({ method, path, body: typeof init.body === "string" ? JSON.parse(init.body) : undefined });
    const route = routes.find(
      (r) => (r.method ?? "GET") === method && (typeof r.path === "string" ? r.path === path : r.path.test(path)),
    );
    const status = (typeof route?.status === "function" ? route.status() : route?.status) ?? (route ? 200 : 404);
    const body = route ? (typeof route.body === "function" ? route.body() : route.body) : { error: { code: "not_found", message: "no such endpoint" } };
    const headers = new Map(Object.entries(route?.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    return {
      ok: status >= 200 && status < 300,
      status,
      statusText: "",
      headers: { get: (name: string) => headers.get(name.toLowerCase()) ?? null },
      json: async () => body,
    } as unknown as Response;
  });
  globalThis.fetch = fn as unknown as typeof fetch;
  return { fn, calls };
}

export const guestSession = { user: null, setupRequired: false, guestAccess: true };
/** GET /api/session for account `name`; its id (what stays when the account is renamed) is `id-<name>` unless given. */
export const userSession = (name = "aiko", admin = false, id = `id-${name}`) => ({
  user: { id, name, admin, kind: "user" as const }, setupRequired: false, guestAccess: false,
});
