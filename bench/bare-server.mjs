// The baseline: the Socket.IO tutorial chat server with nothing else. `join-room` joins and acks,
// `send-message-to-room` emits `receive-message` { id, room, author, text, createdAt } to the room and
// acks. No persistence, no auth, no validation beyond the shape. Same Socket.IO version and engine
// options that matter (WebSocket, no per-message deflate) as Hibiki, on its own port. With REDIS_URL,
// several of them form a cluster through the same Redis streams adapter as Hibiki's (the `cluster`
// scenario); REDIS_PREFIX names its stream.
//
//   PORT=4000 HOST=127.0.0.1 node bench/bare-server.mjs
import { createServer } from "node:http";
import { Server } from "socket.io";

const port = Number(process.env.PORT ?? 4000);
const host = process.env.HOST ?? "127.0.0.1";

const httpServer = createServer((req, res) => {
  if (req.url === "/healthz" || req.url === "/readyz") {
    res.writeHead(200, { "content-type": "application/json" });
    return res.end('{"status":"ok"}');
  }
  res.writeHead(404).end();
});
let adapter;
let redis;
if (process.env.REDIS_URL) {
  const { createAdapter } = await import("@socket.io/redis-streams-adapter");
  const { Redis } = await import("ioredis");
  redis = new Redis(process.env.REDIS_URL);
  const prefix = process.env.REDIS_PREFIX ?? "bare";
  adapter = createAdapter(redis, { streamName: `${prefix}:socket.io`, channelPrefix: `${prefix}:socket.io`, sessionKeyPrefix: `${prefix}:sio:session:`, maxLen: 100_000 });
}
const io = new Server(httpServer, { serveClient: false, perMessageDeflate: false, maxHttpBufferSize: 65_536, ...(adapter ? { adapter } : {}) });

// Message ids: a counter; in a cluster prefixed with the instance's port, so they stay unique.
let nextId = 0;
const idPrefix = adapter ? `${port}-` : "";
io.on("connection", (socket) => {
  const author = typeof socket.handshake.auth?.name === "string" ? socket.handshake.auth.name : socket.id;
  socket.on("join-room", (room, ack) => {
    if (typeof room !== "string") return typeof ack === "function" && ack({ ok: false, error: { code: "bad_request", message: "room must be a string" } });
    socket.join(room);
    if (typeof ack === "function") ack({ ok: true, data: { room: { name: room }, messages: [], members: [] } });
  });
  socket.on("send-message-to-room", (payload, ack) => {
    const room = payload?.room;
    const text = payload?.message;
    if (typeof room !== "string" || typeof text !== "string") {
      return typeof ack === "function" && ack({ ok: false, error: { code: "bad_request", message: "bad payload" } });
    }
    const message = { id: `${idPrefix}${++nextId}`, room, author, text, createdAt: new Date().toISOString() };
    io.to(room).emit("receive-message", message);
    if (typeof ack === "function") ack({ ok: true, data: { message } });
  });
});

httpServer.listen(port, host, () => process.stderr.write(`bare socket.io server on http://${host}:${port}${adapter ? " (Redis streams adapter)" : ""}\n`));

const stop = () => {
  io.close(() => {
    redis?.disconnect();
    process.exit(0);
  });
  setTimeout(() => process.exit(0), 3000).unref();
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
