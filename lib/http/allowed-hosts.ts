import { isIP } from "node:net";
import type { IncomingMessage, Server as HttpServer, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { domainToASCII } from "node:url";

/**
 * The `Host` check against DNS rebinding. A web page whose domain its owner re-points at 127.0.0.1 or an
 * intranet address reaches this server from a victim's browser as that domain's own origin: `Origin`
 * and `Host` both name the attacker's domain, so the same-origin rule (lib/http/origin.ts) passes. The
 * one thing the attacker cannot choose is that the browser names *their* domain in `Host`; a server that
 * answers only to its own names is out of reach (Vite `server.allowedHosts`, Django `ALLOWED_HOSTS`,
 * webpack-dev-server `allowedHosts`; the matching rules follow Vite's host-validation-middleware).
 */

/**
 * Always allowed, whatever ALLOWED_HOSTS says: an IP literal (v4, or v6 in brackets) and `localhost` or
 * a name under `.localhost` (RFC 6761 §6.3: browsers resolve them to loopback themselves). No one but the
 * machine's owner decides where these lead, so a page naming them is not a rebound foreign domain.
 */
const alwaysAllowed = (name: string) => isIP(name) !== 0 || name === "localhost" || name.endsWith(".localhost");

/**
 * One ALLOWED_HOSTS entry in the form compared with: `*`, or an ASCII (punycode) host name in lower case
 * with no trailing dot, perhaps with a leading dot (`.example.com`: the name and every name under it).
 * Throws an Error saying why for anything else (a scheme, a port, a path, spaces, an empty label).
 */
export function normaliseAllowedHost(entry: string): string {
  const text = entry.trim();
  if (text === "*") return "*";
  const dot = text.startsWith(".") ? "." : "";
  const bare = text.slice(dot.length).replace(/\.$/, "");
  // domainToASCII turns an internationalised name into the punycode a browser sends, and '' when invalid.
  const ascii = /^[^\s/:@?#[\]]+$/.test(bare) ? domainToASCII(bare) : "";
  if (!ascii || ascii.split(".").some((label) => label === "")) throw new Error(`"${entry}" is not a host name (no scheme, port or path; a leading dot allows subdomains, * any host)`);
  return dot + ascii.toLowerCase();
}

/** Parses ALLOWED_HOSTS (comma-separated entries, see normaliseAllowedHost); throws an Error naming a bad entry. */
export function parseAllowedHosts(text: string): string[] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map(normaliseAllowedHost);
}

/**
 * The names allowed when ALLOWED_HOSTS is unset: the machine's host name (and, for a name without dots,
 * its mDNS `.local` form, RFC 6762), so that other machines on the network may open `http://<name>:3000`
 * on a fresh install; and HOST when it is a name rather than an address. IP literals and localhost are
 * allowed anyway.
 */
export function defaultAllowedHosts(opts: { hostname: string; listenHost: string }): string[] {
  const out = new Set<string>();
  for (const name of [opts.hostname, !opts.hostname || opts.hostname.includes(".") ? "" : `${opts.hostname}.local`, opts.listenHost]) {
    if (!name || isIP(name) !== 0) continue;
    try {
      out.add(normaliseAllowedHost(name));
    } catch {
      // A host name the OS allows but DNS cannot carry: no browser sends it as a Host.
    }
  }
  return [...out];
}

/**
 * The host name of a `Host` header value (RFC 9110 §7.2: `uri-host [ ":" port ]`), lower case, without
 * a trailing dot, with an IPv6 literal's brackets removed; undefined when the value is not of that form.
 */
export function hostNameOf(header: string): string | undefined {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^\s:[\]/@?#]+))(?::(\d{0,5}))?$/.exec(header.trim());
  if (!m) return undefined;
  if (m[1] !== undefined) return isIP(m[1]) === 6 ? m[1].toLowerCase() : undefined;
  const name = m[2].toLowerCase().replace(/\.$/, "");
  return name === "" || name.startsWith(".") ? undefined : name;
}

/**
 * Whether a request whose `Host` header is `header` may be answered: `allowed` holds entries from
 * normaliseAllowedHost (`*`, `name`, `.suffix`). IP literals and localhost always pass (see
 * alwaysAllowed). A request with no `Host` at all passes: browsers always send one (and Node answers an
 * HTTP/1.1 request without it with 400 itself), so only an HTTP/1.0 script that named the server by
 * its address can lack it, and DNS rebinding needs a browser. An empty or malformed value is refused.
 */
export function hostAllowed(header: string | undefined, allowed: readonly string[]): boolean {
  if (header === undefined) return true;
  const name = hostNameOf(header);
  if (name === undefined) return false;
  if (alwaysAllowed(name)) return true;
  for (const entry of allowed) {
    if (entry === "*" || entry === name) return true;
    if (entry.startsWith(".") && (name === entry.slice(1) || name.endsWith(entry))) return true;
  }
  return false;
}

/**
 * The authority a request names: its `Host` header, or, for a request target in absolute form
 * (`GET http://name/path`, RFC 9112 §3.2.2), the target's authority, which the server must use instead of
 * `Host` (and Next.js does: it redirected `GET http://evil.example/` to `http://evil.example/`). A
 * target of neither form (nor `*`) names no host the server answers to: the empty string, refused.
 * So is a request with more than one `Host` line (RFC 9112 §3.2: a server must refuse it): Node keeps
 * the first and drops the others, so `Host: 127.0.0.1` then `Host: evil.example` passed the check as
 * the first while a proxy or cache in front may have taken the second.
 */
export function requestAuthority(req: Pick<IncomingMessage, "url" | "headers"> & { rawHeaders?: string[] }): string | undefined {
  const target = req.url ?? "";
  if (target.startsWith("/") || target === "*") return hostLines(req.rawHeaders) > 1 ? "" : req.headers.host;
  return /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)/.exec(target)?.[1] ?? "";
}

