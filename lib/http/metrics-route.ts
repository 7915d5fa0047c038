import { createHash, timingSafeEqual } from "node:crypto";
import type { RequestHandler } from "express";
import type { Registry } from "prom-client";
import type { Logger } from "../log";
import { hasQueryToken } from "./origin";

/** `Authorization: Bearer <token>` (the scheme is case-insensitive, RFC 9110 §11.1). */
const BEARER = /^Bearer +(\S+) *$/i;

const digest = (text: string) => createHash("sha256").update(text).digest();

/**
 * Whether an Authorization header carries `token` as a bearer token. Both sides are hashed to 32 bytes
 * before a constant-time compare, so neither the content nor the length of the token leaks through
 * timing.
 */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const given = BEARER.exec(header ?? "")?.[1] ?? "";
  // Compare even when no token was given, so a missing header costs the same as a wrong one.
  return timingSafeEqual(digest(given), digest(token)) && given !== "";
}

/**
 * `GET /metrics` (contract "Operations"): the Prometheus text format of `registry`; `401` unless
 * `Authorization: Bearer <token>`, `404` when there is no token (metrics off). A token in the query
 * string is `400`, as everywhere in the API (it ends up in access logs and histories). The token is never
 * logged (pino-http's request serializer logs no headers; refusals log only the reason).
 */
export function metricsRoute(opts: { token?: string; registry?: Registry; log: Logger }): RequestHandler {
  const { token, registry } = opts;
  return async (req, res) => {
    res.setHeader("Cache-Control", "no-store");
    if (!token || !registry) {
      res.status(404).type("text/plain").send("Not Found\n");
      return;
    }
    if (hasQueryToken(req.originalUrl)) {
      opts.log.warn({ module: "metrics", reason: "token in the query string" }, "refused a metrics scrape");
      res.status(400).type("text/plain").send("Bad Request: send the token in the Authorization header, not the query string\n");
      return;
    }
    if (!bearerMatches(req.headers.authorization, token)) {
      opts.log.warn({ module: "metrics", reason: req.headers.authorization ? "wrong token" : "no token" }, "refused a metrics scrape");
      res.setHeader("WWW-Authenticate", 'Bearer realm="metrics"');
      res.status(401).type("text/plain").send("Unauthorized\n");
      return;
    }
    try {
      const text = await registry.metrics();
      res.status(200).type(registry.contentType).send(text);
    } catch (err) {
      opts.log.error({ err, module: "metrics" }, "collecting metrics failed");
      res.status(500).type("text/plain").send("Internal Server Error\n");
    }
  };
}
