import type { IncomingMessage, Server as HttpServer } from "node:http";
import { Server, type ServerOptions } from "socket.io";
import { Decoder, Encoder, PacketType } from "socket.io-parser";
import type { Chat } from "../chat/chat";
import type { PresenceStore } from "../chat/presence";
import { sessionTokenOf, type Identify } from "../auth/identify";
import type { EventBus } from "../events/bus";
import { AppError, errorBody, isAppError } from "../errors";
import proxyaddr from "proxy-addr";
import { compileTrustProxy, requestScheme } from "../http/origin";
import { sessionCookieClears } from "../http/session-cookie";
import { addressKey } from "../http/rate-limit";
import { createRevocationLog } from "./revocations";
import { guestLimitKey, type Limits } from "../limits";
import type { Logger } from "../log";
import { attachContext, contextOf, dropRejoinHint, GUESTS_KEY, privateIdOf, roomIdOfKey, sessionKey, userKey, watchKey, type ChatSocket, type ConnectionContext, type IO, type RealtimeProbes } from "./context";
import type { SessionEndReason, SocketData } from "./events";
import type { User } from "../chat/users";
import { createRouter } from "./handle";
import { realtimeDelivery } from "./delivery";
import { announceUsers, exit, roomRoutes } from "./handlers/rooms";
import { messageRoutes } from "./handlers/messages";
import { memberRoutes } from "./handlers/members";
import { archiveRoutes } from "./handlers/archive";
import { changeRoutes } from "./handlers/changes";
import { visibilityRoutes } from "./handlers/visibility";
import { lastSeenOf, MAX_REPLAYED, rejoinRooms, replayMissed, restoreRecovered } from "./resume";
import { closeRecoveryGap } from "./recovery-gap";
import type { RejoinStore } from "../cluster/rejoin-store";
import { refusalReason } from "./request-guard";
import { createAdmissionGate, type AdmissionGate } from "../admission";
import { createGuestNameGate } from "../auth/guest-names";
import { createPresenceAnnouncer } from "./presence-announcer";
import { batchWrites } from "./write-batching";
import { MENTION_TYPES } from "../notifications/types";


export type RealtimeDeps = {
  httpServer: HttpServer;
  log: Logger;
  chat: Chat;
  presence: PresenceStore;
  /** Cluster-wide events; a removed member's connections leave the room on every instance through it. */
  bus: EventBus;
  /** Rooms of dropped connections, for those connection-state recovery cannot restore. */
  rejoin: RejoinStore;
  limits: Limits;
  identify: Identify;
  maxPayloadBytes: number;
  /**
   * UPLOAD_MAX_BYTES: the largest file `POST /api/rooms/:room/uploads` takes, told to each connection
   * in its `session` event so a client refuses a bigger file before sending it. Absent: not told.
   */
  uploadMaxBytes?: number;
  corsOrigins: string[];
  /** TRUST_PROXY, the Express "trust proxy" setting: whose X-Forwarded-Proto counts for the Origin check. */
  trustProxy: boolean | number | string;
  maxConnectionsPerUser: number;
  /**
   * Live guest connections allowed per client address (MAX_GUEST_CONNECTIONS_PER_ADDRESS): a guest is a
   * name anyone may give, so the per-user cap alone let one address hold 20 connections under each of
   * the hundreds of names `guest-names` lets it bring. Default 300 when absent.
   */
  maxGuestConnectionsPerAddress?: number;
  /** Connection-state recovery window (0 turns recovery off). */
  recoveryMaxDisconnectionMs: number;
  /** `presence` goes to a room at most once per this many ms (PRESENCE_ANNOUNCE_MS; 0: every change). */
  presenceAnnounceMs: number;
  /** What a room's presence lists may cost, in member entries per ms (default PRESENCE_ENTRIES_PER_MS). */
  presenceEntriesPerMs?: number;
  /** How long an open transport may go without a CONNECT packet, in ms (default CONNECT_PACKET_TIMEOUT_MS). */
  connectPacketTimeoutMs?: number;
  /** Extra Socket.IO options (the cluster's adapter). */
  socketOptions?: Partial<ServerOptions>;
  /** Metrics hooks; unset when metrics are off. */
  probes?: RealtimeProbes;
  /** The connect throttle: CONNECT_CONCURRENCY slots (0: off) and CONNECT_QUEUE_MAX waiting handshakes. */
  admission: { concurrency: number; queueMax: number };
  /**
   * Whether a connection of `data` would still be let in: the account active, its session (when it has
   * one) live, and for a guest, guest access still on (see sessionStillLive, guestAccessEnabled).
   */
  stillAdmitted(data: Pick<SocketData, "userId" | "sessionId" | "kind">): Promise<boolean>;
};

