import { randomUUID } from "node:crypto";
import { STATUS_CODES } from "node:http";
import express, { type ErrorRequestHandler, type Express, type Request } from "express";
import { pinoHttp } from "pino-http";
import { errorBody, HTTP_STATUS, isAppError, unavailableAnswer } from "../errors";
import { loggablePath, type Logger } from "../log";
import { requestScheme, type TrustProxy } from "./origin";
import { MALFORMED_ADDRESS, sendReaderText } from "./reader-lang";
import { sessionTokenOf } from "../auth/identify";
import { sessionCookieClears } from "./session-cookie";

/**
 * A backing service that does not answer, for `/readyz`: `component` is what the public answer names
 * ("database", "redis", "file storage"); `cause` (the driver's own error, which can hold addresses and
 * bucket names) goes only to the log.
 */
export class NotReady extends Error {
  constructor(
    readonly component: string,
    readonly cause: unknown,
  ) {
    super(`${component} is not available`);
  }
}

/** Runs `check`, turning its failure into NotReady naming `component`. */
export async function readiness(component: string, check: () => Promise<unknown>): Promise<void> {
  try {
    await check();
  } catch (err) {
    throw new NotReady(component, err);
  }
}

export type HttpDeps = {
  log: Logger;
  /** Resolves when every backing service (database, Redis, file store) answers; else throws, NotReady naming which. */
  ready: () => Promise<void>;
  maxPayloadBytes: number;
  /** Express "trust proxy": which proxies' X-Forwarded-* headers count (client IP, https). */
  trustProxy: boolean | number | string;
  /**
   * The environment as Hibiki's configuration reads it (NODE_ENV, `production` when unset). Default
   * `production`.
   */
  env?: "development" | "production" | "test";
};

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The Express app: request logging, health, API. Next's handler is mounted after this by server.ts. */
export function createHttpApp(deps: HttpDeps): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", deps.trustProxy);
  // One scheme rule for every transport (requestScheme, which the Socket.IO guard uses too): Express's
  // own `req.protocol` takes X-Forwarded-Proto's letters as sent, so a proxy that says `HTTPS` (a URI
  // scheme is case-insensitive, RFC 3986 §3.1) made `req.secure` false — the session cookie lost its
  // Secure flag — and the API refused the page's own `https://` Origin, while sockets accepted it.
  Object.defineProperty(app.request, "protocol", {
    configurable: true,
    enumerable: true,
    get(this: Request) {
      return requestScheme(this, this.app.get("trust proxy fn") as TrustProxy);
    },
  });
  // Express's own last-resort error page (an error no handler answered: a path whose %-escapes do not
  // decode, say) shows the error's stack, with the server's file paths, unless its "env" is production.
  // Express reads NODE_ENV for that and takes unset as development, where Hibiki's configuration takes
  // unset as production: `node dist/server.js` without NODE_ENV showed every visitor a stack trace.
  app.set("env", deps.env ?? "production");
  app.use(
    pinoHttp({
      logger: deps.log.child({ module: "http" }),
      genReqId: (req, res) => {
        const given = req.headers["x-request-id"];
        const id = typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
        res.setHeader("X-Request-Id", id);
        return id;
      },
      customAttributeKeys: { reqId: "reqId" },
      // Probes and scrapes come every few seconds; refused scrapes are logged by the metrics route, and
      // readiness lost and regained by /readyz's own lines (an operator trial saw a line per probe). By
      // path, whatever the query string (`/metrics?token=…` is a scrape too).
      autoLogging: {
        ignore: (req) => {
          const path = (req.url ?? "").split("?")[0];
          return path === "/healthz" || path === "/readyz" || path === "/metrics" || path.startsWith("/_next/");
        },
      },
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, path: loggablePath(req.url) }),
        // The status only: the response's headers (the whole Content-Security-Policy of every page) made a
        // line of 600-1,300 characters that said nothing an operator reads a request line for.
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );

  // Baseline security headers on every response; pages add a nonce-based CSP in proxy.ts.
  app.use((_req, res, next) => {
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "same-origin");
    res.setHeader("X-Frame-Options", "DENY");
    next();
  });

  // A request with several session cookies (one tossed in by another site of the same host: identify.ts
  // sessionTokenOf) is refused as signed out; every such cookie it could carry but Hibiki's own is expired
  // with the answer.
  app.use((req, res, next) => {
    if (sessionTokenOf(req.headers.cookie) === null) res.append("Set-Cookie", sessionCookieClears(req.path, req.hostname, req.secure));
    next();
  });

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });

  // The answer names the component that failed, never its error (an address, a bucket, a driver's words:
  // anyone can ask); the error goes to the log, once each time readiness is lost or its cause changes
  // (probes come every few seconds).
  const log = deps.log.child({ module: "readiness" });
  let lastFailure: string | null = null;
  app.get("/readyz", async (_req, res) => {
    try {
      await withTimeout(deps.ready(), 2000);
      if (lastFailure !== null) log.info("ready again");
      lastFailure = null;
      res.json({ status: "ready" });
    } catch (err) {
      const component = err instanceof NotReady ? err.component : "server";
      const cause = err instanceof NotReady ? err.cause : err;
      const message = `${component} is not available`;
      const said = `${message}: ${(cause as Error)?.message ?? String(cause)}`;
      if (said !== lastFailure) log.warn({ component, err: cause }, message);
      lastFailure = said;
      res.status(503).json({ status: "unavailable", error: { code: "internal", message, component } });
    }
  });

  // API answers are one person's (their rooms' messages and search results, the join code, the user
  // list): no cache, the browser's own disk cache included, keeps them (RFC 9111 §5.2.2.5 no-store), so
  // they are not left on a shared computer after sign-out nor served by a caching proxy to someone else.
  // Routes whose answers may be kept say so themselves (files, preview images, SSE).
  app.use("/api", (_req, res, next) => {
    res.setHeader("Cache-Control", "no-store");
    next();
  });
  app.use("/api", refuseJsonCharsets);
  app.use("/api", express.json({ limit: deps.maxPayloadBytes }));
  return app;
}

