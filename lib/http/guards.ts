import type { NextFunction, Request, RequestHandler, Response } from "express";
import { nobodyUnlessUnavailable, type Identify, type Identity } from "../auth/identify";
import { AppError } from "../errors";
import { limitKeyOf, type Limits } from "../limits";
import { crossSiteRefusal, hasQueryToken } from "./origin";
import { setSessionCookie } from "./session-cookie";

/** The bearer token of `Authorization: Bearer …`, if any. */
export function bearerToken(req: Request): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m ? m[1] : "";
}

/**
 * Who reads something of a room over HTTP that a guest may read too (a file, a link preview's image):
 * `{ user }`, the account or bot a session cookie or bearer token names; or, for a request with neither
 * while guest access is on (`guestAccessOn`, asked only then), `"guest"`: a guest has no HTTP credential
 * (its identity is a display name given to the Socket.IO handshake, which anyone may give), so such a
 * request may read exactly what any guest may read, what is in public rooms. Null otherwise: guest
 * access off, or a bearer token that does not resolve (refused, never taken for a guest: the handshake
 * rule). The server failing to find out is AppError("unavailable") (nobodyUnlessUnavailable).
 */
export async function httpReader(identify: Identify, req: Request, guestAccessOn: () => Promise<boolean>): Promise<{ user: Identity["user"] } | "guest" | null> {
  const token = bearerToken(req);
  const identity = await identify({ cookie: req.headers.cookie, token }).catch(nobodyUnlessUnavailable);
  if (identity && identity.via !== "guest") return { user: identity.user };
  if (identity || token !== undefined || !(await guestAccessOn())) return null;
  return "guest";
}

/** Credentials in a URL end up in access logs and browser history: refuse them outright. */
export const refuseQueryTokens: RequestHandler = (req, _res, next) => {
  if (hasQueryToken(req.originalUrl)) {
    return next(new AppError("bad_request", "tokens in the query string are refused: send them in the Authorization header"));
  }
  next();
};

/** Methods the API answers (preflight `Access-Control-Allow-Methods`). */
const CORS_METHODS = "GET, HEAD, POST, PUT, DELETE";
/** Response headers a page on another origin may read beside the CORS-safelisted ones. */
const CORS_EXPOSED = "Retry-After, X-Request-Id, ETag, Content-Range, Content-Disposition";

/**
 * CORS (the Fetch standard's CORS protocol) for the origins of `CORS_ORIGINS`, which README and
 * docs/protocol.md promise may use the API and its streams with credentials: a request whose `Origin`
 * is one of them gets `Access-Control-Allow-Origin: <that origin>`, `Access-Control-Allow-Credentials:
 * true` and the exposed headers, and its preflight (`OPTIONS` with `Access-Control-Request-Method`) is
 * answered `204` with the methods and the request headers it asked for. Every answer says `Vary: Origin`.
 * Any other origin gets no CORS header, so the browser keeps the answer from its page (and its
 * state-changing requests are refused by checkOrigin). Without this the listed origins could open
 * Socket.IO only: the browser refused them every API answer and every preflighted write.
 */
export function allowCors(corsOrigins: string[]): RequestHandler {
  const allowed = new Set(corsOrigins);
  return (req, res, next) => {
    res.vary("Origin");
    const origin = req.headers.origin;
    if (origin === undefined || !allowed.has(origin)) return next();
    res.setHeader("Access-Control-Allow-Origin", origin);
    res.setHeader("Access-Control-Allow-Credentials", "true");
    const preflight = req.method === "OPTIONS" && req.headers["access-control-request-method"] !== undefined;
    if (!preflight) {
      res.setHeader("Access-Control-Expose-Headers", CORS_EXPOSED);
      return next();
    }
    res.setHeader("Access-Control-Allow-Methods", CORS_METHODS);
    const asked = req.headers["access-control-request-headers"];
    if (asked) res.setHeader("Access-Control-Allow-Headers", asked);
    res.setHeader("Access-Control-Max-Age", "600");
    res.status(204).end();
  };
}

/**
 * A browser on a foreign origin may not act with this server's cookies (CSRF), whatever SameSite says:
 * a state-changing request is refused `403` when its Origin is not allowed, or when it has none and the
 * browser says (`Sec-Fetch-Site: same-site|cross-site`) a page of another site sent it. The rule of the
 * long-lived transports (crossSiteRefusal), so one request is judged the same on every transport.
 */
export function checkOrigin(corsOrigins: string[]): RequestHandler {
  return (req, _res, next) => {
    if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
    const refusal = crossSiteRefusal(req, corsOrigins, req.protocol);
    if (refusal !== undefined) return next(new AppError("forbidden", refusal));
    next();
  };
}

export const identityOf = (res: Response): Identity => res.locals.identity as Identity;

/**
 * The caller of an HTTP request (session cookie or bearer token; guests only if `identify` allows them),
 * or null; rejects with AppError("unavailable") (503) when the database could not say, never null. This is where sessions slide: a session renewed by this request gets its cookie re-issued on
 * this response with the new expiry, so the browser keeps it as long as the server does.
 */
export function identifyRequest(identify: Identify, req: Request, res: Response): Promise<Identity | null> {
  // Once per request: limitRequests identifies every API request before its route does.
  const known = res.locals.identified as Promise<Identity | null> | undefined;
  if (known) return known;
  const identified = identify({ cookie: req.headers.cookie, token: bearerToken(req), renewSession: true })
    .catch(nobodyUnlessUnavailable)
    .then((identity) => {
      if (identity?.session?.renewed && identity.token) setSessionCookie(req, res, identity.token, identity.session.expiresAt);
      return identity;
    });
  res.locals.identified = identified;
  return identified;
}

/**
 * Takes a point of the `api-requests` row (lib/limits.ts) from the caller of every API request that
 * carries credentials (session cookie or bearer token) naming someone: users and bots by id, guests by
 * client address (limitKeyOf). Past it the request is refused `429` `rate_limited` with `Retry-After`
 * before its route runs. A request without credentials, or whose credentials name nobody, goes on to
 * its route (which answers 401, or counts it in its own per-address row: sign-in, join, setup). The
 * identity is kept for the route (identifyRequest).
 */
export function limitRequests(identify: Identify, limits: Limits): RequestHandler {
  return async (req, res, next) => {
    if (req.headers.cookie === undefined && req.headers.authorization === undefined) return next();
    const identity = await identifyRequest(identify, req, res);
    if (!identity) return next();
    limits.take("api-requests", limitKeyOf(identity.user)).then(() => next(), next);
  };
}

/** Resolves the caller from the session cookie or bearer token (never as a guest); 401 otherwise. */
export function requireUser(identify: Identify): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const identity = await identifyRequest(identify, req, res);
    if (!identity || identity.via === "guest") return next(new AppError("unauthorized", "sign in first"));
    res.locals.identity = identity;
    next();
  };
}

export function requireAdmin(identify: Identify): RequestHandler {
  const user = requireUser(identify);
  return (req, res, next) =>
    user(req, res, (err?: unknown) => {
      if (err) return next(err);
      if (!identityOf(res).user.admin) return next(new AppError("forbidden", "admins only"));
      next();
    });
}
