import type { IncomingMessage } from "node:http";
import { SESSION_COOKIE } from "../auth/identify";
import { CLIENT_HEADER } from "./client-header";
import { crossSiteRefusal, hasQueryToken, requestScheme, type TrustProxy } from "../http/origin";

/**
 * Why an Engine.IO HTTP request or WebSocket upgrade is refused, or undefined when it may proceed.
 * Applied to every request of every transport, before Engine.IO handles it:
 * - `j` in the query (JSONP polling, which a `<script>` tag can read cross-origin) is refused outright;
 * - credentials in the query string are refused;
 * - an Origin must be this server's own (same scheme and host) or listed in CORS_ORIGINS;
 * - a request carrying the session cookie must show it came from a page allowed to use it: an Origin
 *   (checked above) or `X-Hibiki-Client`. A cookie with neither is a cross-site subresource load riding
 *   on the victim's cookie. `Sec-Fetch-Site: same-site|cross-site` without an Origin is refused too.
 * Clients without the cookie (socket.io-client in Node, bots with `auth.token`) send no Origin and pass.
 */
export function refusalReason(req: IncomingMessage, corsOrigins: string[], trust: TrustProxy): string | undefined {
  const url = req.url ?? "";
  const q = url.indexOf("?");
  if (q >= 0 && new URLSearchParams(url.slice(q + 1)).has("j")) return "JSONP polling is not supported";
  if (hasQueryToken(url)) return "tokens in the query string are refused";
  const crossSite = crossSiteRefusal(req, corsOrigins, requestScheme(req, trust));
  if (crossSite !== undefined) return crossSite;
  if (req.headers.origin !== undefined) return undefined;
  if (hasSessionCookie(req) && req.headers[CLIENT_HEADER] === undefined) return "a browser request with the session cookie must carry an Origin";
  return undefined;
}

function hasSessionCookie(req: IncomingMessage): boolean {
  const cookie = req.headers.cookie;
  return typeof cookie === "string" && cookie.split(";").some((c) => c.trim().startsWith(`${SESSION_COOKIE}=`));
}
