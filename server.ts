/**
 * Hibiki's one composition root: config → logger → database → HTTP server → Express (health, API) →
 * Socket.IO → Next.js last → listen. Also owns graceful shutdown. Nothing else wires things together.
 */
import { EventEmitter } from "node:events";
import { existsSync } from "node:fs";
import { hostname } from "node:os";
import { createServer, type IncomingMessage, type Server as HttpServer } from "node:http";
import type { Duplex } from "node:stream";
import path from "node:path";
import { createChat } from "./lib/chat/chat";
import { createDomainEvents } from "./lib/chat/domain-events";
import { createIdentify } from "./lib/auth/identify";
import { IdentityCache } from "./lib/auth/identity-cache";
import { sessionStillLive } from "./lib/auth/sessions";
import { ConfigError, loadConfig, misspelledSettings, type Config } from "./lib/config";
import { DatabaseOpenError, openDatabase, type Database } from "./lib/db";
import { timeQueries } from "./lib/db/timed";
import { createHttpApp, finishApi, finishPages, readiness, requestTimeouts } from "./lib/http/app";
import { capConnectionsPerAddress } from "./lib/http/connection-cap";
import { withConsoleAsLog } from "./lib/console-capture";
import { metricsRoute } from "./lib/http/metrics-route";
import { limitPageRenders } from "./lib/http/rate-limit";
import { checkCanListen, listen, ListenError } from "./lib/http/listen";
import { defaultAllowedHosts, guardHosts } from "./lib/http/allowed-hosts";
import { createMetrics } from "./lib/metrics";
import { pendingPushes } from "./lib/push/queue";
import { mountApi } from "./lib/http/api";
import { openCluster } from "./lib/cluster";
import type { EventBus } from "./lib/events/bus";
import { LogHub } from "./lib/log-hub";
import { createNotifier } from "./lib/notifications/notifier";
import { pruneNotifications } from "./lib/notifications/store";
import { pruneIdleGuests } from "./lib/chat/users";
import { openStorage, type FileStorage } from "./lib/files";
import { pruneUnsentUploads, removeMessageFiles } from "./lib/chat/uploads";
import { setRegistry } from "./lib/registry";
import { createPageData } from "./lib/pages/page-data";
import { sseRoutes, StreamRegistry } from "./lib/sse/routes";
import { createLogger, defaultLogFormat, type Logger } from "./lib/log";
import { guestAccessEnabled, needsSetup } from "./lib/auth/accounts";
import type { IO } from "./lib/realtime/context";
import { createRealtime } from "./lib/realtime/server";
import { localRoomStats } from "./lib/realtime/context";
import { seeingRoom, userAttention } from "./lib/realtime/attention";
import { createOutboundFetch } from "./lib/net/outbound";
import { createLinkPreviews } from "./lib/previews/link-previews";
import { ensureVapidKeys } from "./lib/push/keys";
import { createPushSender } from "./lib/push/sender";
import { startSearchBackfill } from "./lib/search/backfill";
import { checkSearchDocuments } from "./lib/search/document";
import { createPendingListMerger } from "./lib/db/gin-pending-list";
import { backfillNameSkeletons } from "./lib/chat/name-keys";

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
  /**
   * Wraps the database every part of the server uses (after metrics' timing), e.g. to count round trips
   * in a test. Called once, at start.
   */
  wrapDatabase?: (db: Database) => Database;
  /**
   * Member entries per ms a room's presence lists may cost (default PRESENCE_ENTRIES_PER_MS, see
   * lib/realtime/presence-announcer.ts); a test lowers it to see the window grow in a room of a few users.
   */
  presenceEntriesPerMs?: number;
  /**
   * How long a client's open transport may go without its Socket.IO CONNECT packet, in ms (default
   * CONNECT_PACKET_TIMEOUT_MS, lib/realtime/server.ts); a test shortens it.
   */
  connectPacketTimeoutMs?: number;
  /**
   * Called when the database stopped for good: the PGlite data dir's lock was lost while held (another
   * process may be writing there; see lockDataDir). main() ends the process with code 1 then, so that a
   * supervisor restarts it: the new start waits for the data dir, or refuses while another holds it.
   */
  onDatabaseLost?: (err: Error) => void;
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
  /** Where uploaded files are stored. */
  storage: FileStorage;
  /** Graceful shutdown: stop accepting, tell clients, close sockets and the database. */
  close(): Promise<void>;
};

