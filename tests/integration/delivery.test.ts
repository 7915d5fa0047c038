import { randomUUID } from "node:crypto";
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

describe("a connection that recovery cannot restore (a quiet client)", () => {
  let server: TestServer;
  const WINDOW_MS = 300;
  // Starting a second embedded database can be slow on a loaded machine.
  beforeAll(async () => {
    server = await startTestServer({ rateLimitMessages: 0, recoveryMaxDisconnectionMs: WINDOW_MS });
  }, 90_000);
  afterAll(() => server.close());

  /** A client that joins `rooms`, then receives nothing for longer than the window; once dropped it reconnects after twice the window. */
  async function quietReader(
    rooms: string[],
    auth: Record<string, unknown> | ((cb: (a: object) => void) => void) = { name: `quiet-${randomUUID().slice(0, 6)}` },
    opts: Record<string, unknown> = {},
  ) {
    const reader = track(ioClient(server.url, { auth, ...opts, transports: ["websocket"], reconnectionDelay: WINDOW_MS * 2, reconnectionDelayMax: WINDOW_MS * 2, randomizationFactor: 0 }));
    await new Promise<void>((r) => reader.once("connect", () => r()));
    for (const room of rooms) await call(reader, "join-room", room);
    const got = collect<{ text: string; id: string; room: string }>(reader, "receive-message");
    await new Promise((r) => setTimeout(r, WINDOW_MS * 2)); // the point of the test: quiet for longer than the window
    return { reader, got };
  }

  /** Drops the transport (socket.io-client reconnects by itself) and sends `texts` to `room` meanwhile. */
  async function dropWhile(reader: ReturnType<typeof ioClient>, send: () => Promise<void>) {
    const reconnected = new Promise<void>((r) => reader.once("connect", () => r()));
    reader.io.engine.close();
    await send();
    await reconnected;
  }

  it("is put back in its rooms: what was sent while it was away and what is sent later both arrive, once, in order", async () => {
    const writer = await connect(server.url);
    const { reader, got } = await quietReader(["quiet-a", "quiet-b"]);
    await dropWhile(reader, async () => {
      for (let i = 0; i < 3; i++) await call(writer, "send-message-to-room", { room: "quiet-a", message: `away ${i}` });
      await call(writer, "send-message-to-room", { room: "quiet-b", message: "away in b" });
    });
    expect(reader.recovered).toBe(false);
    await until(() => got.length === 4, 3000, "missed messages");
    await call(writer, "send-message-to-room", { room: "quiet-a", message: "live a" });
    await call(writer, "send-message-to-room", { room: "quiet-b", message: "live b" });
    await until(() => got.length === 6, 3000, "live messages after the rejoin");
    expect(got.filter((m) => m.room === "quiet-a").map((m) => m.text)).toEqual(["away 0", "away 1", "away 2", "live a"]);
    expect(got.filter((m) => m.room === "quiet-b").map((m) => m.text)).toEqual(["away in b", "live b"]);
    // Its presence is back too.
    expect((await call(writer, "join-room", "quiet-a")).members.length).toBe(2);
  });

  it("replays exactly from auth.lastSeen when the client sends it (nothing it saw comes twice)", async () => {
    const writer = await connect(server.url);
    await call(writer, "join-room", "quiet-seen");
    const seen: Record<string, string> = {};
    const name = `seen-${randomUUID().slice(0, 6)}`;
    const { reader, got } = await quietReader(["quiet-seen"], (cb) => cb({ name, lastSeen: { ...seen } }));
    reader.on("receive-message", (m: { room: string; id: string }) => (seen[m.room] = m.id));
    await call(writer, "send-message-to-room", { room: "quiet-seen", message: "before" });
    await until(() => got.length === 1, 2000, "the message before the drop");
    await new Promise((r) => setTimeout(r, WINDOW_MS * 2));
    await dropWhile(reader, async () => void (await call(writer, "send-message-to-room", { room: "quiet-seen", message: "while away" })));
    expect(reader.recovered).toBe(false);
    await until(() => got.some((m) => m.text === "while away"), 3000, "the missed message");
    await call(writer, "send-message-to-room", { room: "quiet-seen", message: "after" });
    await until(() => got.some((m) => m.text === "after"), 3000, "the live message");
    expect(got.map((m) => m.text)).toEqual(["before", "while away", "after"]);
  });

  it("is put back only in the rooms it was still in, not one it had left", async () => {
    const writer = await connect(server.url);
    const { reader, got } = await quietReader(["quiet-left", "quiet-stay"]);
    await call(reader, "leave-room", "quiet-left");
    await dropWhile(reader, async () => undefined);
    await call(writer, "send-message-to-room", { room: "quiet-left", message: "not for you" });
    await call(writer, "send-message-to-room", { room: "quiet-stay", message: "for you" });
    await until(() => got.some((m) => m.text === "for you"), 3000, "the positive control");
    expect(got.map((m) => m.text)).toEqual(["for you"]);
  });
  // Last in this block: once an account exists, guests may no longer connect.
  it("is not put back in a private room it was removed from while away", async () => {
    const { setupAdmin, joinAs } = await import("../helpers/http");
    const admin = await setupAdmin(server, "root", "root-password");
    const owner = await connect(server.url, {}, { extraHeaders: { cookie: await joinAs(server, admin, "keeper") } });
    const cookie = await joinAs(server, admin, "leaver");
    await call(owner, "create-room", { name: "quiet-vault", private: true });
    await call(owner, "add-member", { room: "quiet-vault", name: "leaver" });
    await call(owner, "join-room", "quiet-pub");
    const { reader, got } = await quietReader(["quiet-vault", "quiet-pub"], {}, { extraHeaders: { cookie, origin: server.url } });
    await dropWhile(reader, async () => {
      await call(owner, "remove-member", { room: "quiet-vault", name: "leaver" });
      await call(owner, "send-message-to-room", { room: "quiet-vault", message: "secret while away" });
    });
    await call(owner, "send-message-to-room", { room: "quiet-vault", message: "secret after" });
    await call(owner, "send-message-to-room", { room: "quiet-pub", message: "public" });
    await until(() => got.some((m) => m.text === "public"), 3000, "the positive control");
    expect(got.map((m) => m.text)).toEqual(["public"]);
  });
});
