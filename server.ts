/**
 * Hibiki's one composition root: config → logger → database → HTTP server → Express (health, API) →
 * Socket.IO → Next.js last → listen. Also owns graceful shutdown. Nothing else wires things together.
 */
import { EventEmitter } from "node:events";
import { existsSync } from "node:fs";
import { createServer, type IncomingMessage, type Server as HttpServer } from "node:http";
import type { Duplex } from "node:stream";
import path from "node:path";
import { createChat } from "./lib/chat/chat";
import { createIdentify } from "./lib/auth/identify";
import { ConfigError, loadConfig, type Config } from "./lib/config";
import { openDatabase, type Database } from "./lib/db";
import { createHttpApp, finishApi } from "./lib/http/app";
import { mountApi } from "./lib/http/api";
import { consume } from "./lib/limits";
import { openCluster } from "./lib/cluster";
import type { EventBus } from "./lib/events/bus";
import { LogHub } from "./lib/log-hub";
import { createNotifier } from "./lib/notifications/notifier";
import { pruneNotifications } from "./lib/notifications/store";
import { setRegistry } from "./lib/registry";
import { sseRoutes, StreamRegistry } from "./lib/sse/routes";
import { createLogger, type Logger } from "./lib/log";
import type { IO } from "./lib/realtime/context";
import { createRealtime } from "./lib/realtime/server";
import { startSearchBackfill } from "./lib/search/backfill";

/** The part of Next's custom-server API used here. */
type CreateNext = (opts: { dev: boolean; dir: string; hostname: string; port: number; httpServer: HttpServer; quiet: boolean }) => {
  prepare(): Promise<void>;
  getRequestHandler(): (req: IncomingMessage, res: import("node:http").ServerResponse) => Promise<void>;
  close(): Promise<void>;
};

export type StartOptions = {
  log?: Logger;
  /** Receives the log records shown on the admin live log stream (server.ts's main() wires it to the logger). */
  logHub?: LogHub;
  /** Serve pages with Next.js (default true). Socket/API-only tests turn it off. */
  next?: boolean;
};

export type RunningServer = {
  url: string;
  port: number;
  httpServer: HttpServer;
  io: IO;
  db: Database;
  log: Logger;
  bus: EventBus;
  streams: StreamRegistry;
  logHub: LogHub;
  /** Graceful shutdown: stop accepting, tell clients, close sockets and the database. */
  close(): Promise<void>;
};

/** The project directory (this file runs from the root under tsx and from dist/ when compiled). */
const ROOT = path.basename(__dirname) === "dist" ? path.dirname(__dirname) : __dirname;

