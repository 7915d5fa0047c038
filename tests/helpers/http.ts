import type { TestServer } from "./server";

export type ApiResult = { status: number; body: any; headers: Headers; cookie?: string; setCookie?: string };

/** A JSON request to the test server; returns the status, parsed body and the session cookie if set. */
export async function api(
  server: TestServer,
  path: string,
  opts: { method?: string; body?: unknown; cookie?: string; headers?: Record<string, string> } = {},
): Promise<ApiResult> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  if (opts.cookie) headers.cookie = opts.cookie;
  const res = await fetch(server.url + path, {
    method: opts.method ?? (opts.body === undefined ? "GET" : "POST"),
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  const setCookie = res.headers.get("set-cookie") ?? undefined;
  const cookie = setCookie?.match(/hibiki_session=[^;]*/)?.[0];
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers, cookie, setCookie };
}

/** Creates the admin on a fresh server and returns their cookie. */
export async function setupAdmin(server: TestServer, name = "admin", password = "correct horse battery") {
  const res = await api(server, "/api/setup", { body: { name, password } });
  if (res.status !== 201) throw new Error(`setup failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.cookie!;
}

/** Creates an account through the join link and returns its cookie. */
export async function joinAs(server: TestServer, adminCookie: string, name: string, password = "password-" + name) {
  const { body } = await api(server, "/api/admin/join-code", { cookie: adminCookie });
  const res = await api(server, `/api/join/${body.code}`, { body: { name, password } });
  if (res.status !== 201) throw new Error(`join failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.cookie!;
}