/**
 * How long a client may take from opening its connection to being admitted (Socket.IO's `connectTimeout`,
 * 45 s by default), in ms. A handshake waiting in the connect throttle's queue counts against it, and
 * socket.io-client waits for the admission as long as the server lets it (it has no timeout of its own
 * there), so the limit is raised: at a few hundred admissions a second a queue of tens of thousands
 * drains within it. The throttle refuses (with `retryAfter`) the handshakes it could not admit in time.
 */
export const CONNECT_TIMEOUT_MS = 120_000;

/**
 * How long a client may keep a transport open (Engine.IO's handshake done) without asking to connect
 * (its Socket.IO CONNECT packet), in ms. socket.io-client sends it right after the transport opens;
 * the long CONNECT_TIMEOUT_MS is for handshakes waiting in the connect throttle's queue, and would
 * otherwise let a client that never asks hold a connection (and its memory) for two minutes.
 */
export const CONNECT_PACKET_TIMEOUT_MS = 20_000;

/**
 * Most Socket.IO CONNECT packets (to any namespace, known or not) one transport may send per
 * CONNECT_PACKETS_WINDOW_MS; one more closes the transport. socket.io-client sends one per connection
 * (again only after the server disconnected it, on the same transport). Socket.IO runs every CONNECT
 * through the middlewares, and the connect throttle queued each: 50 transports with no credentials sent
 * 840,000 of them in 20 s, nobody could connect for 40 s and a connected user's `history` waited 30 s;
 * CONNECTs to a namespace that does not exist were answered one by one, 855,000 in 25 s (a security
 * trial). The per-user `socket-events` row counts events only once a connection is made.
 */
export const MAX_CONNECT_PACKETS = 8;
/** The window of MAX_CONNECT_PACKETS, in ms. */
export const CONNECT_PACKETS_WINDOW_MS = 60_000;

/**
 * A socket.io-parser Decoder class (Socket.IO makes one decoder per transport) that counts the CONNECT
 * packets it decodes and throws past MAX_CONNECT_PACKETS per CONNECT_PACKETS_WINDOW_MS, before Socket.IO
 * sees the packet: Socket.IO takes a decoder's error for a protocol violation and closes the transport.
 * `onCapped` is called once per transport, as it is closed (the server logs it). Counted as decoded, not
 * from the raw text: the parser reads a packet's type with `Number(firstChar)`, so `"4 "` and `"4\t{}"`
 * are CONNECTs too (a second trial flooded those past a count of frames starting with "0", and nobody
 * could connect for 45 s).
 */
function connectCappedDecoder(onCapped: () => void): typeof Decoder {
  return class ConnectCappedDecoder extends Decoder {
    constructor(...args: ConstructorParameters<typeof Decoder>) {
      super(...args);
      let connects = 0;
      let windowStart = 0;
      // Registered before Socket.IO's own listener, so it runs first.
      this.on("decoded", (packet: { type: PacketType }) => {
        if (packet.type !== PacketType.CONNECT) return;
        const now = Date.now();
        if (now - windowStart > CONNECT_PACKETS_WINDOW_MS) [connects, windowStart] = [0, now];
        if (++connects <= MAX_CONNECT_PACKETS) return;
        // Once per transport: the error closes it, and a closed client's decoder decodes nothing more.
        onCapped();
        throw new Error(`more than ${MAX_CONNECT_PACKETS} CONNECT packets on one transport`);
      });
    }
  };
}

export type Realtime = ReturnType<typeof createRealtime>;

const routerFor = createRouter([...roomRoutes, ...messageRoutes, ...memberRoutes, ...archiveRoutes, ...changeRoutes, ...visibilityRoutes]);

// Connection-level listeners, shared by every connection (`this` is the socket): no closures per socket.
function onSocketError(this: ChatSocket, err: Error) {
  contextOf(this)?.log.warn({ err, socketId: this.id, user: this.data.name }, "socket error");
}

/** Disconnect reasons after which socket.io-client reconnects by itself (the same ones Socket.IO persists a session for). */
const RECONNECTING = new Set(["transport error", "transport close", "forced close", "ping timeout", "server shutting down", "forced server close"]);

/** ws's words when a frame is over its maxPayload (engine.io passes the error on as the close description). */
const OVERSIZED = /Max payload size exceeded/;