export async function startServer(config: Config, opts: StartOptions = {}): Promise<RunningServer> {
  const log = opts.log ?? createLogger({ level: config.logLevel });
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  log.info({ module: "db", kind: db.kind }, "database ready");

  const logHub = opts.logHub ?? new LogHub();
  const cluster = await openCluster({ redisUrl: config.redisUrl, prefix: config.redisPrefix, messagesPer10s: config.rateLimitMessages, searchesPer10s: config.rateLimitSearches, log });
  const { bus, presence, limits } = cluster;
  setRegistry({ bus });
  const notifier = createNotifier({ db, bus, presence, log });
  const notifyFailed = (err: unknown) => log.error({ err, module: "notifications" }, "notification failed");
  const chat = createChat({
    db,
    presence,
    messageMaxChars: config.messageMaxChars,
    allowMessage: (userId) => consume(limits.messages, userId, "messages"),
    events: {
      posted: (room, message, author) => void notifier.messagePosted(room, message, author).catch(notifyFailed),
      invited: (room, target, by) => void notifier.invited(room, target, by).catch(notifyFailed),
    },
  });
  const identify = createIdentify({ db, guestAccess: config.guestAccess });

  const ready = async () => {
    await db.ping();
    await cluster.ping();
  };
  const app = createHttpApp({ log, ready, maxPayloadBytes: config.maxPayloadBytes, trustProxy: config.trustProxy });
  const httpServer = createServer(app);
  // SSE and long-polling responses are long-lived by design; Node's default request timeout must not cut them.
  httpServer.requestTimeout = 0;
  const realtime = createRealtime({
    httpServer,
    log,
    chat,
    presence,
    identify,
    maxPayloadBytes: config.maxPayloadBytes,
    corsOrigins: config.corsOrigins,
    maxConnectionsPerUser: config.maxConnectionsPerUser,
    recoveryMaxDisconnectionMs: config.recoveryMaxDisconnectionMs,
    socketOptions: cluster.socketOptions,
  });
  const { io } = realtime;
  cluster.attach(io);
  const streams = new StreamRegistry();
  bus.subscribe((e) => {
    if (e.type === "session-ended") {
      realtime.disconnectLocalSession(e.sessionId);
      streams.closeSession(e.sessionId);
    } else if (e.type === "user-banned") {
      realtime.disconnectLocalUser(e.userId);
      streams.closeUser(e.userId);
    }
  });
  mountApi(app, { db, log, chat, identify, limits, realtime, bus, notifier, corsOrigins: config.corsOrigins, guestAccess: config.guestAccess });
  app.use("/api", sseRoutes({ db, bus, identify, logHub, log, heartbeatMs: config.sseHeartbeatMs }, streams));
  finishApi(app);
  const prune = setInterval(() => void pruneNotifications(db).catch(notifyFailed), 3600_000);
  prune.unref();

  let closeNext: (() => Promise<void>) | undefined;
  let nextUpgrade: ((req: IncomingMessage, socket: Duplex, head: Buffer) => void) | undefined;
  if (opts.next !== false) {
    const next = ((await import("next")) as unknown as { default: CreateNext }).default;
    // Next attaches its own 'upgrade' listener to whatever server it is given; hand it a stand-in so it
    // can never answer (and end) a /socket.io/ upgrade. server.ts routes upgrades below.
    const upgrades = new EventEmitter();
    const nextApp = next({ dev: config.dev, dir: ROOT, hostname: "localhost", port: config.port, httpServer: upgrades as HttpServer, quiet: true });
    await nextApp.prepare();
    const handle = nextApp.getRequestHandler();
    app.all("/{*path}", (req, res) => handle(req, res));
    if (config.dev) nextUpgrade = (req, socket, head) => upgrades.emit("upgrade", req, socket, head);
    closeNext = () => nextApp.close();
  }

  httpServer.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = req.url ?? "";
    if (url.startsWith("/socket.io/")) return; // engine.io's own listener answers these
    if (nextUpgrade && url.startsWith("/_next/")) return nextUpgrade(req, socket, head);
    socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const address = httpServer.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const url = `http://${config.host === "0.0.0.0" || config.host === "::" ? "127.0.0.1" : config.host}:${port}`;
  log.info({ url, port, next: opts.next !== false, dev: config.dev }, "listening");
  const backfill = startSearchBackfill(db, log);

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      log.info("shutting down");
      clearInterval(prune);
      streams.closeAll();
      io.emit("server-shutdown", { reason: "restarting" });
      // io.close() stops accepting and drops every transport; clients see "transport close" and reconnect.
      await new Promise<void>((resolve) => io.close(() => resolve()));
      httpServer.closeAllConnections();
      await closeNext?.().catch((err: unknown) => log.warn({ err }, "next close failed"));
      await cluster.close();
      await backfill.stop();
      await db.close();
      setRegistry(undefined);
      log.info("shut down");
    })());

  return { url, port, httpServer, io, db, log, bus, streams, logHub, close };
}

/** Runs the server from the environment until SIGTERM/SIGINT (used by `npm start` and the container). */
export async function main() {
  // A .env file in the working directory fills in variables the environment does not set.
  if (existsSync(".env")) process.loadEnvFile(".env");
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logHub = new LogHub();
  const log = createLogger({ level: config.logLevel, hub: logHub, hubLevel: config.logStreamLevel });
  process.on("unhandledRejection", (err) => log.error({ err }, "unhandled rejection"));
  let server: RunningServer;
  try {
    server = await startServer(config, { log, logHub });
  } catch (err) {
    log.fatal({ err }, "startup failed");
    process.exit(1);
  }
  const stop = (signal: string) => {
    log.info({ signal }, "signal received");
    setTimeout(() => {
      log.error("shutdown took too long; exiting");
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
}

if (require.main === module) void main();
