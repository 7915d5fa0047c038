import { api, joinAs, setupAdmin } from "../helpers/http";
import { call, connect, request, startTestServer, until, type TestServer } from "../helpers/server";
import { openStream } from "../helpers/sse";
import { parseLimitOverrides } from "../../lib/limits";

// The default limiter table throughout, except where a test sets RATE_LIMITS to check the override.
let server: TestServer;
let admin: string;
let alice: string;
beforeAll(async () => {
  server = await startTestServer();
  admin = await setupAdmin(server);
  alice = await joinAs(server, admin, "alice");
});
afterAll(() => server.close());

const as = (cookie: string) => connect(server.url, {}, { extraHeaders: { cookie } });

/** Repeats `attempt` until it is refused; returns how many were allowed and the refusal. */
async function untilRefused<T>(attempt: (i: number) => Promise<T>, refused: (r: T) => boolean, max = 200) {
  for (let i = 0; i < max; i++) {
    const r = await attempt(i);
    if (refused(r)) return { allowed: i, refusal: r };
  }
  throw new Error(`never refused after ${max} attempts`);
}

describe("the limiter table over Socket.IO", () => {
  it.each([
    ["create-room", 20, (i: number) => ({ name: `flood-${i}` })],
    ["open-dm", 30, (_i: number, other: string) => ({ name: other })],
  ] as const)("answers the %s flood rate_limited with retryAfter after %i, for that user only", async (event, allowed, payload) => {
    const s = await as(alice);
    const { allowed: n, refusal } = await untilRefused(
      (i) => request(s, event, payload(i, "admin")),
      (r) => !r.ok,
    );
    expect(n).toBe(allowed);
    expect(refusal).toMatchObject({ ok: false, error: { code: "rate_limited", message: expect.stringMatching(/try again in \d+ s/) } });
    expect(!refusal.ok && refusal.error.retryAfter).toBeGreaterThan(0);
    // Another user is untouched.
    const other = await as(admin);
    expect((await request(other, event, payload(1000, "alice"))).ok).toBe(true);
  });

  it("limits edits, deletions and reactions together (the changes row), for that user only", async () => {
    // In #general, which exists: joining an unknown name would spend create-room points (flooded above).
    const s = await as(alice);
    await call(s, "join-room", "general");
    const { message } = await call(s, "send-message-to-room", { room: "general", message: "react to me" });
    const first = await call(s, "react", { room: "general", id: message.id, emoji: "👍" });
    const emoji = ["🎉", "👍"];
    // Toggling reactions and editing: every one of them is a change.
    const { allowed, refusal } = await untilRefused(
      (i) => (i % 3 === 2 ? request(s, "edit-message", { room: "general", id: message.id, message: `edit ${i}` }) : request(s, "react", { room: "general", id: message.id, emoji: emoji[i % 3] })),
      (r) => !r.ok,
    );
    expect(allowed).toBe(59);
    expect(refusal).toMatchObject({ ok: false, error: { code: "rate_limited", message: expect.stringMatching(/edits, deletions and reactions/) } });
    expect(!refusal.ok && refusal.error.retryAfter).toBeGreaterThan(0);
    expect(await request(s, "delete-message", { room: "general", id: message.id })).toMatchObject({ ok: false, error: { code: "rate_limited" } });
    // Someone else reacts as usual, and the ack places the change in the room's change order: after the
    // first reaction and the 59 changes since.
    const other = await as(admin);
    await call(other, "join-room", "general");
    const reacted = await request(other, "react", { room: "general", id: message.id, emoji: "🚀" });
    expect(reacted).toMatchObject({ ok: true, data: { changeId: expect.any(String), changeSeq: first.changeSeq + 60 } });
  });

  it("limits add-member per user", async () => {
    const owner = await as(admin);
    await call(owner, "create-room", { name: "members-flood", private: true });
    const { allowed, refusal } = await untilRefused(
      () => request(owner, "add-member", { room: "members-flood", name: "alice" }),
      (r) => !r.ok,
    );
    expect(allowed).toBe(60);
    expect(refusal).toMatchObject({ ok: false, error: { code: "rate_limited" } });
  });

  it("limits remove-member per user, removals that change nothing included", async () => {
    const owner = await as(admin);
    await call(owner, "create-room", { name: "removals-flood", private: true });
    const { allowed, refusal } = await untilRefused(
      () => request(owner, "remove-member", { room: "removals-flood", name: "alice" }),
      (r) => !r.ok,
    );
    expect(allowed).toBe(60);
    expect(refusal).toMatchObject({ ok: false, error: { code: "rate_limited", message: expect.stringMatching(/members removed/) } });
  });

  it("limits list-rooms per user (the room-lists row), for that user only", async () => {
    const s = await as(alice);
    const { allowed, refusal } = await untilRefused(
      () => request(s, "list-rooms"),
      (r) => !r.ok,
      1000,
    );
    expect(allowed).toBe(600);
    expect(refusal).toMatchObject({ ok: false, error: { code: "rate_limited", message: expect.stringMatching(/room list requests/) } });
    expect(!refusal.ok && refusal.error.retryAfter).toBeGreaterThan(0);
    expect((await request(await as(admin), "list-rooms")).ok).toBe(true);
  });
});