/**
 * The disconnect listener shared by every connection (`this` is the socket). A connection closed for a
 * frame over MAX_PAYLOAD_BYTES is logged as that (warn, with the limit), not as a plain transport error.
 */
const disconnectListener = (maxPayloadBytes: number) =>
  function onDisconnect(this: ChatSocket, reason: string, description?: unknown) {
    const ctx = contextOf(this);
    if (!ctx) return;
    const { log, user } = ctx;
    if (reason === "transport error" && OVERSIZED.test(String((description as Error | undefined)?.message))) {
      log.warn({ socketId: this.id, user: user.name, limit: maxPayloadBytes }, "closed a connection that sent a frame over MAX_PAYLOAD_BYTES");
    } else log.info({ socketId: this.id, user: user.name, reason }, "socket disconnected");
    rememberRooms(this, ctx, reason);
    forget(ctx);
  };

/** A connection that will come back by itself: its rooms are kept for rejoinRooms(). */
function rememberRooms(socket: ChatSocket, ctx: ConnectionContext, reason: string) {
  const pid = privateIdOf(socket);
  if (!pid || ctx.joined.size === 0 || !RECONNECTING.has(reason)) return dropRejoinHint(ctx);
  // A dead transport goes unnoticed for up to pingInterval + pingTimeout: what was sent then may be lost.
  const { pingInterval = 25_000, pingTimeout = 20_000 } = ctx.io.engine.opts;
  const since = Math.max(socket.handshake.issued, Date.now() - pingInterval - pingTimeout);
  ctx.rejoin
    .save(pid, { userId: ctx.user.id, rooms: [...ctx.joined.keys()], since })
    .catch((err: unknown) => ctx.log.warn({ err }, "could not remember rooms for rejoin"));
}

/** Drops a closed connection from this instance's bookkeeping and from presence. */
function forget(ctx: ConnectionContext) {
  const { log, connections, user } = ctx;
  const mine = connections.get(user.id);
  mine?.delete(ctx);
  if (mine?.size === 0) connections.delete(user.id);
  for (const room of [...ctx.joined.values()]) {
    exit(ctx, room).catch((err: unknown) => log.error({ err }, "presence cleanup failed"));
  }
}

const ATTACHED = Symbol.for("hibiki.realtime");

/**
 * The rooms a handshake's identity lookup found the user to be a member of, kept for the connection's
 * catch-up (not in socket.data, which other instances of a cluster can fetch).
 */
const handshakeRooms = new WeakMap<ChatSocket, string[]>();

/** The connect-throttle slot of an admitted connection, released once its catch-up is done (or it closes). */
const admissionSlots = new WeakMap<ChatSocket, () => void>();

/** The revocation count a handshake saw before reading its identity (see lib/realtime/revocations.ts). */
const revocationMarks = new WeakMap<ChatSocket, number>();

/**
 * Socket.IO on the shared HTTP server, with the chat handlers registered per connection. Refuses to
 * attach twice to one server: two engines on one server answer the same upgrade twice (the classic
 * hot-reload bug), so a second attempt is a programming error, not something to paper over.
 */
/**
 * Connection-state recovery restores a dropped connection's Socket.IO rooms and sends it the packets
 * those rooms got meanwhile while Socket.IO builds the socket, before any middleware or handler of ours
 * runs (socket.io 4.8, `Socket` constructor). So a session is restored only while everything it held
 * would still be granted: the account active, its session (cookie) not signed out or expired, a guest's
 * guest access still on, and every chat room it was in or watched (`room:<id>`, `watch:<id>`) still readable. Otherwise the client
 * comes back as a new connection, which the handshake identifies from scratch and which catches up
 * through `auth.lastSeen` and the rejoin hint, both checked room by room. Without this, a member removed
 * from a private room while disconnected received its messages on reconnecting, and kept receiving its
 * `room-activity` as long as the connection lasted.
 */
/**
 * The packets a restored session missed, by the session's `data` (which Socket.IO makes the restored
 * socket's `data`), from guardRecovery until the handshake has identified the connection: a pid is only
 * a session's name, so a connection that presents one is given what it missed only once its cookie or
 * token shows it is that session's (releaseMissed); anyone else gets none of it.
 */
const heldMissed = new WeakMap<object, unknown[][]>();

/**
 * Sends a restored connection the packets its session missed (held by guardRecovery) when `owner`: the
 * handshake found the same user and session. Either way they are let go. Sent as Socket.IO's own
 * constructor sends them (`packet`, type EVENT), so the client takes them as it took them before: with
 * their offsets, before its connection is accepted.
 */