/**
 * The listening socket's accept queue: connections the kernel has completed and holds until the event
 * loop accepts them. Node's default is 511; when every client comes back at once after a restart (a
 * reconnect storm: tens of thousands within seconds), a moment of a busy event loop fills that, and the
 * kernel then drops new connections (clients wait for their SYN to be retransmitted, 1 s, 3 s, 7 s … or
 * see a reset). The kernel caps this at `net.core.somaxconn` (4096 by default since Linux 5.4; see
 * docs/operations.md, "Many connections").
 */
export const LISTEN_BACKLOG = 65_535;

/** At most this many handshake identities are kept (about 1 KiB each with a few hundred room ids); the oldest go first. */
const IDENTITY_CACHE_ENTRIES = 20_000;

/** The project directory (this file runs from the root under tsx and from dist/ when compiled). */
const ROOT = path.basename(__dirname) === "dist" ? path.dirname(__dirname) : __dirname;

/**
 * Gives names that lack their second key (nameSkeleton, migration 34; roomSkeleton for rooms, migration 63) the key, and warns of each pair of
 * stored names that look the same under it (both kept; see backfillNameSkeletons). A failure is logged
 * and the start goes on: the keys already stored keep refusing look-alikes, and the next start tries again.
 */
async function reportNameSkeletons(db: Database, log: Logger): Promise<void> {
  const conflicts = await db.transaction((tx) => backfillNameSkeletons(tx)).catch((err: unknown) => {
    log.warn({ module: "db", err }, "could not fill in the second name key of some names; trying again at the next start");
    return [];
  });
  for (const c of conflicts) {
    const [what, hint] = c.table === "users" ? ["user", "; renaming one of them tells them apart"] : ["room", ""];
    log.warn(
      { module: "db", table: c.table, id: c.id, name: c.name, heldBy: c.heldBy },
      `${what} name "${c.name}" (id ${c.id}) looks the same as "${c.heldBy.name}" (id ${c.heldBy.id}) ${c.table === "users" ? "when capitals are compared by shape (UTS #39)" : "when capitals are compared by shape and accents are left out (UTS #39)"}: both are kept, new look-alikes of either are refused${hint}`,
    );
  }
}

