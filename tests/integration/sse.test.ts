import { Writable } from "node:stream";
import { createLogger } from "../../lib/log";
import { LogHub } from "../../lib/log-hub";
import { api, joinAs, setupAdmin } from "../helpers/http";
import { call, connect, startTestServer, until, type TestServer } from "../helpers/server";
import { openStream } from "../helpers/sse";

let server: TestServer;
let admin: string;
let alice: string;
let bob: string;
let carol: string;
const hub = new LogHub();

beforeAll(async () => {
  const sink = new Writable({ write: (_c, _e, cb) => cb() });
  server = await startTestServer(
    { sseHeartbeatMs: 200, rateLimitMessages: 0 },
    { log: createLogger({ level: "info", destination: sink, hub, hubLevel: "info" }), logHub: hub },
  );
  admin = await setupAdmin(server, "admin", "admin-password");
  alice = await joinAs(server, admin, "alice");
  bob = await joinAs(server, admin, "bob");
  carol = await joinAs(server, admin, "carol");
});
afterAll(() => server.close());

const notifications = (cookie: string, extra: Record<string, string> = {}) =>
  openStream(`${server.url}/api/notifications/stream`, { cookie, ...extra });
const as = (cookie: string) => connect(server.url, {}, { extraHeaders: { cookie, origin: server.url } });

