import type { Request, RequestHandler, Response } from "express";
import ipaddr from "ipaddr.js";
import { isAppError } from "../errors";
import type { LimitName, Limits } from "../limits";
import { identityOf } from "./guards";

/**
 * The key of a client address for per-address limits: an IPv4 address (IPv4-mapped IPv6 forms such as
 * `::ffff:10.0.0.1` are the IPv4 address they carry), or the /64 prefix of an IPv6 address, which is
 * what one subscriber holds (RFC 6177), so rotating addresses inside it does not reset a limit.
 */
export function addressKey(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  const addr = ipaddr.process(address);
  if (addr.kind() === "ipv4") return addr.toString();
  const parts = (addr as ipaddr.IPv6).parts.slice(0, 4).map((p) => p.toString(16));
  return `${parts.join(":")}::/64`;
}

/** The client address as Express sees it (X-Forwarded-For only from TRUST_PROXY's proxies), as an addressKey. */
export const byIp = (req: Request) => (req.ip ? addressKey(req.ip) : "unknown");
/** The signed-in caller (mount after requireUser/requireAdmin). */
export const byUser = (_req: Request, res: Response) => identityOf(res).user.id;

/**
 * Express middleware taking one point of limit `name` for the request's key; over the limit the request
 * ends as `429 rate_limited` with `Retry-After` (finishApi's error mapper writes both).
 */
export function limitBy(limits: Limits, name: LimitName, key: (req: Request, res: Response) => string): RequestHandler {
  return async (req, res, next) => {
    await limits.take(name, key(req, res));
    next();
  };
}

/**
 * Whether a request to the page handler renders a page: a GET or HEAD of a path outside `/_next/` whose
 * last segment has no file extension (a page's HTML, or its React Server Components payload). Build
 * assets (`/_next/static/…`) and public files (`/sw.js`, icons, the manifest) are files, served as such.
 */
export function rendersPage(req: Pick<Request, "method" | "path">): boolean {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  if (req.path.startsWith("/_next/")) return false;
  return !/\.[A-Za-z0-9]+$/.test(req.path.slice(req.path.lastIndexOf("/") + 1));
}

/**
 * Express middleware in front of the page handler: each page render (rendersPage) takes a point of the
 * `pages` row for the client address (byIp). Over it the request ends as `429` with `Retry-After`
 * (seconds) and a one-line plain-text body, as a browser shows it; other requests pass untouched.
 * Errors other than the refusal (the limiter's store failing) go to Express's error handling.
 */
export function limitPageRenders(limits: Limits): RequestHandler {
  return async (req, res, next) => {
    if (!rendersPage(req)) return next();
    try {
      await limits.take("pages", byIp(req));
    } catch (err) {
      if (!isAppError(err) || err.code !== "rate_limited") return next(err);
      const retryAfter = err.retryAfter ?? 60;
      res.status(429).set({ "Retry-After": String(retryAfter), "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" });
      res.end(req.method === "HEAD" ? undefined : `Too many page loads from this address; try again in ${retryAfter} s.\n`);
      return;
    }
    next();
  };
}
