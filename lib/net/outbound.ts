/**
 * The one way the server makes HTTP requests to user-supplied URLs (link previews, Web Push): guards
 * against server-side request forgery (OWASP SSRF Prevention Cheat Sheet).
 *
 * - http: and https: only, no credentials in the URL.
 * - The address is checked where the connection is made: a custom `lookup` judges every address DNS
 *   returns for the name being connected to, so there is no window between a check and the connect for
 *   DNS rebinding; an IP literal (which skips DNS) is judged before connecting. See address-policy.ts.
 * - Redirects are followed here, hop by hop (each hop checked again), at most `maxRedirects`.
 * - One deadline (`timeoutMs`) covers every hop and the body; bodies stop at `maxBytes`.
 * - `host:port` pairs on the allow list (`OUTBOUND_ALLOW`) skip the address check, nothing else.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOneOptions } from "node:dns";
import http, { type IncomingHttpHeaders, type IncomingMessage } from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { hostPortOf, isBlockedAddress, parseAllowList } from "./address-policy";

export type OutboundOptions = {
  /** Default GET. */
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Largest body kept, in bytes (default 1 MiB); the rest is not read and `truncated` is set. */
  maxBytes?: number;
  /** Deadline for the whole exchange, redirects and body included, in milliseconds (default 5000). */
  timeoutMs?: number;
  /** Redirects followed (default 5); 0 returns a 3xx response as it is. */
  maxRedirects?: number;
};

export type OutboundResponse = {
  status: number;
  headers: IncomingHttpHeaders;
  /** The URL that answered (after redirects). */
  url: string;
  body: Buffer;
  /** True when the body was longer than `maxBytes` and was cut there. */
  truncated: boolean;
};

export type OutboundErrorCode = "bad_url" | "blocked" | "timeout" | "too_many_redirects" | "network";

/** Why an outbound request was not made or did not finish. `code` is stable; messages are for logs. */
export class OutboundError extends Error {
  constructor(
    readonly code: OutboundErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "OutboundError";
  }
}

/** `(url, options) → response`; throws OutboundError. Non-2xx statuses are returned, not thrown. */
export type OutboundFetch = (url: string, opts?: OutboundOptions) => Promise<OutboundResponse>;

export type OutboundPolicy = {
  /** `host:port` entries that may be reached even at refused addresses (OUTBOUND_ALLOW). */
  allow?: string[];
  /** DNS resolution (default `dns.lookup`); tests substitute names that resolve to chosen addresses. */
  resolve?: typeof dnsLookup;
};