/** How many `Host` field lines `rawHeaders` (Node's name, value, name, value … list) holds. */
function hostLines(rawHeaders: string[] | undefined): number {
  let n = 0;
  for (let i = 0; i < (rawHeaders?.length ?? 0); i += 2) if (rawHeaders![i].length === 4 && rawHeaders![i].toLowerCase() === "host") n++;
  return n;
}

/** The refusal's body: the contract's error shape; the header's value is not echoed back. */
const REFUSAL = JSON.stringify({
  error: { code: "forbidden", message: "this server does not answer to the host name this request was sent to; if it is this server's address, add it to ALLOWED_HOSTS" },
});

const REFUSAL_HEADERS = {
  "Content-Type": "application/json; charset=utf-8",
  "Content-Length": String(Buffer.byteLength(REFUSAL)),
  "Cache-Control": "no-store",
  "X-Content-Type-Options": "nosniff",
  Connection: "close",
};

/**
 * Puts the `Host` check in front of everything `server` does: every `request` (API, SSE, uploads,
 * downloads, Socket.IO long-polling, pages) and every `upgrade` (Socket.IO's WebSocket, Next's dev
 * socket) whose Host (or absolute-form target's authority, see requestAuthority) `hostAllowed` refuses is answered `421 Misdirected Request` (RFC 9110 §15.5.20: the
 * server is not configured to answer for that authority) and its connection closed, before any
 * listener sees it. The check wraps the server's `emit` rather than adding a listener because Engine.IO
 * takes over the `request` listeners of the server it attaches to, and every `upgrade` listener runs;
 * only this way no transport, present or attached later, can be reached around it. `onRefused` gets the
 * refused header's value (at most 255 characters) for the log.
 */
export function guardHosts(server: HttpServer, opts: { allowed: readonly string[]; onRefused?: (host: string) => void }): void {
  const allowed = Object.freeze([...opts.allowed]);
  const emit = server.emit;
  const refused = (req: IncomingMessage) => {
    const authority = requestAuthority(req);
    if (hostAllowed(authority, allowed)) return false;
    opts.onRefused?.(String(authority).slice(0, 255));
    return true;
  };
  server.emit = function guarded(this: HttpServer, event: string | symbol, ...args: unknown[]): boolean {
    if (event === "request" && refused(args[0] as IncomingMessage)) {
      (args[1] as ServerResponse).writeHead(421, REFUSAL_HEADERS).end(REFUSAL);
      return true;
    }
    if (event === "upgrade" && refused(args[0] as IncomingMessage)) {
      const head = Object.entries(REFUSAL_HEADERS).map(([k, v]) => `${k}: ${v}\r\n`).join("");
      (args[1] as Duplex).end(`HTTP/1.1 421 Misdirected Request\r\n${head}\r\n${REFUSAL}`);
      return true;
    }
    return emit.apply(this, [event, ...args] as Parameters<HttpServer["emit"]>);
  } as HttpServer["emit"];
}
