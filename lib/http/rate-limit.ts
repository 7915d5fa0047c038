import type { Request, RequestHandler, Response } from "express";
import type { LimitName, Limits } from "../limits";
import { identityOf } from "./guards";

/** The client address as Express sees it (X-Forwarded-For only from TRUST_PROXY's proxies). */
export const byIp = (req: Request) => req.ip ?? "unknown";
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