export async function startServer(config: Config, opts: StartOptions = {}): Promise<RunningServer> {
  const log = opts.log ?? createLogger({ level: config.logLevel });
  // Metrics only when someone may read them (METRICS_TOKEN); one registry per server instance.
  const metrics = config.metricsToken ? createMetrics() : undefined;
  // A port in use (another instance, a second start) is said at once, not after opening the database.
  await checkCanListen(config.host, config.port);
  const rawDb = await openDatabase({
    databaseUrl: config.databaseUrl,
    queryTimeoutMs: config.databaseQueryTimeoutMs,
    dataDir: config.dataDir,
    onCheckpointError: (err) => log.warn({ module: "db", err }, "checkpoint failed; trying again at the next check"),
    onPrepared: (how, ms) => {
      if (how === "in-process") return;
      const what = how === "template" ? "unpacked the build's migrated database" : "created and migrated the database (no template in this build)";
      log.info({ module: "db", dataDir: config.dataDir, how, ms }, `new data dir: ${what}`);
    },
    onLockWait: (waitMs) =>
      log.warn(
        { module: "db", dataDir: config.dataDir, waitMs },
        `the data dir is locked: by a server that stopped without releasing it (a crash, kill -9), waiting up to ${Math.ceil(waitMs / 1000)} s for the lock to go stale; or by another running server, which this one will not share it with`,
      ),
    onLockCompromised: (err) => {
      log.fatal({ module: "db", dataDir: config.dataDir, err: { message: err.message } }, "lost the data dir's lock: another process may be using the data dir, so this server's database stopped (requests fail, /readyz answers 503) and the server exits; a restart waits for the data dir or refuses while another process holds it");
      opts.onDatabaseLost?.(err);
    },
    onDataDirModes: ({ restricted, failed }) => {
      if (failed.length > 0) log.warn({ module: "db", dataDir: config.dataDir, failed: failed.slice(0, 10), count: failed.length }, "could not restrict some data dir permissions to the owner");
      else if (restricted > 0) log.info({ module: "db", dataDir: config.dataDir, restricted }, "restricted data dir permissions to the owner (0700 dirs, 0600 files)");
    },
  });
  const timedDb = metrics ? timeQueries(rawDb, (s) => metrics.dbQuerySeconds.observe(s)) : rawDb;
  const db = opts.wrapDatabase ? opts.wrapDatabase(timedDb) : timedDb;
  log.info({ module: "db", kind: db.kind }, "database ready");
  await reportNameSkeletons(rawDb, log);
  // Search documents of new messages are built here, off the database thread, when this build's
  // tokenizer agrees with the database's on probe texts (lib/search/document.ts).
  const searchDocuments = await checkSearchDocuments(rawDb);
  if (searchDocuments.build) log.info({ module: "search", stemmer: searchDocuments.variant }, "search documents built by the server");
  else log.warn({ module: "search", reason: searchDocuments.mismatch }, "search documents left to the database");

  // PostgreSQL: the search index's pending list is merged in the background after writes, not by an
  // insert inside its commit (lib/db/gin-pending-list.ts). PGlite keeps a small list instead.
  const searchIndexMerges =
    rawDb.kind === "postgres"
      ? createPendingListMerger(rawDb, {
          index: "message_search_doc",
          onError: (err) =>
            log.warn({ module: "search", err: { message: (err as Error).message, code: (err as { code?: string }).code } }, "merging the search index's pending list failed; inserts merge it meanwhile"),
        })
      : undefined;

  const logHub = opts.logHub ?? new LogHub();
  const storage = await openStorage(config);
  // Not fatal (the instance may come up before its bucket is reachable): /readyz says so until it is.
  void storage.ping().catch((err: unknown) => log.warn({ module: "files", err: { message: (err as Error).message } }, "file storage is not usable yet"));
  const cluster = await openCluster({
    redisUrl: config.redisUrl,
    prefix: config.redisPrefix,
    messagesPer10s: config.rateLimitMessages,
    limitOverrides: config.rateLimits,
    heartbeatMs: config.presenceHeartbeatMs,
    uploads: config.uploads,
    searchesPer10s: config.rateLimitSearches,
    log,
  });
  const { bus, presence, limits } = cluster;
  // Every request to a user-supplied URL (link previews, push endpoints) goes through this one guard (SSRF).
  const outboundFetch = createOutboundFetch({ allow: config.outboundAllow });
  const vapidKeys = await ensureVapidKeys(db);
  let pushSender: ReturnType<typeof createPushSender> | undefined;
  const kickPush = () => pushSender?.kick();
  let io: IO | undefined;
  const notifier = createNotifier({
    db, bus, presence, log, roomMentionMaxMembers: config.roomMentionMaxMembers, onPushQueued: kickPush,
    seeingRoom: async (roomId, userIds) => (io ? seeingRoom(io, roomId, userIds) : new Set(userIds)),
  });
  const notifyFailed = (err: unknown) => log.error({ err, module: "notifications" }, "notification failed");
  // Work a stored change set off (notifications, a deleted message's files), finished before the
  // database closes on shutdown: a message stored just before a restart still notifies.
  const afterwork = new Set<Promise<unknown>>();
  const followUp = (work: Promise<unknown>) => {
    afterwork.add(work);
    void work.finally(() => afterwork.delete(work));
  };
  // Side effects follow the domain verbs: delivery (below, once Socket.IO exists), notifications and
  // link previews subscribe.
  const domain = createDomainEvents((err) => log.error({ err }, "domain event subscriber failed"));
  if (metrics) domain.subscribe({ posted: () => metrics.messagesPosted.inc() });
  const previews = createLinkPreviews({
    db,
    fetch: outboundFetch,
    log,
    limits,
    access: (user, room) => chat.access(user, room),
    changed: (room, change, by) => domain.changed(room, change, by),
  });
  domain.subscribe({
    posted: (room, message, author) => {
      followUp(notifier.messagePosted(room, message, author).catch(notifyFailed));
      if (config.linkPreviews) previews.messagePosted(room, message, author);
    },
    invited: (room, target, by) => followUp(notifier.invited(room, target, by).catch(notifyFailed)),
    // What they were told of the room while a member goes: not replayed, not pushed on a retry.
    removed: (room, target) => followUp(notifier.memberRemoved(room.id, target.id).catch(notifyFailed)),
    changed: (room, change, by) => {
      if (change.kind === "edited") followUp(notifier.messageEdited(room, change.message, change.previousText ?? "", by).catch(notifyFailed));
      if (change.kind === "edited" && config.linkPreviews) previews.messageEdited(room, change.message, by);
      // A deleted message's files go with it (the tombstone no longer lists them).
      if (change.kind === "deleted") followUp(removeMessageFiles(db, storage, change.message.id).catch((err: unknown) => log.error({ err, module: "files" }, "removing a deleted message's files failed")));
      // And its notifications: not replayed, not counted, their toasts taken away.
      if (change.kind === "deleted") followUp(notifier.messageDeleted(change.message.id).catch(notifyFailed));
    },
  });
  // One instance only: between instances the bus can lose the events that keep it right (see IdentityCache).
  const identityCache =
    config.identityCacheMs > 0 && !config.redisUrl ? new IdentityCache({ ttlMs: config.identityCacheMs, maxEntries: IDENTITY_CACHE_ENTRIES }) : undefined;
  const chat = createChat({
    db,
    presence,
    onMembership: identityCache && ((userId, roomId, member) => identityCache.membershipChanged(userId, roomId, member)),
    messageMaxChars: config.messageMaxChars,
    allowMessage: (key) => limits.take("messages", key),
    events: domain,
    onWriteBatch: metrics && ((size) => metrics.writeBatchSize.observe(size)),
    onMessagesStored: searchIndexMerges && ((count) => searchIndexMerges.noteWrites(count)),
    searchDocument: searchDocuments.build ?? undefined,
    onReactBatch: metrics && ((size) => metrics.reactionBatchSize.observe(size)),
    onJoinBatch: metrics && ((size) => metrics.joinReadBatchSize.observe(size)),
  });
  const identify = createIdentify({ db, guestAccess: config.guestAccess, cache: identityCache });
  setRegistry({ bus, pages: createPageData({ db, identify, chat, log, guestAccess: config.guestAccess, limits }) });

  const ready = async () => {
    await readiness("database", () => db.ping());
    await readiness("redis", () => cluster.ping());
    await readiness("file storage", () => storage.ping());
  };
  const app = createHttpApp({ log, ready, maxPayloadBytes: config.maxPayloadBytes, trustProxy: config.trustProxy, env: config.env });
  app.get("/metrics", metricsRoute({ token: config.metricsToken, registry: metrics?.registry, log }));
  const httpServer = createServer(requestTimeouts(config.httpRequestTimeoutMs), app);
  // Before a byte is read: an address holding MAX_CONNECTIONS_PER_ADDRESS connections gets no more
  // (requests it sends slowly, streams, WebSockets); TRUST_PROXY's proxies are not counted.
  const trusted = app.get("trust proxy fn") as (address: string, hop: number) => boolean;
  capConnectionsPerAddress(httpServer, { max: config.maxConnectionsPerAddress, trusted: (address) => trusted(address, 0), log });
  // Before every transport: a request naming a host this server does not answer to (DNS rebinding) is
  // refused with 421 here, whatever it asks for.
  const allowedHosts = config.allowedHosts ?? defaultAllowedHosts({ hostname: hostname(), listenHost: config.host });
  const refusedHosts = new Set<string>();
  guardHosts(httpServer, {
    allowed: allowedHosts,
    // Once per name (and at most 100 names), so that a proxy sending the wrong Host is noticed without a line per request.
    onRefused: (host) => {
      if (refusedHosts.has(host) || refusedHosts.size >= 100) return;
      refusedHosts.add(host);
      log.warn({ module: "http", host, allowedHosts }, "refused a request for a host name this server does not answer to (421); if it is this server's address, add it to ALLOWED_HOSTS");
    },
  });
  const realtime = createRealtime({
    httpServer,
    log,
    chat,
    presence,
    bus,
    rejoin: cluster.rejoin,
    limits,
    identify,
    maxPayloadBytes: config.maxPayloadBytes,
    uploadMaxBytes: config.uploads.maxBytes,
    corsOrigins: config.corsOrigins,
    trustProxy: config.trustProxy,
    maxConnectionsPerUser: config.maxConnectionsPerUser,
    maxGuestConnectionsPerAddress: config.maxGuestConnectionsPerAddress,
    recoveryMaxDisconnectionMs: config.recoveryMaxDisconnectionMs,
    presenceAnnounceMs: config.presenceAnnounceMs,
    presenceEntriesPerMs: opts.presenceEntriesPerMs,
    connectPacketTimeoutMs: opts.connectPacketTimeoutMs,
    socketOptions: cluster.socketOptions,
    probes: metrics && {
      delivered: (recipients) => metrics.messagesDelivered.inc(recipients),
      acked: (seconds) => metrics.ackSeconds.observe(seconds),
      handshakeRefused: () => metrics.handshakesRefused.inc(),
    },
    admission: { concurrency: config.connectConcurrency, queueMax: config.connectQueueMax },
    stillAdmitted: async ({ userId, sessionId, kind }) =>
      (await sessionStillLive(db, userId, sessionId)) && (kind !== "guest" || (await guestAccessEnabled(db, config.guestAccess))),
  });
  io = realtime.io;
  domain.subscribe(realtime.delivery);
  pushSender = createPushSender({
    db,
    log: log.child({ module: "push" }),
    keys: vapidKeys,
    subject: config.pushSubject,
    ttlSeconds: config.pushTtlSeconds,
    send: outboundFetch,
    // A visible tab anywhere in the cluster sees the toast; hidden tabs only if the person opted in.
    attention: (userId) => userAttention(io, userId),
  });
  cluster.onPresenceGone((roomId, users) => void realtime.announceUsers(roomId, users, "user-left").catch((err: unknown) => log.error({ err }, "announcing departures failed")));
  cluster.onPresenceBack((roomId, users) => void realtime.announceUsers(roomId, users, "user-joined").catch((err: unknown) => log.error({ err }, "announcing returns failed")));
  const streams = new StreamRegistry();
  bus.subscribe((e) => {
    if (e.type === "session-ended") identityCache?.forgetSession(e.sessionId);
    else if (e.type === "user-banned" || e.type === "rights-revoked") identityCache?.forgetUser(e.userId);
    else if (e.type === "member-removed") identityCache?.membershipChanged(e.userId, e.roomId, false);
    if (e.type === "session-ended") {
      realtime.disconnectLocalSession(e.sessionId, e.reason);
      streams.closeSession(e.sessionId, e.reason ?? "signed_out");
    } else if (e.type === "user-banned" || e.type === "rights-revoked") {
      const ended = e.type === "user-banned" ? "account_deactivated" : undefined;
      realtime.disconnectLocalUser(e.userId, ended);
      streams.closeUser(e.userId, ended);
    } else if (e.type === "guests-disabled") {
      realtime.disconnectLocalGuests(); // guests never hold SSE streams
    }
  });
  mountApi(app, {
    db, log, chat, identify, limits, realtime, bus, notifier, corsOrigins: config.corsOrigins, guestAccess: config.guestAccess, sendTimeoutMs: config.sendTimeoutMs, previews,
    nameHoldMs: config.nameHoldSeconds * 1000,
    roomMentionMaxMembers: config.roomMentionMaxMembers, vapidKeys, onPushQueued: kickPush, outboundAllow: config.outboundAllow, storage, uploadMaxBytes: config.uploads.maxBytes,
    onUploaded: metrics && ((bytes) => metrics.uploadBytes.inc(bytes)),
  });
  app.use("/api", sseRoutes({ db, bus, identify, logHub, log, heartbeatMs: config.sseHeartbeatMs, maxStreamsPerUser: config.maxSseStreamsPerUser, corsOrigins: config.corsOrigins }, streams));
  finishApi(app);
  metrics?.watch(
    {
      connections: () => io.of("/").sockets.size,
      rooms: () => localRoomStats(io),
      sseStreams: () => streams.size,
      handshakes: () => realtime.admission,
      // The raw handle: a scrape's own query stays out of the query-time histogram.
      pushQueueDepth: () => pendingPushes(rawDb),
    },
    (err) => log.warn({ err, module: "metrics" }, "reading the push queue depth failed"),
  );
  const pruneGuests = () =>
    pruneIdleGuests(db).then(
      (n) => n > 0 && log.info({ module: "auth", removed: n }, "removed guests idle for 30 days"),
      (err: unknown) => log.error({ err, module: "auth" }, "removing idle guests failed"),
    );
  const prune = setInterval(() => {
    void pruneNotifications(db).catch(notifyFailed);
    void pruneGuests();
  }, 3600_000);
  prune.unref();
  const pruneFiles = setInterval(
    () => void pruneUnsentUploads(db, storage).catch((err: unknown) => log.error({ err, module: "files" }, "removing unsent uploads failed")),
    3600_000,
  );
  pruneFiles.unref();

  let closeNext: (() => Promise<void>) | undefined;
  let nextUpgrade: ((req: IncomingMessage, socket: Duplex, head: Buffer) => void) | undefined;
  if (opts.next !== false) {
    const next = ((await import("next")) as unknown as { default: CreateNext }).default;
    // Next attaches its own 'upgrade' listener to whatever server it is given; hand it a stand-in so it
    // can never answer (and end) a /socket.io/ upgrade. server.ts routes upgrades below.
    const upgrades = new EventEmitter();
    const nextApp = next({ dev: config.dev, dir: ROOT, hostname: "localhost", port: config.port, httpServer: upgrades as HttpServer, quiet: true });
    await withConsoleAsLog(log.child({ module: "next" }), () => nextApp.prepare());
    const handle = nextApp.getRequestHandler();
    app.all("/{*path}", limitPageRenders(limits), (req, res) => handle(req, res));
    finishPages(app);
    if (config.dev) nextUpgrade = (req, socket, head) => upgrades.emit("upgrade", req, socket, head);
    closeNext = () => nextApp.close();
  }

  httpServer.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = req.url ?? "";
    if (url.startsWith("/socket.io/")) return; // engine.io's own listener answers these
    if (nextUpgrade && url.startsWith("/_next/")) return nextUpgrade(req, socket, head);
    socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
  });

  await listen(httpServer, { port: config.port, host: config.host, backlog: LISTEN_BACKLOG });
  const address = httpServer.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const url = `http://${config.host === "0.0.0.0" || config.host === "::" ? "127.0.0.1" : config.host}:${port}`;
  // `url` is where this machine reaches it; `address` what it is bound to (0.0.0.0: every interface).
  const bound = typeof address === "object" && address ? `${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}` : undefined;
  log.info({ url, address: bound, port, next: opts.next !== false, dev: config.dev }, "listening");
  const backfill = startSearchBackfill(db, log);

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      log.info("shutting down");
      clearInterval(prune);
      await pushSender?.stop();
      clearInterval(pruneFiles);
      streams.closeAll();
      // This instance's connections only: another instance is not restarting. Local also means at once:
      // a cluster-wide emit waits for Redis first, and the transports below would be gone by then.
      io.local.emit("server-shutdown", { reason: "restarting" });
      // io.close() stops accepting and drops every transport; clients see "transport close" and reconnect.
      // It also closes the HTTP server, which waits for every request in progress: idle keep-alive
      // connections go at once, requests under way get a grace of a quarter of SHUTDOWN_TIMEOUT_MS (at most
      // 2 s), then whatever is left (a stalled upload, a client that sent half its headers) is cut off.
      const drained = new Promise<void>((resolve) => io.close(() => resolve()));
      httpServer.closeIdleConnections();
      const grace = setTimeout(() => httpServer.closeAllConnections(), Math.min(2000, config.shutdownTimeoutMs / 4));
      await drained;
      clearTimeout(grace);
      realtime.close();
      httpServer.closeAllConnections();
      await Promise.allSettled([...afterwork]);
      await closeNext?.().catch((err: unknown) => log.warn({ err }, "next close failed"));
      await cluster.close();
      await backfill.stop();
      await searchIndexMerges?.close();
      await db.close();
      await storage.close();
      setRegistry(undefined);
      log.info("shut down");
    })());

  return { url, port, httpServer, io, db, log, bus, streams, logHub, storage, close };
}