describe("GET /api/notifications/stream", () => {
  it("refuses no credentials with 401, a forged cookie with 401, and a token in the query with 400", async () => {
    expect((await openStream(`${server.url}/api/notifications/stream`)).status).toBe(401);
    expect((await notifications("hibiki_session=forged")).status).toBe(401);
    const q = await openStream(`${server.url}/api/notifications/stream?token=abc`);
    expect(q.status).toBe(400);
    expect(q.body.error.message).toMatch(/query string/);
  });

  it("streams with the right headers, a connected event with an id, and heartbeats", async () => {
    const s = await notifications(alice);
    try {
      expect(s.status).toBe(200);
      expect(s.headers.get("content-type")).toMatch(/^text\/event-stream/);
      expect(s.headers.get("cache-control")).toBe("no-cache, no-transform");
      expect(s.headers.get("x-accel-buffering")).toBe("no");
      expect(s.headers.get("content-encoding")).toBeNull();
      await until(() => s.events.length >= 1, 2000, "connected event");
      expect(s.events[0].data).toEqual({ type: "connected" });
      expect(s.events[0].id).toMatch(/^\d+$/);
      await until(() => s.comments.length >= 2, 2000, "two heartbeats");
      expect(s.ended).toBe(false);
    } finally {
      s.close();
    }
  });

  it("delivers a mention made over Socket.IO to the mentioned user only", async () => {
    const bobStream = await notifications(bob);
    const carolStream = await notifications(carol);
    try {
      await until(() => bobStream.events.length === 1 && carolStream.events.length === 1, 2000, "both connected");
      const a = await as(alice);
      await call(a, "join-room", "general");
      await call(a, "send-message-to-room", { room: "general", message: "hey @bob, look at this (cc nobody@example.com)" });
      await until(() => bobStream.events.length === 2, 3000, "mention on bob's stream");
      const n = bobStream.events[1];
      expect(n.id).toBe(n.data.id);
      expect(n.data).toMatchObject({ type: "mention", room: "general", from: "alice", message: "hey @bob, look at this (cc nobody@example.com)" });
      expect(new Date(n.data.timestamp).toISOString()).toBe(n.data.timestamp);
      await new Promise((r) => setTimeout(r, 200));
      expect(carolStream.events).toHaveLength(1);
    } finally {
      bobStream.close();
      carolStream.close();
    }
  });

  it("says the message as a reader sees it, without its Markdown syntax", async () => {
    const bobStream = await notifications(bob);
    try {
      await until(() => bobStream.events.length === 1, 2000, "connected");
      const a = await as(alice);
      await call(a, "join-room", "general");
      await call(a, "send-message-to-room", { room: "general", message: "**@bob** see [the `deploy` notes](https://example.com/notes)\n\n- _today_" });
      await until(() => bobStream.events.length === 2, 3000, "mention on bob's stream");
      expect(bobStream.events[1].data).toMatchObject({ type: "mention", from: "alice", message: "@bob see the deploy notes\ntoday" });
      a.disconnect();
    } finally {
      bobStream.close();
    }
  });

  it("does not notify a mention in a private room the mentioned user cannot read", async () => {
    const carolStream = await notifications(carol);
    try {
      const a = await as(alice);
      await call(a, "create-room", { name: "alice-only", private: true });
      await call(a, "send-message-to-room", { room: "alice-only", message: "secret about @carol" });
      await new Promise((r) => setTimeout(r, 300));
      expect(carolStream.events.map((e) => e.data.type)).toEqual(["connected"]);
    } finally {
      carolStream.close();
    }
  });

  it("replays exactly the missed notifications after Last-Event-ID", async () => {
    const first = await notifications(bob);
    await until(() => first.events.length === 1, 2000, "connected");
    const a = await as(alice);
    await call(a, "send-message-to-room", { room: "general", message: "@bob one" });
    await until(() => first.events.length === 2, 2000, "first mention");
    const lastSeen = first.events[1].id!;
    first.close();
    await call(a, "send-message-to-room", { room: "general", message: "@bob two" });
    await call(a, "send-message-to-room", { room: "general", message: "@bob three" });
    const resumed = await notifications(bob, { "last-event-id": lastSeen });
    try {
      await until(() => resumed.events.length === 3, 2000, "replay");
      expect(resumed.events[0].data).toEqual({ type: "connected" });
      expect(resumed.events.slice(1).map((e) => e.data.message)).toEqual(["@bob two", "@bob three"]);
      await call(a, "send-message-to-room", { room: "general", message: "@bob four" });
      await until(() => resumed.events.length === 4, 2000, "live after replay");
      expect(resumed.events[3].data.message).toBe("@bob four");
    } finally {
      resumed.close();
    }
  });

  it("notifies a DM only while the recipient is not viewing it, and invites and announcements", async () => {
    const carolStream = await notifications(carol);
    try {
      const a = await as(alice);
      const { room } = await call(a, "open-dm", { name: "carol" });
      await call(a, "send-message-to-room", { room: room.name, message: "psst" });
      await until(() => carolStream.events.some((e) => e.data.type === "dm"), 2000, "dm notification");
      expect(carolStream.events.find((e) => e.data.type === "dm")!.data).toMatchObject({ room: room.name, roomTitle: "alice", from: "alice", message: "psst" });
      const c = await as(carol);
      await call(c, "join-room", room.name);
      await call(a, "send-message-to-room", { room: room.name, message: "seen live" });
      await call(a, "create-room", { name: "invite-room", private: true });
      await call(a, "add-member", { room: "invite-room", name: "carol" });
      await until(() => carolStream.events.some((e) => e.data.type === "invite"), 2000, "invite");
      expect((await api(server, "/api/admin/announcements", { body: { message: "maintenance at noon" }, cookie: admin })).status).toBe(202);
      await until(() => carolStream.events.some((e) => e.data.type === "system"), 2000, "announcement");
      expect(carolStream.events.filter((e) => e.data.type === "dm").map((e) => e.data.message)).toEqual(["psst"]);
    } finally {
      carolStream.close();
    }
  });

  it("closes the user's streams on sign-out and on ban, each told why first (session-ended, without an id)", async () => {
    const dave = await joinAs(server, admin, "dave");
    const s = await notifications(dave);
    await until(() => s.events.length === 1, 2000, "connected");
    await api(server, "/api/session", { method: "DELETE", cookie: dave });
    await until(() => s.ended, 1000, "stream closed on sign-out");
    expect(s.events.slice(1)).toEqual([{ event: "session-ended", data: { reason: "signed_out" } }]);
    const erin = await joinAs(server, admin, "erin");
    const t = await notifications(erin);
    await until(() => t.events.length === 1, 2000, "connected");
    await api(server, "/api/admin/users/erin/deactivate", { method: "POST", cookie: admin });
    await until(() => t.ended, 1000, "stream closed on ban");
    expect(t.events.slice(1)).toEqual([{ event: "session-ended", data: { reason: "account_deactivated" } }]);
  });

  it("tells an admin's streams why when an admin resets their password, and says nothing of a lost role (the stream may come back)", async () => {
    const fumi = await joinAs(server, admin, "fumi");
    expect((await api(server, "/api/admin/users/fumi/promote", { method: "POST", cookie: admin })).status).toBe(200);
    const log = await openStream(`${server.url}/api/admin/logs/stream`, { cookie: fumi });
    await until(() => log.events.some((e) => e.data?.type === "connected"), 2000, "log connected");
    const s = await notifications(fumi);
    await until(() => s.events.length === 1, 2000, "connected");
    // The role taken: both streams end, without a reason (the session lives on).
    expect((await api(server, "/api/admin/users/fumi/demote", { method: "POST", cookie: admin })).status).toBe(200);
    await until(() => s.ended && log.ended, 1000, "streams closed on demotion");
    expect([...s.events, ...log.events].filter((e) => e.event === "session-ended")).toEqual([]);
    // A new password set by an admin ends every session of the account: its stream is told so.
    const again = await notifications(fumi);
    await until(() => again.events.length === 1, 2000, "connected again");
    expect((await api(server, "/api/admin/users/fumi/reset-password", { method: "POST", cookie: admin })).status).toBe(200);
    await until(() => again.ended, 1000, "stream closed on password reset");
    expect(again.events.slice(1)).toEqual([{ event: "session-ended", data: { reason: "password_reset" } }]);
  });

  it("leaves no listener or timer behind after 1000 open/close cycles", async () => {
    const listeners = server.bus.listenerCount();
    const timers = process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    // Four at a time (each opened, greeted and closed in turn): with a closed one the server has not yet
    // seen go, at most 8 are open, under MAX_SSE_STREAMS_PER_USER (10).
    const cycle = async () => {
      const s = await notifications(alice);
      // A hang guard, not a speed check: a loaded CI machine once took over 2 s for one greeting.
      await until(() => s.events.length === 1, 10_000, "connected");
      s.close();
    };
    await Promise.all(Array.from({ length: 4 }, async () => {
      for (let i = 0; i < 250; i++) await cycle();
    }));
    await until(() => server.streams.size === 0 && server.bus.listenerCount() === listeners, 5000, "cleanup");
    const after = process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    expect(after).toBeLessThanOrEqual(timers + 2);
  }, 120_000);
});