function releaseMissed(socket: ChatSocket, restored: object, owner: boolean) {
  const missed = heldMissed.get(restored);
  heldMissed.delete(restored);
  if (!owner || !missed) return;
  const send = socket as unknown as { packet(packet: { type: number; data: unknown[] }): void };
  // 2: socket.io-parser's PacketType.EVENT.
  for (const data of missed) send.packet({ type: 2, data });
}

function guardRecovery(io: IO, deps: Pick<RealtimeDeps, "chat" | "stillAdmitted">, log: Logger) {
  type Restore = (pid: string, offset: string) => Promise<{ rooms: Set<string> | string[]; data?: Partial<SocketData> } | null> | null;
  const adapter = io.of("/").adapter as unknown as { restoreSession: Restore };
  const restore: Restore = adapter.restoreSession.bind(adapter);
  adapter.restoreSession = async (pid, offset) => {
    const session = await restore(pid, offset);
    if (!session) return session;
    const data = session.data;
    if (!data?.userId) return null;
    const ids = new Set<string>();
    for (const key of session.rooms) {
      const id = roomIdOfKey(key);
      if (id) ids.add(id);
    }
    const user: User = { id: data.userId, name: data.name ?? "", kind: data.kind ?? "user", admin: data.admin === true, deactivated: false };
    const [live, allowed] = await Promise.all([
      deps.stillAdmitted({ userId: data.userId, sessionId: data.sessionId, kind: user.kind }),
      ids.size > 0 ? deps.chat.roomsStillAllowed(user, [...ids]) : Promise.resolve([]),
    ]);
    if (live && allowed.length === ids.size) {
      // Socket.IO would send these from the socket's constructor, to whoever presented the pid: they are
      // held until the handshake has shown the connection is the session's owner (releaseMissed).
      const held = session as { missedPackets?: unknown[][] };
      heldMissed.set(data, missedWorthSending(held.missedPackets, data.name) ?? []);
      held.missedPackets = [];
      return session;
    }
    log.info({ user: user.name, live, rooms: ids.size, stillAllowed: allowed.length }, "did not restore a connection's state: it lost access meanwhile");
    return null;
  };
}

/**
 * What a restored connection is sent of the packets its rooms got while it was away: not `typing`, which
 * is volatile (sent live or never; the Redis streams adapter keeps every broadcast of its stream and
 * replays them all, volatile ones too, an operator trial saw one 23 s late), and not its own user's
 * `user-left` / `user-joined` (an instance that shut down said "bob has left the room." to the room, and
 * the restored bob was told it about himself). Each packet is `[event, ...args, offset]`.
 */
export function missedWorthSending(packets: unknown[][] | undefined, name: string | undefined): unknown[][] | undefined {
  return packets?.filter((p) => {
    if (p[0] === "typing") return false;
    if ((p[0] === "user-left" || p[0] === "user-joined") && (p[2] as { name?: string } | undefined)?.name === name) return false;
    return true;
  });
}

