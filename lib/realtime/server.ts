import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import type { Chat } from "../chat/chat";
import type { PresenceStore } from "../chat/presence";
import type { Identify } from "../auth/identify";
import { isAppError } from "../errors";
import type { Logger } from "../log";
import type { ConnectionContext, IO } from "./context";
import { userKey } from "./context";
import { exit, registerRoomHandlers } from "./handlers/rooms";
import { registerMessageHandlers } from "./handlers/messages";

export type RealtimeDeps = {
  httpServer: HttpServer;
  log: Logger;
  chat: Chat;
  presence: PresenceStore;
  identify: Identify;
  maxPayloadBytes: number;
};

const KNOWN_EVENTS = new Set([
  "join-room",
  "leave-room",
  "send-message-to-room",
  "history",
  "typing",
  "message",
  "create-room",
  "list-rooms",
]);

const ATTACHED = Symbol.for("hibiki.realtime");

/**
 * Socket.IO on the shared HTTP server, with the chat handlers registered per connection. Refuses to
 * attach twice to one server: two engines on one server answer the same upgrade twice (the classic
 * hot-reload bug), so a second attempt is a programming error, not something to paper over.
 */
export function createRealtime(deps: RealtimeDeps): IO {
  const marked = deps.httpServer as HttpServer & { [ATTACHED]?: boolean };
  if (marked[ATTACHED]) throw new Error("Socket.IO is already attached to this HTTP server");
  marked[ATTACHED] = true;
  const log = deps.log.child({ module: "realtime" });
  const io: IO = new Server(deps.httpServer, {
    path: "/socket.io/",
    serveClient: false,
    maxHttpBufferSize: deps.maxPayloadBytes,
    // Broadcasts then reuse one encoded frame for every recipient.
    perMessageDeflate: false,
    // Other upgrade requests (Next's dev HMR socket) belong to server.ts's dispatcher, not to engine.io.
    destroyUpgrade: false,
  });

  io.use(async (socket, next) => {
    try {
      const user = await deps.identify({ auth: socket.handshake.auth });
      socket.data = { userId: user.id, name: user.name, kind: user.kind, admin: user.admin };
      next();
    } catch (err) {
      if (!isAppError(err)) log.error({ err }, "handshake failed");
      next(new Error(isAppError(err) ? err.message : "internal error"));
    }
  });

  io.on("connection", (socket) => {
    const { userId, name, kind, admin } = socket.data;
    const user = { id: userId, name, kind, admin, deactivated: false };
    const ctx: ConnectionContext = { io, socket, log, chat: deps.chat, presence: deps.presence, user, joined: new Map() };
    log.info({ socketId: socket.id, user: name, transport: socket.conn.transport.name }, "socket connected");
    void socket.join(userKey(userId));
    registerRoomHandlers(ctx);
    registerMessageHandlers(ctx);
    socket.onAny((event: string, ...args: unknown[]) => {
      if (KNOWN_EVENTS.has(event)) return;
      log.warn({ socketId: socket.id, user: name, event: String(event).slice(0, 64) }, "unknown event");
      const ack = args[args.length - 1];
      if (typeof ack === "function") ack({ ok: false, error: { code: "bad_request", message: `unknown event "${String(event).slice(0, 64)}"` } });
    });
    socket.on("error", (err) => log.warn({ err, socketId: socket.id, user: name }, "socket error"));
    socket.on("disconnect", (reason) => {
      log.info({ socketId: socket.id, user: name, reason }, "socket disconnected");
      for (const room of [...ctx.joined.values()]) {
        exit(ctx, room).catch((err: unknown) => log.error({ err }, "presence cleanup failed"));
      }
    });
    socket.emit("session", { name, guest: kind === "guest", admin });
  });

  io.engine.on("connection_error", (err: { code: number; message: string }) => {
    log.debug({ code: err.code, reason: err.message }, "engine connection refused");
  });
  return io;
}