describe("GET /api/admin/logs/stream", () => {
  it("is 401 without credentials and 403 for a non-admin", async () => {
    expect((await openStream(`${server.url}/api/admin/logs/stream`)).status).toBe(401);
    expect((await openStream(`${server.url}/api/admin/logs/stream`, { cookie: alice })).status).toBe(403);
  });

  it("replays recent records and streams new ones as events named by level, with no secrets", async () => {
    const botToken = (await api(server, "/api/admin/bots", { body: { name: "logbot" }, cookie: admin })).body.token;
    await api(server, "/api/rooms/general/messages", { body: { text: "from the bot" }, headers: { authorization: `Bearer ${botToken}` } });
    await api(server, "/api/session", { body: { name: "alice", password: "a-secret-password-123" } });
    const s = await openStream(`${server.url}/api/admin/logs/stream`, { cookie: admin });
    try {
      await until(() => s.events.length > 5, 2000, "replayed records");
      // The greeting says the lowest level sent: the higher of LOG_LEVEL and LOG_STREAM_LEVEL (both info here).
      expect(s.events[0].data).toEqual({ type: "connected", level: "info" });
      const records = s.events.slice(1);
      for (const e of records) {
        expect(["info", "warn", "error", "debug"]).toContain(e.event);
        expect(e.data).toMatchObject({ id: e.id, level: e.event });
        expect(typeof e.data.message).toBe("string");
        expect(typeof e.data.timestamp).toBe("string");
      }
      expect(records.some((e) => e.data.module === "http" && typeof e.data.reqId === "string")).toBe(true);
      const before = s.events.length;
      server.log.warn({ module: "test" }, "something to watch");
      // Other records (a closed request's "request aborted") may arrive in between: find ours.
      const watched = () => s.events.slice(before).find((e) => e.data.message === "something to watch");
      await until(() => watched() !== undefined, 2000, "live record");
      expect(watched()).toMatchObject({ event: "warn", data: { message: "something to watch", module: "test" } });
      const all = JSON.stringify(s.events);
      expect(all).not.toContain(botToken);
      expect(all).not.toContain("a-secret-password-123");
      expect(all).not.toContain(admin.split("=")[1]);
    } finally {
      s.close();
    }
  });
});

describe("one event bus per process", () => {
  it("gives every copy of the registry module the same bus", () => {
    const { getRegistry } = require("../../lib/registry");
    let other: { getRegistry: () => { bus: unknown } } | undefined;
    jest.isolateModules(() => {
      other = require("../../lib/registry");
    });
    expect(other!.getRegistry).not.toBe(getRegistry);
    expect(other!.getRegistry().bus).toBe(server.bus);
    expect(getRegistry().bus).toBe(server.bus);
  });
});
