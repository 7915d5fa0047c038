import type { IncomingMessage } from "node:http";

/**
 * Whether a browser request's Origin may act with this server's credentials: the server's own origin
 * (same host as the request) or one listed in CORS_ORIGINS. A request with no Origin is not a browser
 * acting cross-site; it is judged by its credentials alone.
 */
export function originAllowed(req: IncomingMessage, allowList: string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (allowList.includes(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/** Names of query parameters that look like credentials: refused so they never land in access logs. */
const TOKEN_PARAMS = ["token", "access_token", "auth", "session", "api_key", "apikey"];
export function hasQueryToken(url: string | undefined): boolean {
  const q = url?.indexOf("?") ?? -1;
  if (q < 0) return false;
  const params = new URLSearchParams(url!.slice(q + 1));
  return TOKEN_PARAMS.some((p) => params.has(p));
}
