import type { IncomingMessage, Server as HttpServer } from "node:http";
import { Server, type ServerOptions } from "socket.io";
import type { Chat } from "../chat/chat";
import type { PresenceStore } from "../chat/presence";
import type { Message } from "../chat/types";
import type { Identify } from "../auth/identify";
import { AppError, isAppError } from "../errors";
import { compileTrustProxy } from "../http/origin";
import type { Logger } from "../log";
import { attachContext, broadcastMessage, contextOf, GUESTS_KEY, sessionKey, userKey, watchKey, type ChatSocket, type ConnectionContext, type IO } from "./context";
import { createRouter } from "./handle";
import { exit, roomRoutes } from "./handlers/rooms";
import { messageRoutes } from "./handlers/messages";
import { memberRoutes } from "./handlers/members";
import { replayMissed, restoreRecovered } from "./resume";
import { refusalReason } from "./request-guard";

export type RealtimeDeps = {
  httpServer: HttpServer;
  log: Logger;
  chat: Chat;
  presence: PresenceStore;
  identify: Identify;
  maxPayloadBytes: number;
  corsOrigins: string[];
  /** TRUST_PROXY, the Express "trust proxy" setting: whose X-Forwarded-Proto counts for the Origin check. */
  trustProxy: boolean | number | string;
  maxConnectionsPerUser: number;
  /** Connection-state recovery window (0 turns recovery off). */
  recoveryMaxDisconnectionMs: number;
  /** Extra Socket.IO options (the cluster's adapter). */
  socketOptions?: Partial<ServerOptions>;
};

export type Realtime = ReturnType<typeof createRealtime>;

const routerFor = createRouter([...roomRoutes, ...messageRoutes, ...memberRoutes]);

// Connection-level listeners, shared by every connection (`this` is the socket): no closures per socket.
function onSocketError(this: ChatSocket, err: Error) {
  contextOf(this)?.log.warn({ err, socketId: this.id, user: this.data.name }, "socket error");
}

function onDisconnect(this: ChatSocket, reason: string) {
  const ctx = contextOf(this);
  if (!ctx) return;
  const { log, connections, user } = ctx;
  log.info({ socketId: this.id, user: user.name, reason }, "socket disconnected");
  const mine = connections.get(user.id);
  mine?.delete(ctx);
  if (mine?.size === 0) connections.delete(user.id);
  for (const room of [...ctx.joined.values()]) {
    exit(ctx, room).catch((err: unknown) => log.error({ err }, "presence cleanup failed"));
  }
}

const ATTACHED = Symbol.for("hibiki.realtime");

/**
 * Socket.IO on the shared HTTP server, with the chat handlers registered per connection. Refuses to
 * attach twice to one server: two engines on one server answer the same upgrade twice (the classic
 * hot-reload bug), so a second attempt is a programming error, not something to paper over.
 */