/**
 * A JSON body declared in a charset other than UTF-8 (`application/json; charset=utf-16`) is refused
 * with `415` before it is read: JSON exchanged between systems is UTF-8 (RFC 8259 §8.1). body-parser
 * alone refuses only charsets not starting with `utf-` and would decode UTF-16 or UTF-32 bodies.
 */
const refuseJsonCharsets: express.RequestHandler = (req, _res, next) => {
  const type = req.headers["content-type"];
  if (!type || !req.is("application/json")) return next();
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(type)?.[1];
  if (charset === undefined || charset.toLowerCase() === "utf-8") return next();
  next(Object.assign(new Error(`unsupported charset "${charset.slice(0, 32)}"`), { status: 415 }));
};

/**
 * Whether `err` is body-parser's (raw-body's) error for a request body the client stopped sending: the
 * connection closed before Content-Length bytes or the last chunk came (`type: "request.aborted"`).
 */
function clientAborted(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { type?: unknown }).type === "request.aborted";
}

/** JSON 404 for unknown API paths and the one error mapper; mounted after every API route. */
export function finishApi(app: Express) {
  app.use("/api", (_req, res) => {
    res.status(404).json({ error: { code: "not_found", message: "no such endpoint" } });
  });
  const onError: ErrorRequestHandler = (thrown, req, res, next) => {
    if (res.headersSent) return next(thrown);
    // The client went away while its body was read: its doing, nothing failed here. Not a fault, not a
    // service down (raw-body's error carries ECONNABORTED, which reads as one): anyone can send a
    // Content-Length and close, as often as they like. The request log says the request was aborted.
    if (clientAborted(thrown)) return void res.status(400).end();
    // A backing service not answering (the database, the file store) is "try again shortly", not a fault.
    const err = unavailableAnswer(thrown) ?? thrown;
    if (isAppError(err)) {
      // A refusal is the client's, said to it; a fault of ours (an upload not stored: a full disk; the
      // database not answering while identifying the caller) is logged with its cause, which the client is never told.
      if (err.code === "internal" || err.code === "unavailable") req.log?.error({ err: err.cause ?? err }, `request failed: ${err.message}`);
      if (err.retryAfter !== undefined) res.setHeader("Retry-After", String(err.retryAfter));
      return res.status(HTTP_STATUS[err.code]).json({ error: errorBody(err) });
    }
    const status = typeof err?.status === "number" && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) req.log?.error({ err }, "request failed");
    const code = status === 413 ? "too_large" : status === 500 ? "internal" : "bad_request";
    const message = status === 500 ? "internal error" : status === 413 ? "request body too large" : status === 415 ? "a JSON body must be UTF-8" : "malformed request";
    res.status(status).json({ error: { code, message } });
  };
  app.use(onError);
}

/**
 * The error answer of page requests; mounted after the pages' route. A malformed address (a `%` escape
 * that is not UTF-8, which the router fails to decode: URIError, status 400) and other client errors get
 * their 4xx with a one-line text body and no log record (a bad URL is the client's, and anyone may send
 * many), the malformed address's in the reader's language (reader-lang.ts), as the app's own 404 page
 * is; anything else is logged through the request's logger and answered 500. Without it Express's
 * final handler wrote each such error's stack to stderr, past the logger, its level and redaction.
 */
export function finishPages(app: Express) {
  const onPageError: ErrorRequestHandler = (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const status = typeof err?.status === "number" && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) req.log?.error({ err }, "page request failed");
    res.status(status);
    if (err instanceof URIError) return sendReaderText(req, res, MALFORMED_ADDRESS);
    res.type("text/plain").send(STATUS_CODES[status] ?? "Error");
  };
  app.use(onPageError);
}

/**
 * Node HTTP server options against slow senders (Slowloris): the whole request (headers and body) within
 * `requestTimeoutMs`, the headers within 20 s of it, else Node answers 408 and closes the connection.
 * Node stops the clock once a request has arrived, so long responses (SSE, long-polling) are unaffected.
 * Node checks every `connectionsCheckingInterval` (30 s by default): a quarter of the timeout keeps a
 * stalled sender from lasting much longer than the timeout.
 */
export function requestTimeouts(requestTimeoutMs: number) {
  return {
    requestTimeout: requestTimeoutMs,
    headersTimeout: Math.min(requestTimeoutMs, 20_000),
    connectionsCheckingInterval: Math.max(50, Math.min(30_000, Math.floor(requestTimeoutMs / 4))),
  };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e) => (clearTimeout(t), reject(e)),
    );
  });
}
