import net from "node:net";
import { Writable } from "node:stream";
import { createLogger } from "../../lib/log";
import { payloadBytesForMessage } from "../../lib/config";
import { LogHub, type LogRecord } from "../../lib/log-hub";
import { api, joinAs, setupAdmin } from "../helpers/http";
import { call, connect, request, startTestServer, until, type TestServer } from "../helpers/server";
import { openStream } from "../helpers/sse";

/** A raw TCP client: what it sent is up to the test; resolves `closed` with what the server answered. */
function rawClient(server: TestServer) {
  const sock = net.connect(server.port, "127.0.0.1");
  let answer = "";
  sock.on("data", (d) => (answer += d));
  const closed = new Promise<string>((resolve) => sock.once("close", () => resolve(answer)));
  sock.on("error", () => undefined);
  return { sock, closed, connected: new Promise<void>((r) => sock.once("connect", () => r())) };
}

describe("slow senders (Slowloris)", () => {
  const TIMEOUT = 1000;
  let server: TestServer;
  let alice: string;
  beforeAll(async () => {
    server = await startTestServer({ httpRequestTimeoutMs: TIMEOUT, sseHeartbeatMs: 100 });
    const admin = await setupAdmin(server);
    alice = await joinAs(server, admin, "alice");
  }, 60_000);
  afterAll(() => server.close());

  it.each([
    ["a body announced as 1000 bytes with one byte sent", "POST /api/session HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"],
    ["headers that never end", "GET /api/session HTTP/1.1\r\nHost: localhost\r\nX-Slow: 1\r\n"],
    ["a request line alone", "POST /api/setup HTTP/1.1\r\n"],
    ["a Socket.IO long-polling POST that stalls", "POST /socket.io/?EIO=4&transport=polling&sid=SID HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nContent-Length: 500\r\n\r\n4"],
  ])("closes %s once the request timeout passes", async (_what, sent) => {
    // A real engine.io session for the polling case, so the POST is one engine.io would read.
    const handshake = await (await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`)).text();
    const sid = JSON.parse(handshake.slice(1)).sid as string;
    const c = rawClient(server);
    await c.connected;
    const started = Date.now();
    c.sock.write(sent.replace("SID", sid));
    const answer = await c.closed;
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(TIMEOUT - 50);
  });

  it("closes a body trickled one byte at a time, however steadily", async () => {
    const c = rawClient(server);
    await c.connected;
    c.sock.write("POST /api/session HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n");
    const drip = setInterval(() => c.sock.writable && c.sock.write(" "), 50);
    try {
      expect(await c.closed).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      clearInterval(drip);
    }
  });

  it("keeps an SSE stream and a Socket.IO long-polling connection open well past the timeout", async () => {
    const stream = await openStream(`${server.url}/api/notifications/stream`, { cookie: alice });
    const s = await connect(server.url, {}, { extraHeaders: { cookie: alice }, transports: ["polling"] });
    try {
      expect(stream.status).toBe(200);
      const started = Date.now();
      await until(() => Date.now() - started > 4 * TIMEOUT && stream.comments.length >= 8, 10_000, "heartbeats past the timeout");
      expect(stream.ended).toBe(false);
      expect(s.connected).toBe(true);
      expect((await call(s, "join-room", "general")).room.name).toBe("general");
    } finally {
      stream.close();
    }
  });
});

describe("logs", () => {
  it("never write the join code, neither in the API path nor the page path, nor on the admin live log", async () => {
    let out = "";
    const sink = new Writable({ write: (chunk, _e, cb) => ((out += chunk), cb()) });
    const hub = new LogHub();
    const server = await startTestServer({}, { log: createLogger({ level: "trace", destination: sink, hub, hubLevel: "trace" }), logHub: hub });
    try {
      const admin = await setupAdmin(server);
      await joinAs(server, admin, "alice");
      const { body } = await api(server, "/api/admin/join-code", { cookie: admin });
      const code: string = body.code;
      await api(server, `/api/join/${code}?x=1`, { body: { name: "bob", password: "password-bob" } });
      await api(server, `/api/join/${code}/`, { body: { name: "carol", password: "password-carol" } });
      await api(server, `/api/join/${encodeURIComponent(code)}`, { body: { name: "", password: "" } });
      await fetch(`${server.url}/join/${code}`);
      await fetch(`${server.url}/join/${code}#frag`);
      await api(server, "/api/join/not-the-code", { body: { name: "dave", password: "password-dave" } });
      // Other spellings of the same paths: Express routes paths case-insensitively.
      const upper = await api(server, `/api/JOIN/${code}`, { body: { name: "erin", password: "password-erin" } });
      expect(upper.status).toBe(201);
      await api(server, `/api/Join/${code}`, { body: { name: "", password: "" } });
      await api(server, `/api/join//${code}`, { body: { name: "", password: "" } });
      await fetch(`${server.url}/JOIN/${code}`);
      await until(() => hub.since().filter((r: LogRecord) => /^\/api\/join\/+\[redacted\]$/i.test(String(r.path))).length >= 7, 3000, "other spellings logged");
      // Positive control: the requests were logged, with the code replaced.
      await until(() => hub.since().filter((r: LogRecord) => r.path === "/join/[redacted]").length >= 2, 3000, "page requests logged");
      await until(() => hub.since().filter((r: LogRecord) => r.path === "/api/join/[redacted]").length >= 4, 3000, "API requests logged");
      expect(out).toContain("/api/join/[redacted]");
      expect(out).not.toContain(code);
      expect(JSON.stringify(hub.since())).not.toContain(code);
      expect(out).not.toContain("not-the-code");
    } finally {
      await server.close();
    }
  }, 90_000);

  it("log a frame over MAX_PAYLOAD_BYTES as that, at warn with the limit", async () => {
    const hub = new LogHub();
    const server = await startTestServer(
      { guestAccess: true, maxPayloadBytes: 2048 },
      { log: createLogger({ level: "info", destination: new Writable({ write: (_c, _e, cb) => cb() }), hub, hubLevel: "info" }), logHub: hub },
    );
    try {
      const s = await connect(server.url, { name: "big-sender" });
      const gone = new Promise<string>((resolve) => s.once("disconnect", resolve));
      s.emit("send-message-to-room", { room: "lobby", message: "z".repeat(3000) });
      await gone;
      await until(() => hub.since().some((r) => r.user === "big-sender" && r.level === "warn"), 3000, "the warn record");
      const record = hub.since().find((r) => r.user === "big-sender" && r.level === "warn")!;
      expect(record).toMatchObject({ limit: 2048, message: expect.stringMatching(/MAX_PAYLOAD_BYTES/) });
      // Not logged a second time as an ordinary disconnect.
      expect(hub.since().filter((r) => r.user === "big-sender" && r.message === "socket disconnected")).toEqual([]);
      // A frame just under the limit is fine.
      const ok = await connect(server.url, { name: "small-sender" });
      await call(ok, "join-room", "lobby");
      expect((await call(ok, "send-message-to-room", { room: "lobby", message: "z".repeat(1500) })).message.text).toHaveLength(1500);
    } finally {
      await server.close();
    }
  });
});