describe("guests", () => {
  let guests: TestServer;
  beforeAll(async () => {
    guests = await startTestServer({ guestAccess: true, trustProxy: "loopback" });
  });
  afterAll(() => guests.close());

  it("count against their client address, not their name: a new name is not a new budget", async () => {
    // One client as guests under ever new names: the create-room row (20 a minute) holds for all of them.
    const { allowed, refusal } = await untilRefused(async (i) => {
      const guest = await connect(guests.url, { name: `flooder-${i}` });
      const made = await request(guest, "create-room", { name: `guest-flood-${i}` });
      guest.disconnect();
      return made;
    }, (r) => !r.ok);
    expect(allowed).toBe(20);
    expect(refusal).toMatchObject({ ok: false, error: { code: "rate_limited" } });
    // join-room of a new name creates a room too, and takes from the same budget; so do messages.
    const another = await connect(guests.url, { name: "one-more-name" });
    expect(await request(another, "join-room", "guest-flood-by-join")).toMatchObject({ ok: false, error: { code: "rate_limited" } });
    const sent = await untilRefused((i) => request(another, "message", `lobby ${i}`), (r) => !r.ok);
    const renamed = await connect(guests.url, { name: "yet-another-name" });
    expect(await request(renamed, "message", "still me")).toMatchObject({ ok: false, error: { code: "rate_limited" } });
    expect(sent.allowed).toBe(30);
    // A guest at another address (X-Forwarded-For from the trusted loopback proxy) has its own budget.
    const elsewhere = await connect(guests.url, { name: "from-elsewhere" }, { extraHeaders: { "x-forwarded-for": "203.0.113.9" } });
    expect((await call(elsewhere, "create-room", { name: "guest-elsewhere" })).room.name).toBe("guest-elsewhere");
  });
});

