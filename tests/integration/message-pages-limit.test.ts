import { joinAs, setupAdmin } from "../helpers/http";
import { io as ioClient } from "socket.io-client";
import { call, collect, connect, request, startTestServer, track, until, type TestServer } from "../helpers/server";
import { parseLimitOverrides } from "../../lib/limits";

const refusedAsPages = { ok: false, error: { code: "rate_limited", message: expect.stringMatching(/too many pages of messages; try again in \d+ s/), retryAfter: expect.any(Number) } };

describe("the message-pages row with its default (600 a minute)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ rateLimitMessages: 0 });
  });
  afterAll(() => server.close());

  it("lets a person flip through rooms and scroll for hundreds of pages in a burst, and stops a reader at 600", async () => {
    const admin = await setupAdmin(server);
    const s = await connect(server.url, {}, { extraHeaders: { cookie: admin } });
    const { message } = await call(s, "send-message-to-room", { room: "general", message: "root" });
    const reads = [
      () => request(s, "join-room", "general"),
      () => request(s, "history", { room: "general", limit: 100 }),
      () => request(s, "changes", { room: "general", after: 0 }),
      () => request(s, "thread-history", { room: "general", threadId: message.id }),
    ];
    for (let i = 0; i < 600; i++) {
      const r = await reads[i % reads.length]();
      if (!r.ok) throw new Error(`read ${i} refused: ${JSON.stringify(r)}`);
    }
    for (const read of reads) expect(await read()).toEqual(refusedAsPages);
  }, 60_000);
});

describe("the message-pages row (3 a minute here)", () => {
  let server: TestServer;
  let admin: string;
  beforeAll(async () => {
    server = await startTestServer({ guestAccess: true, rateLimitMessages: 0, rateLimits: parseLimitOverrides("message-pages=3/60") });
    admin = await setupAdmin(server);
  });
  afterAll(() => server.close());

  it("counts history, changes, thread-history and join-room together, per user", async () => {
    const alice = await connect(server.url, {}, { extraHeaders: { cookie: await joinAs(server, admin, "alice") } });
    const { message } = await call(alice, "send-message-to-room", { room: "general", message: "root" });
    expect((await request(alice, "join-room", "general")).ok).toBe(true);
    expect((await request(alice, "history", { room: "general" })).ok).toBe(true);
    expect((await request(alice, "thread-history", { room: "general", threadId: message.id })).ok).toBe(true);
    expect(await request(alice, "changes", { room: "general", after: 0 })).toEqual(refusedAsPages);
    expect(await request(alice, "history", { room: "general" })).toEqual(refusedAsPages);
    // Another user has a budget of their own.
    const other = await connect(server.url, {}, { extraHeaders: { cookie: await joinAs(server, admin, "bob") } });
    expect((await request(other, "history", { room: "general" })).ok).toBe(true);
  });

  it("gives each guest behind one address a budget of its own", async () => {
    const first = await connect(server.url, { name: "guest-one" });
    for (let i = 0; i < 3; i++) expect((await request(first, "history", { room: "general" })).ok).toBe(true);
    expect(await request(first, "history", { room: "general" })).toEqual(refusedAsPages);
    // Same address (127.0.0.1), another name: not starved by the first.
    const second = await connect(server.url, { name: "guest-two" });
    expect((await request(second, "history", { room: "general" })).ok).toBe(true);
  });

  it("gives the guests of one address together no more than guest-message-pages, whatever names they take", async () => {
    const local = await startTestServer({ guestAccess: true, rateLimitMessages: 0, rateLimits: parseLimitOverrides("message-pages=3/60,guest-message-pages=5/60") });
    try {
      await setupAdmin(local);
      const first = await connect(local.url, { name: "name-one" });
      for (let i = 0; i < 3; i++) expect((await request(first, "history", { room: "general" })).ok).toBe(true);
      const second = await connect(local.url, { name: "name-two" });
      for (let i = 0; i < 2; i++) expect((await request(second, "history", { room: "general" })).ok).toBe(true);
      // Five pages from this address: a third name gets none.
      expect(await request(second, "history", { room: "general" })).toEqual(refusedAsPages);
      const third = await connect(local.url, { name: "name-three" });
      expect(await request(third, "history", { room: "general" })).toEqual(refusedAsPages);
    } finally {
      await local.close();
    }
  });

  it("stops a handshake's lastSeen catch-up once the row is spent, and still connects", async () => {
    const owner = await connect(server.url, {}, { extraHeaders: { cookie: admin } });
    const rooms = ["r1", "r2", "r3", "r4", "r5"];
    const lastSeen: Record<string, string> = {};
    for (const room of rooms) {
      await call(owner, "create-room", { name: room });
      lastSeen[room] = (await call(owner, "send-message-to-room", { room, message: `seen in ${room}` })).message.id;
    }
    for (const room of rooms) await call(owner, "send-message-to-room", { room, message: `missed in ${room}` });
    const carol = await joinAs(server, admin, "carol");
    const back = track(ioClient(server.url, { auth: { lastSeen }, transports: ["websocket"], reconnection: false, forceNew: true, autoConnect: false, extraHeaders: { cookie: carol, origin: server.url } }));
    const got = collect<{ room: string; text: string }>(back, "receive-message");
    back.connect();
    await new Promise((resolve, reject) => (back.once("connect", () => resolve(undefined)), back.once("connect_error", reject)));
    // Events wait for the catch-up: this ack comes after everything it replays.
    await call(back, "list-rooms");
    await until(() => got.length >= 3, 3000, "three replayed rooms");
    expect(got.map((m) => m.text)).toEqual(["missed in r1", "missed in r2", "missed in r3"]);
    expect(back.connected).toBe(true);
  });
});