describe("the frame limit", () => {
  it("carries the longest message in 4-byte characters, with the longest room name and clientId, at the smallest limit the configuration allows", async () => {
    const maxChars = 4000; // the default: its 16,000 bytes of text, not the envelope, decide
    const server = await startTestServer({ guestAccess: true, messageMaxChars: maxChars, maxPayloadBytes: payloadBytesForMessage(maxChars) });
    try {
      const s = await connect(server.url, { name: "wide-sender" });
      const room = "𠀋".repeat(64); // CJK Extension B: 4 bytes each in UTF-8
      await call(s, "join-room", room);
      for (const ch of ["😀", "𠮷", "𝄞"]) {
        const clientId = ch.repeat(128);
        const { message } = await call(s, "send-message-to-room", { room, message: ch.repeat(maxChars), clientId });
        expect([...message.text]).toHaveLength(maxChars);
        expect(message.clientId).toBe(clientId);
      }
      // Still connected: no frame was refused by the transport.
      expect(s.connected).toBe(true);
      // One character more is the server's refusal (too_large), not a closed connection.
      expect(await request(s, "send-message-to-room", { room, message: "😀".repeat(maxChars + 1) })).toMatchObject({ ok: false, error: { code: "too_large" } });
      expect(s.connected).toBe(true);
    } finally {
      await server.close();
    }
  });
});
