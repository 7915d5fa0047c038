import { io as ioClient } from "socket.io-client";
import { call, collect, connect, startTestServer, track, until, type TestServer } from "../helpers/server";

describe("gap-free delivery on one instance", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ rateLimitMessages: 0, recoveryMaxDisconnectionMs: 60_000 });
  });
  afterAll(() => server.close());

  it("recovers a dropped connection: its rooms come back and what was sent meanwhile arrives once, in order", async () => {
    const reader = track(ioClient(server.url, { auth: { name: "flaky" }, transports: ["websocket"] }));
    await new Promise<void>((r) => reader.once("connect", () => r()));
    const writer = await connect(server.url);
    await call(reader, "join-room", "recover-me");
    const got = collect<{ text: string; id: string }>(reader, "receive-message");
    await call(writer, "send-message-to-room", { room: "recover-me", message: "before" });
    await until(() => got.length === 1, 2000, "first message");
    const reconnected = new Promise<void>((r) => reader.once("connect", () => r()));
    reader.io.engine.close(); // transport drops; the client reconnects on its own
    for (let i = 0; i < 5; i++) await call(writer, "send-message-to-room", { room: "recover-me", message: `while away ${i}` });
    await reconnected;
    expect(reader.recovered).toBe(true);
    await until(() => got.length === 6, 3000, "missed messages");
    await call(writer, "send-message-to-room", { room: "recover-me", message: "after" });
    await until(() => got.length === 7, 2000, "live message");
    expect(got.map((m) => m.text)).toEqual(["before", ...[0, 1, 2, 3, 4].map((i) => `while away ${i}`), "after"]);
    reader.disconnect();
  });

  it("replays what a new connection missed since auth.lastSeen, in order, before anything else", async () => {
    const writer = await connect(server.url);
    await call(writer, "join-room", "replay-room");
    const first = await call(writer, "send-message-to-room", { room: "replay-room", message: "seen" });
    const missed = [];
    for (let i = 0; i < 30; i++) missed.push((await call(writer, "send-message-to-room", { room: "replay-room", message: `missed ${i}` })).message);
    const events: string[] = [];
    const returning = track(ioClient(server.url, { auth: { name: "returning", lastSeen: { "replay-room": first.message.id, "no-such-room": "1" } }, transports: ["websocket"], reconnection: false }));
    returning.on("receive-message", (m: { text: string }) => events.push(m.text));
    await new Promise<void>((r) => returning.once("connect", () => r()));
    const join = await call(returning, "join-room", "replay-room");
    expect(events).toEqual(missed.map((m) => m.text));
    expect(join.messages.at(-1).id).toBe(missed.at(-1)!.id);
    returning.disconnect();
  });

  it("replays nothing from a room the user may not read", async () => {
    const { setupAdmin, joinAs } = await import("../helpers/http");
    const admin = await setupAdmin(server, "root", "root-password");
    const owner = await joinAs(server, admin, "owner");
    const outsider = await joinAs(server, admin, "outsider");
    const o = await connect(server.url, {}, { extraHeaders: { cookie: owner, origin: server.url } });
    await call(o, "create-room", { name: "vault", private: true });
    await call(o, "send-message-to-room", { room: "vault", message: "secret 1" });
    const events: unknown[] = [];
    const spy = track(ioClient(server.url, { auth: { lastSeen: { vault: "0" } }, extraHeaders: { cookie: outsider, origin: server.url }, transports: ["websocket"], reconnection: false }));
    spy.on("receive-message", (m) => events.push(m));
    await new Promise<void>((r) => spy.once("connect", () => r()));
    await call(spy, "list-rooms");
    expect(events).toEqual([]);
    spy.disconnect();
  });
});