describe("the limiter table over HTTP", () => {
  it("answers a join-link account flood from one address 429 with Retry-After after 20, not other addresses", async () => {
    const { body } = await api(server, "/api/admin/join-code", { cookie: admin });
    const join = (name: string, ip: string) =>
      api(server, `/api/join/${body.code}`, { body: { name, password: "password-" + name }, headers: { "x-forwarded-for": ip } });
    const { allowed, refusal } = await untilRefused((i) => join(`flood${i}`, "203.0.113.50"), (r) => r.status !== 201);
    expect(allowed).toBe(20);
    expect(refusal.status).toBe(429);
    expect(refusal.body.error).toMatchObject({ code: "rate_limited", retryAfter: expect.any(Number) });
    expect(Number(refusal.headers.get("retry-after"))).toBe(refusal.body.error.retryAfter);
    expect((await join("elsewhere", "203.0.113.51")).status).toBe(201);
  }, 60_000);

  it.each([
    ["bot creation", "create-bot", 10, (i: number) => ({ path: "/api/admin/bots", body: { name: `bot${i}` } })],
    ["announcements", "announce", 10, (i: number) => ({ path: "/api/admin/announcements", body: { message: `notice ${i}` } })],
    ["join-code rotation", "rotate-join-code", 10, () => ({ path: "/api/admin/join-code", body: {} })],
  ] as const)("limits %s per admin", async (_what, _row, allowed, req) => {
    const { allowed: n, refusal } = await untilRefused(
      (i) => api(server, req(i).path, { method: "POST", body: req(i).body, cookie: admin }),
      (r) => r.status === 429,
    );
    expect(n).toBe(allowed);
    expect(refusal.headers.get("retry-after")).toMatch(/^\d+$/);
  });

  it("limits notification setting changes per user (the preferences row), both kinds together, for that user only", async () => {
    const level = (cookie: string, i: number) =>
      api(server, "/api/rooms/general/notifications", { method: "PUT", body: { level: ["all", "mentions", "none"][i % 3] }, cookie });
    const pushSettings = (cookie: string, i: number) => api(server, "/api/push/settings", { method: "PUT", body: { whenHidden: i % 2 === 0 }, cookie });
    const { allowed, refusal } = await untilRefused((i) => (i % 2 === 0 ? level(alice, i) : pushSettings(alice, i)), (r) => r.status === 429);
    expect(allowed).toBe(60);
    expect(refusal.body.error).toMatchObject({ code: "rate_limited", retryAfter: expect.any(Number) });
    expect(refusal.headers.get("retry-after")).toMatch(/^\d+$/);
    expect((await level(alice, 0)).status).toBe(429);
    expect((await level(admin, 0)).status).toBe(200);
    expect((await pushSettings(admin, 0)).status).toBe(200);
  });

  it("limits setup attempts per address", async () => {
    const fresh = await startTestServer();
    try {
      const { allowed, refusal } = await untilRefused(
        () => api(fresh, "/api/setup", { body: { name: "", password: "" }, headers: { "x-forwarded-for": "198.51.100.1" } }),
        (r) => r.status === 429,
      );
      expect(allowed).toBe(10);
      expect(refusal.headers.get("retry-after")).toMatch(/^\d+$/);
    } finally {
      await fresh.close();
    }
  });

  it("takes RATE_LIMITS overrides, and 0 turns a row off", async () => {
    const tuned = await startTestServer({ rateLimits: parseLimitOverrides("create-room=2/60,open-dm=0") });
    try {
      const adminCookie = await setupAdmin(tuned);
      const owner = await connect(tuned.url, {}, { extraHeaders: { cookie: adminCookie } });
      await call(owner, "create-room", { name: "one" });
      await call(owner, "create-room", { name: "two" });
      expect(await request(owner, "create-room", { name: "three" })).toMatchObject({ ok: false, error: { code: "rate_limited" } });
      await joinAs(tuned, adminCookie, "peer");
      for (let i = 0; i < 40; i++) await call(owner, "open-dm", { name: "peer" });
    } finally {
      await tuned.close();
    }
  }, 60_000);
});

describe("rooms a day", () => {
  it("refuses new rooms past the create-room-daily row, by create-room and by joining a new name alike, for that user only", async () => {
    // Default rows but the day's, made small: every public room is in everyone's room list for good.
    const tuned = await startTestServer({ rateLimits: parseLimitOverrides("create-room-daily=3/86400") });
    try {
      const adminCookie = await setupAdmin(tuned);
      const peer = await joinAs(tuned, adminCookie, "peer");
      const owner = await connect(tuned.url, {}, { extraHeaders: { cookie: peer } });
      await call(owner, "create-room", { name: "day-1" });
      await call(owner, "join-room", "day-2");
      await call(owner, "create-room", { name: "day-3", private: true });
      const refusals = [await request(owner, "create-room", { name: "day-4" }), await request(owner, "join-room", "day-5")];
      for (const r of refusals) {
        expect(r).toMatchObject({ ok: false, error: { code: "rate_limited", message: expect.stringMatching(/new rooms today/) } });
        expect(!r.ok && r.error.retryAfter).toBeGreaterThan(3600);
      }
      // Joining rooms that exist costs nothing; another user has a day of their own.
      await call(owner, "join-room", "day-1");
      const other = await connect(tuned.url, {}, { extraHeaders: { cookie: adminCookie } });
      await call(other, "create-room", { name: "day-6" });
    } finally {
      await tuned.close();
    }
  }, 60_000);
});

describe("Server-Sent Event streams per user", () => {
  it("caps one user's open streams (429) without touching another user's, and frees a slot on close", async () => {
    const url = `${server.url}/api/notifications/stream`;
    const open = [];
    for (let i = 0; i < 10; i++) open.push(await openStream(url, { cookie: alice }));
    try {
      expect(open.map((s) => s.status)).toEqual(Array(10).fill(200));
      const over = await openStream(url, { cookie: alice });
      expect(over.status).toBe(429);
      expect(over.body.error.code).toBe("rate_limited");
      const theirs = await openStream(url, { cookie: admin });
      expect(theirs.status).toBe(200);
      theirs.close();
      open.pop()!.close();
      await until(async () => {
        const again = await openStream(url, { cookie: alice });
        again.close();
        return again.status === 200;
      }, 5000, "a slot after closing a stream");
    } finally {
      for (const s of open) s.close();
    }
  });
});
