import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";
import proxyaddr from "proxy-addr";

/** Whether the proxy at `addr`, `hop` hops from this server, may speak for the client (Express "trust proxy"). */
export type TrustProxy = (addr: string, hop: number) => boolean;

/**
 * Compiles a `TRUST_PROXY` setting exactly as Express does for its "trust proxy" setting (true, a hop
 * count, or comma-separated addresses/subnets for `proxy-addr`), so the Socket.IO handshake makes the
 * same trust decision as `req.protocol` does in Express.
 */
export function compileTrustProxy(setting: boolean | number | string): TrustProxy {
  if (setting === true) return () => true;
  if (typeof setting === "number") return (_addr, hop) => hop < setting;
  if (typeof setting === "string") return proxyaddr.compile(setting.split(",").map((v) => v.trim()).filter(Boolean));
  return () => false;
}

/**
 * The scheme the client used, `"http"` or `"https"`: TLS on this socket, else the first
 * `X-Forwarded-Proto` value when the immediate peer is a trusted proxy (Express's `req.protocol` rule).
 */
export function requestScheme(req: IncomingMessage, trust: TrustProxy): string {
  if ((req.socket as TLSSocket).encrypted) return "https";
  const header = req.headers["x-forwarded-proto"];
  if (typeof header !== "string" || !trust(req.socket.remoteAddress ?? "", 0)) return "http";
  // Any other value (a proxy passing on what the client sent: "http://evil.example/#", "javascript") is
  // http: the scheme goes into links this server writes (the join link) and into origin checks.
  return header.split(",")[0].trim().toLowerCase() === "https" ? "https" : "http";
}

/**
 * Whether a browser request's Origin may act with this server's credentials: the server's own origin
 * (same scheme, as `scheme` says, and same host as the request) or one listed in CORS_ORIGINS
 * (RFC 6454 origins compare scheme, host and port). A request with no Origin is not a browser acting
 * cross-site; it is judged by its credentials alone (see `cookieWithoutOrigin` for Socket.IO).
 */
export function originAllowed(req: IncomingMessage, allowList: string[], scheme: string): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (allowList.includes(origin)) return true;
  try {
    const url = new URL(origin);
    return url.protocol === `${scheme}:` && url.host === req.headers.host;
  } catch {
    return false;
  }
}

/**
 * Why a browser request must not act with this server's credentials, or undefined when it may: an
 * Origin that `originAllowed` refuses, or no Origin where the browser says (`Sec-Fetch-Site:
 * same-site|cross-site`) that a page of another site made it (a `<script>`/`<img>` tag, a navigation).
 * Clients that send neither header (bots, scripts) pass: their credentials alone decide. The rule of
 * every transport that holds a connection open for the caller (Socket.IO, Server-Sent Events), so a page
 * on a sibling subdomain or another port cannot open them with the victim's cookie.
 */
export function crossSiteRefusal(req: IncomingMessage, allowList: string[], scheme: string): string | undefined {
  if (!originAllowed(req, allowList, scheme)) return "origin not allowed";
  if (req.headers.origin !== undefined) return undefined;
  // Browsers send the value in lower case; any other spelling is judged as the same value.
  const site = String(req.headers["sec-fetch-site"] ?? "").trim().toLowerCase();
  return site === "same-site" || site === "cross-site" ? "origin not allowed" : undefined;
}

/**
 * Names of query parameters that look like credentials, compared after percent-decoding, lower-casing
 * and dropping `-`/`_` (so `Token`, `TOKEN`, `access_Token`, `%74oken`, `api-key` all match); any name
 * containing "token" counts too. In bracket notation every part counts: Express's query parser (qs) reads
 * `auth[]` and `password[x]` as that name, and `a[token]` as a field `token` inside `a`, a credential all
 * the same. Refused so credentials never land in access logs.
 */
const TOKEN_PARAMS = new Set(["token", "accesstoken", "auth", "authorization", "session", "sessionid", "apikey", "password", "secret"]);
const credentialName = (name: string) =>
  name.split(/[[\]]+/).some((part) => {
    const n = part.toLowerCase().replace(/[-_\s.]/g, "");
    return n !== "" && (TOKEN_PARAMS.has(n) || n.includes("token"));
  });
export function hasQueryToken(url: string | undefined): boolean {
  const q = url?.indexOf("?") ?? -1;
  if (q < 0) return false;
  for (const name of new URLSearchParams(url!.slice(q + 1)).keys()) if (credentialName(name)) return true;
  return false;
}