export function createRealtime(deps: RealtimeDeps) {
  const marked = deps.httpServer as HttpServer & { [ATTACHED]?: boolean };
  if (marked[ATTACHED]) throw new Error("Socket.IO is already attached to this HTTP server");
  marked[ATTACHED] = true;
  const log = deps.log.child({ module: "realtime" });
  /** This instance's live connections by user id (presence bookkeeping, connection limits). */
  const connections = new Map<string, Set<ConnectionContext>>();
  /** This instance's live guest connections by client address (their limitKey), for the per-address cap. */
  const guestConnections = new Map<string, number>();
  const maxGuestConnections = deps.maxGuestConnectionsPerAddress ?? 300;
  const onDisconnect = disconnectListener(deps.maxPayloadBytes);
  const guestNames = createGuestNameGate(deps.limits);
  /** Rights taken away while handshakes were under way (sign-out, bans, guest access off). */
  const revocations = createRevocationLog();
  const gate: AdmissionGate = createAdmissionGate({ ...deps.admission, maxWaitMs: CONNECT_TIMEOUT_MS - 20_000, onRefused: deps.probes?.handshakeRefused });

  const io: IO = new Server(deps.httpServer, {
    ...deps.socketOptions,
    path: "/socket.io/",
    // Middlewares run again on recovery, so a banned or signed-out user is not let back in.
    connectionStateRecovery:
      deps.recoveryMaxDisconnectionMs > 0 ? { maxDisconnectionDuration: deps.recoveryMaxDisconnectionMs, skipMiddlewares: false } : undefined,
    serveClient: false,
    // At most MAX_CONNECT_PACKETS CONNECTs per window on one transport (see connectCappedDecoder).
    parser: { Encoder, Decoder: connectCappedDecoder(() => log.warn("closed a transport that sent too many CONNECT packets")) },
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxHttpBufferSize: deps.maxPayloadBytes,
    // Broadcasts then reuse one encoded frame for every recipient.
    perMessageDeflate: false,
    // Other upgrade requests (Next's dev HMR socket) belong to server.ts's dispatcher, not to engine.io.
    destroyUpgrade: false,
    cors: { origin: (origin, cb) => cb(null, origin !== undefined && deps.corsOrigins.includes(origin)), credentials: true },
  });
  // CORS does not protect WebSockets, and JSONP polling escapes it: every Engine.IO request of every
  // transport (handshake, later polls, upgrades) is checked here before Engine.IO sees it.
  const trust = compileTrustProxy(deps.trustProxy);
  const announcer = createPresenceAnnouncer({ io, chat: deps.chat, log, windowMs: deps.presenceAnnounceMs, entriesPerMs: deps.presenceEntriesPerMs });
  // First, so that what guardRecovery's checks take is covered too.
  const recoveryGap = deps.recoveryMaxDisconnectionMs > 0 ? closeRecoveryGap(io.of("/").adapter, CONNECT_TIMEOUT_MS) : undefined;
  if (deps.recoveryMaxDisconnectionMs > 0) guardRecovery(io, deps, log);
  io.engine.use((req: IncomingMessage, _res: unknown, next: (err?: Error) => void) => {
    const reason = refusalReason(req, deps.corsOrigins, trust);
    if (!reason) return next();
    const foreign = reason === "origin not allowed";
    log.warn({ origin: req.headers.origin, reason }, foreign ? "refused handshake from a foreign origin" : "refused a Socket.IO request");
    next(new Error(reason));
  });

  // A handshake with several session cookies is refused as signed out (identify.ts sessionTokenOf); the
  // answers of its transport (the polling handshake, the WebSocket upgrade) expire every such cookie but
  // Hibiki's own.
  const clears = (req: IncomingMessage) =>
    sessionTokenOf(req.headers.cookie) !== null
      ? []
      : sessionCookieClears(new URL(req.url ?? "/", "http://host").pathname, (req.headers.host ?? "").replace(/:\d+$/, ""), requestScheme(req, trust) === "https");
  io.engine.on("headers", (headers: Record<string, string | string[]>, req: IncomingMessage) => {
    // An upgrade's header lines are written below: Engine.IO joins an array into one line there.
    const lines = req.headers.upgrade === undefined ? clears(req) : [];
    if (lines.length > 0) headers["set-cookie"] = lines;
  });
  // Engine.IO makes its WebSocket server anew each time the HTTP server starts listening (after this).
  type WsServer = { on(event: "headers", fn: (lines: string[], req: IncomingMessage) => void): void };
  const hooked = new WeakSet<WsServer>();
  const hookUpgrades = () => {
    const ws = (io.engine as unknown as { ws?: WsServer }).ws;
    if (!ws || hooked.has(ws)) return;
    hooked.add(ws);
    ws.on("headers", (lines, req) => {
      for (const line of clears(req)) lines.push(`Set-Cookie: ${line}`);
    });
  };
  hookUpgrades();
  deps.httpServer.on("listening", hookUpgrades);

  // A transport whose client never asks to connect is closed at CONNECT_PACKET_TIMEOUT_MS; the first
  // middleware below is where its CONNECT packet is seen (a restored connection's too).
  const awaitingConnect = new WeakMap<object, ReturnType<typeof setTimeout>>();
  const connectPacketMs = deps.connectPacketTimeoutMs ?? CONNECT_PACKET_TIMEOUT_MS;
  io.engine.on("connection", (conn: { close(): void; once(event: "close", fn: () => void): void }) => {
    const timer = setTimeout(() => conn.close(), connectPacketMs);
    awaitingConnect.set(conn, timer);
    conn.once("close", () => clearTimeout(timer));
  });
  io.use((socket, next) => {
    clearTimeout(awaitingConnect.get(socket.conn));
    next();
  });

  io.use(async (socket, next) => {
    let release: (() => void) | null = null;
    try {
      const address = addressKey(proxyaddr(socket.request, trust));
      // Waiting here costs nothing but a place in the queue; a client that leaves meanwhile is skipped.
      // Turns go round-robin by client address: one address's thousands of handshakes (a flood, or a
      // big office behind one NAT) wait behind each other, not in front of everyone else's.
      release = await gate.enter(() => socket.conn.readyState !== "open", address);
      if (!release) return next(new Error("connection closed while waiting"));
      socket.conn.once("close", release);
      const auth = (socket.handshake.auth ?? {}) as Record<string, unknown>;
      const token = typeof auth.token === "string" ? auth.token : auth.token === undefined ? undefined : "";
      // A name this address has not brought lately costs it a point of `guest-names` first (given back
      // unless the client becomes a guest): a guest's first handshake creates its row.
      const ticket = token === undefined ? await guestNames.admit(address, auth.name) : undefined;
      // One round trip: who this is and which rooms they are a member of (catchUp() watches those).
      revocationMarks.set(socket, revocations.mark());
      let identity: Awaited<ReturnType<Identify>>;
      try {
        identity = await deps.identify({ cookie: socket.handshake.headers.cookie, token, guestName: auth.name, withRooms: true });
      } catch (err) {
        ticket?.settle(false);
        throw err;
      }
      const { user, session, roomIds } = identity;
      ticket?.settle(user.kind === "guest");
      if ((connections.get(user.id)?.size ?? 0) >= deps.maxConnectionsPerUser) {
        throw new AppError("rate_limited", `too many connections (at most ${deps.maxConnectionsPerUser} per user)`);
      }
      if (user.kind === "guest" && (guestConnections.get(guestLimitKey(address)) ?? 0) >= maxGuestConnections) {
        throw new AppError("rate_limited", `too many guest connections from this address (at most ${maxGuestConnections})`);
      }
      // A restored connection that now presents someone else (another account's cookie on the same
      // client) keeps nothing of the session it continues: its rooms were that session's.
      const restored = socket.recovered ? socket.data : undefined;
      // A session kept in Redis comes back through msgpack, which has no `undefined`: a bot's or a guest's
      // absent session id is null then, and is the same absent id.
      const someoneElse = restored !== undefined && (restored.userId !== user.id || (restored.sessionId ?? undefined) !== session?.id);
      if (someoneElse) {
        for (const key of [...socket.rooms]) if (key !== socket.id) void socket.leave(key);
      }
      if (restored) releaseMissed(socket, restored, !someoneElse);
      socket.data = { userId: user.id, name: user.name, kind: user.kind, admin: user.admin, sessionId: session?.id };
      // A guest's costly actions count against its client address (X-Forwarded-For only from TRUST_PROXY's
      // proxies, as Express reads it), not its name: see limitKeyOf.
      if (user.kind === "guest") socket.data.limitKey = guestLimitKey(address);
      if (roomIds) handshakeRooms.set(socket, roomIds);
      admissionSlots.set(socket, release);
      next();
    } catch (err) {
      if (release) {
        socket.conn.off("close", release);
        release();
      }
      if (!isAppError(err)) log.error({ err }, "handshake failed");
      else if (err.code === "unavailable") log.error({ err: err.cause ?? err }, `handshake failed: ${err.message}`);
      const refusal = new Error(isAppError(err) ? err.message : "internal error") as Error & { data?: unknown };
      // The refusal's body as acknowledgements carry it (code, reason, field, limit, retryAfter), so a client says it in its own language.
      refusal.data = isAppError(err) ? errorBody(err) : { code: "internal" };
      next(refusal);
    }
  });

  io.on("connection", (socket) => {
    // A restored connection first gets what was broadcast to it while it was being restored.
    recoveryGap?.release(socket);
    const { userId, name, kind, admin, sessionId, limitKey } = socket.data;
    const user: User = { id: userId, name, kind, admin, deactivated: false, ...(limitKey ? { limitKey } : {}) };
    const ctx: ConnectionContext = {
      io, socket, log, chat: deps.chat, presence: deps.presence, announcer, bus: deps.bus, rejoin: deps.rejoin, limits: deps.limits, revocations, user, joined: new Map(), connections, pending: 0, pendingPages: 0,
      probes: deps.probes,
    };
    attachContext(socket, ctx);
    let mine = connections.get(userId);
    if (!mine) connections.set(userId, (mine = new Set()));
    mine.add(ctx);
    if (limitKey) {
      guestConnections.set(limitKey, (guestConnections.get(limitKey) ?? 0) + 1);
      socket.once("disconnect", () => {
        const left = (guestConnections.get(limitKey) ?? 1) - 1;
        if (left > 0) guestConnections.set(limitKey, left);
        else guestConnections.delete(limitKey);
      });
    }
    log.info({ socketId: socket.id, user: name, transport: socket.conn.transport.name, recovered: socket.recovered }, "socket connected");
    void socket.join([userKey(userId), ...(sessionId ? [sessionKey(sessionId)] : []), ...(kind === "guest" ? [GUESTS_KEY] : [])]);
    // Events wait until the connection is caught up, so replayed messages come before live ones.
    const release = admissionSlots.get(socket);
    admissionSlots.delete(socket);
    ctx.ready = catchUp(ctx, socket.recovered, revocationMarks.get(socket))
      .catch((err: unknown) => log.error({ err, socketId: socket.id }, "catch-up failed"))
      .then(() => {
        ctx.ready = undefined;
        // The connect work is done: the next handshake in the queue may start.
        if (release) {
          socket.conn.off("close", release);
          release();
        }
      });
    socket.use(routerFor(ctx));
    socket.on("error", onSocketError);
    socket.on("disconnect", onDisconnect);
    // Signed out, banned, demoted or guest access turned off after this handshake read its identity, and
    // announced before the connection was registered above: nothing closed it then (revocations.ts).
    const mark = revocationMarks.get(socket);
    revocationMarks.delete(socket);
    if (mark !== undefined && revocations.revokedSince(mark, { userId, sessionId, guest: kind === "guest" })) {
      log.info({ socketId: socket.id, user: name }, "closed a connection whose rights were taken away during its handshake");
      return void socket.disconnect(true);
    }
    socket.emit("session", {
      id: userId, name, guest: kind === "guest", admin, messageMaxChars: deps.chat.messageMaxChars,
      ...(deps.uploadMaxBytes !== undefined && { uploadMaxBytes: deps.uploadMaxBytes }),
    });
  });

  async function catchUp(ctx: ConnectionContext, recovered: boolean, mark: number | undefined) {
    const ids = handshakeRooms.get(ctx.socket) ?? (await deps.chat.memberRoomIds(ctx.user));
    handshakeRooms.delete(ctx.socket);
    // Not the rooms this connection already entered meanwhile (see enter()).
    await ctx.socket.join(ids.filter((id) => !ctx.joined.has(id)).map(watchKey));
    // Nor those the user was removed from after the handshake read them (its room-activity would go on).
    if (mark !== undefined) for (const id of revocations.roomsLeftSince(mark, ctx.user.id)) await ctx.socket.leave(watchKey(id));
    const auth = (ctx.socket.handshake.auth ?? {}) as { lastSeen?: unknown; pid?: unknown };
    // The hint of the connection this one continues (recovered or not: it is used up either way).
    const hint = typeof auth.pid === "string" && deps.recoveryMaxDisconnectionMs > 0 ? await deps.rejoin.take(auth.pid).catch(() => undefined) : undefined;
    if (recovered) return restoreRecovered(ctx);
    const lastSeen = lastSeenOf(auth.lastSeen);
    let replayed = 0;
    // One budget for the whole catch-up (MAX_REPLAYED items), and nothing more once the client has gone.
    const budget = { left: MAX_REPLAYED };
    if (hint?.userId === ctx.user.id) replayed += await rejoinRooms(ctx, hint, lastSeen, budget);
    replayed += await replayMissed(ctx, lastSeen, budget);
    if (replayed > 0 || hint) log.info({ socketId: ctx.socket.id, user: ctx.user.name, replayed, rejoined: hint?.rooms.length ?? 0 }, "caught up a connection that was not recovered");
  }

  // A mention, a reply or a DM that notified someone: their connections here count it in the room's
  // mention badge (every instance hears the bus, each tells its own connections).
  deps.bus.subscribe((e) => {
    if (e.type !== "notification" || !MENTION_TYPES.includes(e.notification.type)) return;
    const { room, messageId } = e.notification;
    if (!room || !messageId) return;
    for (const ctx of connections.get(e.userId) ?? []) ctx.socket.emit("room-mention", { room, id: messageId });
  });

  // A notification taken back (its message deleted, or its reader removed from the room) may have been
  // counted in a room's mention badge, and a mention edited back in counts again: the user's connections
  // here list their rooms again (`rooms-changed`), once per user however many changed in the same turn.
  const relist = new Set<string>();
  deps.bus.subscribe((e) => {
    if ((e.type !== "notification-withdrawn" && e.type !== "mentions-restored") || !connections.has(e.userId)) return;
    if (relist.size === 0) {
      setImmediate(() => {
        for (const userId of relist) for (const ctx of connections.get(userId) ?? []) ctx.socket.emit("rooms-changed");
        relist.clear();
      });
    }
    relist.add(e.userId);
  });

  // Users whose room lists changed (a DM partner renamed): their connections here list their rooms again.
  deps.bus.subscribe((e) => {
    if (e.type !== "rooms-changed") return;
    for (const userId of e.userIds) for (const ctx of connections.get(userId) ?? []) ctx.socket.emit("rooms-changed");
  });

  // A level chosen on one page of a person's: their other pages (other tabs, their phone) show it too.
  deps.bus.subscribe((e) => {
    if (e.type !== "levels-changed") return;
    for (const ctx of connections.get(e.userId) ?? []) ctx.socket.emit("levels-changed");
  });

  deps.bus.subscribe((e) => {
    if (e.type !== "member-removed") return;
    revocations.record({ userId: e.userId, roomId: e.roomId });
    for (const ctx of connections.get(e.userId) ?? []) {
      const room = ctx.joined.get(e.roomId);
      if (room) exit(ctx, room).catch((err: unknown) => log.error({ err }, "presence cleanup failed"));
      // Out of its watch list too, joined or not: the removing instance took the user's connections out of
      // the room and its watch list everywhere (the adapter) before this event, and a `leave-room` handled
      // in between put the connection back on the watch list (it was still joined here). Unless they are a
      // member again by now (added back at once: that addition's own watch must stay; a public room they
      // left and opened again). Membership, not access: a public room left stays theirs to read, not to watch.
      else
        void deps.chat
          .memberOfAmong(ctx.user, [e.roomId])
          .then(async (still) => {
            if (still.length === 0) await ctx.socket.leave(watchKey(e.roomId));
          })
          .catch((err: unknown) => log.error({ err }, "watch cleanup failed"));
    }
  });

  // Each connection's frames of one turn of the event loop leave together, in one system call.
  io.engine.on("connection", batchWrites);

  io.engine.on("connection_error", (err: { code: number; message: string }) => {
    log.debug({ code: err.code, reason: err.message }, "engine connection refused");
  });

  return {
    io,
    /** The connect throttle (its gauges). */
    admission: gate as Pick<AdmissionGate, "inFlight" | "waiting">,
    /** The chat domain events' delivery to clients (server.ts subscribes it). */
    delivery: realtimeDelivery(io, deps.probes),
    /**
     * Closes this instance's connections of one session (sign-out, a new password; the bus tells every
     * instance), each told first why (`session-ended`: "signed_out", or "password_reset" by an admin).
     */
    disconnectLocalSession: (sessionId: string, reason: "signed_out" | "password_reset" = "signed_out") => {
      revocations.record({ sessionId });
      io.local.in(sessionKey(sessionId)).emit("session-ended", { reason });
      io.local.in(sessionKey(sessionId)).disconnectSockets(true);
    },
    /**
     * Announces, then `presence`: users who left a room because their instance died (`user-left`; the
     * cluster calls this on the one instance that noticed), or who are online again because this
     * instance, taken for dead during a stall, put its counts back (`user-joined`). Room ids that no
     * longer exist are skipped.
     */
    async announceUsers(roomId: string, users: { name: string }[], event: "user-left" | "user-joined") {
      const [room] = await deps.chat.roomsByIds([roomId]);
      if (room) await announceUsers({ io, announcer }, room, users, event);
    },
    /**
     * Closes this instance's connections of one user (a ban, or a right taken away; the bus tells every
     * instance). `ended`: the user's session is over (a ban: "account_deactivated"), which each connection
     * is told first (`session-ended`); without it they may come straight back (a rename, a lost right).
     */
    disconnectLocalUser: (userId: string, ended?: SessionEndReason) => {
      revocations.record({ userId });
      if (ended) io.local.in(userKey(userId)).emit("session-ended", { reason: ended });
      // Not over, changed: the client comes straight back for its new session (connection-events.ts).
      else io.local.in(userKey(userId)).emit("session-changed", {});
      io.local.in(userKey(userId)).disconnectSockets(true);
    },
    /** Closes this instance's guest connections (guest access went off; the bus tells every instance), each told first why. */
    disconnectLocalGuests: () => {
      revocations.record({ guests: true });
      io.local.in(GUESTS_KEY).emit("session-ended", { reason: "guest_access_off" });
      io.local.in(GUESTS_KEY).disconnectSockets(true);
    },
    /** Drops presence announcements still owed (shutdown, before the database closes). */
    close: () => announcer.close(),
  };
}