/**
 * The one line a person starting Hibiki looks for: where it answers, and on a fresh install the setup
 * page to open first. The address shown is one a browser on this machine can open (a wildcard listen
 * address is shown as localhost).
 */
async function announceReady(server: RunningServer, config: Config, log: Logger) {
  const host = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host.includes(":") ? `[${config.host}]` : config.host;
  const url = `http://${host}:${server.port}`;
  const setup = await needsSetup(server.db).catch(() => false);
  // Setup still to do is said at warn, so a server started with LOG_LEVEL=warn says it too (an operator trial saw nothing).
  if (setup) log.warn({ url, setupUrl: `${url}/setup` }, `Hibiki is ready at ${url} — open ${url}/setup to create the administrator`);
  else log.info({ url }, `Hibiki is ready at ${url}`);
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
  const format = config.logFormat ?? defaultLogFormat(process.stdout.isTTY);
  const log = createLogger({ level: config.logLevel, hub: logHub, hubLevel: config.logStreamLevel, format });
  for (const { name, setting } of misspelledSettings()) log.warn({ variable: name, setting }, `${name} is not a setting: did you mean ${setting}? (it is not applied)`);
  process.on("unhandledRejection", (err) => log.error({ err }, "unhandled rejection"));
  // Node's process warnings (a library's deprecation, the AWS SDK's NodeVersionSupportWarning) are log
  // records like any other, not lines of their own on stderr, which journald and `docker logs` merge
  // into the JSON (an operator trial): Node's own printing of them is its one 'warning' listener.
  process.removeAllListeners("warning");
  process.on("warning", (warning) => log.warn({ warning: { name: warning.name, code: (warning as { code?: string }).code } }, warning.message));
  // Signals are taken from the start: one that comes while the server is still starting (a deploy that
  // stops it as soon as /healthz answers) is held until it has started, then closes it cleanly; without
  // a listener, Node's default would end the process at once, with nothing logged and nothing closed.
  let server: RunningServer | undefined;
  let stopping = false;
  const stop = (signal: string) => {
    // A second signal (Ctrl+C pressed again, a supervisor repeating itself) does not cut the shutdown
    // short: ending mid-way would skip its last steps and leave a new data dir half made by its child
    // process. SHUTDOWN_TIMEOUT_MS still bounds it.
    if (stopping) return void log.warn({ signal }, "signal received again: still shutting down");
    stopping = true;
    log.info({ signal }, "signal received");
    setTimeout(() => {
      log.error("shutdown took too long; exiting");
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
    if (server) closeAndExit(server);
  };
  const closeAndExit = (running: RunningServer) =>
    running.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, "shutdown failed");
        process.exit(1);
      },
    );
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  try {
    server = await startServer(config, {
      log,
      logHub,
      // Nothing left to close cleanly: the database is gone (and must not write). Exit for a restart.
      onDatabaseLost: () => {
        log.flush?.();
        process.exit(1);
      },
    });
  } catch (err) {
    // Which address could not be bound is the whole story: one line naming it, no stack.
    if (err instanceof ListenError) log.fatal({ host: err.host, port: err.port, code: err.code }, `startup failed: ${err.message}`);
    // So is which database could not be opened, by the setting that names it.
    else if (err instanceof DatabaseOpenError) log.fatal({ setting: err.setting, code: err.code }, `startup failed: ${err.message}`);
    else log.fatal({ err }, "startup failed");
    process.exit(1);
  }
  if (stopping) return void closeAndExit(server);
  await announceReady(server, config, log);
}

if (require.main === module) void main();