export function createRealtime(deps: RealtimeDeps) {
  const marked = deps.httpServer as HttpServer & { [ATTACHED]?: boolean };
  if (marked[ATTACHED]) throw new Error("Socket.IO is already attached to this HTTP server");
  marked[ATTACHED] = true;
  const log = deps.log.child({ module: "realtime" });
  /** This instance's live connections by user id (presence bookkeeping, connection limits). */
  const connections = new Map<string, Set<ConnectionContext>>();

  const io: IO = new Server(deps.httpServer, {
    ...deps.socketOptions,
    path: "/socket.io/",
    // Middlewares run again on recovery, so a banned or signed-out user is not let back in.
    connectionStateRecovery:
      deps.recoveryMaxDisconnectionMs > 0 ? { maxDisconnectionDuration: deps.recoveryMaxDisconnectionMs, skipMiddlewares: false } : undefined,
    serveClient: false,
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
  io.engine.use((req: IncomingMessage, _res: unknown, next: (err?: Error) => void) => {
    const reason = refusalReason(req, deps.corsOrigins, trust);
    if (!reason) return next();
    const foreign = reason === "origin not allowed";
    log.warn({ origin: req.headers.origin, reason }, foreign ? "refused handshake from a foreign origin" : "refused a Socket.IO request");
    next(new Error(reason));
  });

  io.use(async (socket, next) => {
    try {
      const auth = (socket.handshake.auth ?? {}) as Record<string, unknown>;
      const token = typeof auth.token === "string" ? auth.token : auth.token === undefined ? undefined : "";
      const { user, session } = await deps.identify({ cookie: socket.handshake.headers.cookie, token, guestName: auth.name });
      if ((connections.get(user.id)?.size ?? 0) >= deps.maxConnectionsPerUser) {
        throw new AppError("rate_limited", `too many connections (at most ${deps.maxConnectionsPerUser} per user)`);
      }
      socket.data = { userId: user.id, name: user.name, kind: user.kind, admin: user.admin, sessionId: session?.id };
      next();
    } catch (err) {
      if (!isAppError(err)) log.error({ err }, "handshake failed");
      const refusal = new Error(isAppError(err) ? err.message : "internal error") as Error & { data?: unknown };
      refusal.data = { code: isAppError(err) ? err.code : "internal" };
      next(refusal);
    }
  });

  io.on("connection", (socket) => {
    const { userId, name, kind, admin, sessionId } = socket.data;
    const user = { id: userId, name, kind, admin, deactivated: false };
    const ctx: ConnectionContext = { io, socket, log, chat: deps.chat, presence: deps.presence, user, joined: new Map(), connections };
    attachContext(socket, ctx);
    let mine = connections.get(userId);
    if (!mine) connections.set(userId, (mine = new Set()));
    mine.add(ctx);
    log.info({ socketId: socket.id, user: name, transport: socket.conn.transport.name, recovered: socket.recovered }, "socket connected");
    void socket.join([userKey(userId), ...(sessionId ? [sessionKey(sessionId)] : []), ...(kind === "guest" ? [GUESTS_KEY] : [])]);
    // Events wait until the connection is caught up, so replayed messages come before live ones.
    ctx.ready = catchUp(ctx, socket.recovered)
      .catch((err: unknown) => log.error({ err, socketId: socket.id }, "catch-up failed"))
      .then(() => void (ctx.ready = undefined));
    socket.use(routerFor(ctx));
    socket.on("error", onSocketError);
    socket.on("disconnect", onDisconnect);
    socket.emit("session", { name, guest: kind === "guest", admin });
  });

  async function catchUp(ctx: ConnectionContext, recovered: boolean) {
    const ids = await deps.chat.memberRoomIds(ctx.user);
    // Not the rooms this connection already entered meanwhile (see enter()).
    await ctx.socket.join(ids.filter((id) => !ctx.joined.has(id)).map(watchKey));
    if (recovered) return restoreRecovered(ctx);
    const replayed = await replayMissed(ctx, (ctx.socket.handshake.auth as { lastSeen?: unknown } | undefined)?.lastSeen);
    if (replayed > 0) log.info({ socketId: ctx.socket.id, user: ctx.user.name, replayed }, "replayed missed messages");
  }

  io.engine.on("connection_error", (err: { code: number; message: string }) => {
    log.debug({ code: err.code, reason: err.message }, "engine connection refused");
  });

  return {
    io,
    /** Delivers a stored message to everyone in its room (used by the HTTP API; handlers do the same). */
    broadcastMessage: (roomId: string, message: Message) => broadcastMessage(io, roomId, message),
    /** Closes this instance's connections of one session (sign-out; the bus tells every instance). */
    disconnectLocalSession: (sessionId: string) => io.local.in(sessionKey(sessionId)).disconnectSockets(true),
    /** Closes this instance's connections of one user (ban; the bus tells every instance). */
    disconnectLocalUser: (userId: string) => io.local.in(userKey(userId)).disconnectSockets(true),
    /** Closes this instance's guest connections (guest access went off; the bus tells every instance). */
    disconnectLocalGuests: () => io.local.in(GUESTS_KEY).disconnectSockets(true),
  };
}