const DEFAULT_MAX_BYTES = 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * What the guard decides of a URL before any request: `{ url, allowed }` (`allowed`: its `host:port` is
 * on the allow list `allow`, parseAllowList's set, and skips the address check). Throws OutboundError
 * `bad_url` (not an http(s) URL, or one with credentials) or `blocked` (a refused IP literal, or a
 * `localhost` name, which resolve to loopback by RFC 6761; other names are judged by their addresses when
 * they are looked up, at each request).
 */
export function checkOutboundUrl(raw: string | URL, allow: ReadonlySet<string>): { url: URL; allowed: boolean } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OutboundError("bad_url", "not a URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new OutboundError("bad_url", "only http and https URLs are fetched");
  if (url.username || url.password) throw new OutboundError("bad_url", "credentials in URLs are refused");
  const allowed = allow.has(hostPortOf(url));
  // An IP literal never goes through lookup: judge it here.
  const literal = url.hostname.startsWith("[") || /^[\d.]+$/.test(url.hostname);
  if (!allowed && literal && isBlockedAddress(url.hostname)) throw new OutboundError("blocked", "refused address");
  if (!allowed && /(^|\.)localhost\.?$/i.test(url.hostname)) throw new OutboundError("blocked", "refused address");
  return { url, allowed };
}

/**
 * Makes the guarded fetch for one policy (server.ts creates it once from the config and hands it to
 * every feature that contacts user-supplied URLs).
 */
export function createOutboundFetch(policy: OutboundPolicy = {}): OutboundFetch {
  const allow = parseAllowList(policy.allow ?? []);
  const resolve = policy.resolve ?? dnsLookup;

  /** A `lookup` for node:net; when `check` is set it refuses a name if any of its addresses is refused. */
  const lookupFor = (check: boolean): LookupFunction => (hostname, options, callback) => {
    resolve(hostname, { ...(options as LookupOneOptions), all: true } as LookupAllOptions, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, "", 0);
      if (addresses.length === 0 || (check && addresses.some((a) => isBlockedAddress(a.address)))) {
        return callback(new OutboundError("blocked", `${hostname} resolves to a refused address`), "", 0);
      }
      if ((options as LookupAllOptions).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
  const guardedLookup = lookupFor(true);
  const plainLookup = lookupFor(false);

  const checkUrl = (raw: string | URL) => checkOutboundUrl(raw, allow);

  function once(url: URL, allowed: boolean, opts: OutboundOptions, signal: AbortSignal): Promise<IncomingMessage> {
    return new Promise((resolveRes, reject) => {
      const client = url.protocol === "https:" ? https : http;
      const req = client.request(
        url,
        {
          method: opts.method ?? "GET",
          headers: opts.headers,
          // A fresh connection per request: no pooled socket from another host's decision is reused.
          agent: false,
          lookup: allowed ? plainLookup : guardedLookup,
          signal,
        },
        resolveRes,
      );
      req.on("error", (err) => reject(asOutboundError(err, signal)));
      req.end(opts.body);
    });
  }

  return async function outboundFetch(raw, opts = {}) {
    const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
    const maxRedirects = opts.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
    const signal = AbortSignal.timeout(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    let current = opts;
    let { url, allowed } = checkUrl(raw);
    for (let hop = 0; ; hop++) {
      const res = await once(url, allowed, current, signal);
      const location = res.headers.location;
      if (REDIRECTS.has(res.statusCode ?? 0) && location && maxRedirects > 0) {
        res.resume();
        if (hop >= maxRedirects) throw new OutboundError("too_many_redirects", `more than ${maxRedirects} redirects`);
        const from = url;
        ({ url, allowed } = checkUrl(new URL(location, url)));
        // Credentials meant for one site are not handed to the next (as the Fetch standard does).
        if (url.origin !== from.origin) current = { ...current, headers: withoutCredentials(current.headers) };
        // As browsers do: 303 (and 301/302 after a POST) continue as a GET without the body.
        if (res.statusCode === 303 || ((res.statusCode === 301 || res.statusCode === 302) && current.method === "POST")) {
          current = { ...current, method: "GET", body: undefined };
        }
        continue;
      }
      const { body, truncated } = await readBody(res, maxBytes, signal);
      return { status: res.statusCode ?? 0, headers: res.headers, url: url.toString(), body, truncated };
    }
  };
}

const CREDENTIAL_HEADERS = new Set(["authorization", "cookie", "proxy-authorization"]);
const withoutCredentials = (headers: Record<string, string> | undefined) =>
  headers && Object.fromEntries(Object.entries(headers).filter(([name]) => !CREDENTIAL_HEADERS.has(name.toLowerCase())));

function asOutboundError(err: unknown, signal: AbortSignal): OutboundError {
  if (err instanceof OutboundError) return err;
  if (signal.aborted) return new OutboundError("timeout", "deadline passed");
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof OutboundError) return cause;
  return new OutboundError("network", err instanceof Error ? err.message : String(err));
}

/** Reads at most `maxBytes`, then drops the connection (the rest is never downloaded). */
function readBody(res: IncomingMessage, maxBytes: number, signal: AbortSignal): Promise<{ body: Buffer; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (truncated: boolean) => {
      if (done) return;
      done = true;
      resolve({ body: Buffer.concat(chunks, Math.min(size, maxBytes)), truncated });
    };
    res.on("data", (chunk: Buffer) => {
      if (done) return;
      chunks.push(chunk);
      size += chunk.length;
      if (size > maxBytes) {
        finish(true);
        res.destroy();
      }
    });
    res.on("end", () => finish(false));
    res.on("error", (err) => {
      if (!done) {
        done = true;
        reject(asOutboundError(err, signal));
      }
    });
    res.on("close", () => {
      if (!done) {
        done = true;
        reject(asOutboundError(new Error("connection closed early"), signal));
      }
    });
  });
}
