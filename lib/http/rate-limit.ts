import type { Request, RequestHandler, Response } from "express";
import ipaddr from "ipaddr.js";
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
