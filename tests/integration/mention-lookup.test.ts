/**
 * `GET /api/users/mentions?names=`: which mentioned names are people a mention notifies, matched as the
 * notifier matches them (so the client highlights exactly what notifies), for accounts, bots and guests.
 */
import { parseLimitOverrides } from "@/lib/limits";
import { api, joinAs, setupAdmin } from "../helpers/http";
import { call, connect, startTestServer, until, type TestServer } from "../helpers/server";
import { openStream } from "../helpers/sse";

let server: TestServer;
afterEach(() => server.close());

const lookup = (names: string[], opts: { cookie?: string; headers?: Record<string, string> } = {}) =>
  api(server, `/api/users/mentions?names=${names.map(encodeURIComponent).join(",")}`, opts);

const found = async (names: string[], cookie?: string) => {
  const res = await lookup(names, { cookie });
  expect(res.status).toBe(200);
  return (res.body.users as { mention: string; name: string }[]).sort((a, b) => a.mention.localeCompare(b.mention));
};

describe("GET /api/users/mentions", () => {
  it("lists the names that are active accounts, folded as mentions are, and no one else", async () => {
    server = await startTestServer({ guestAccess: true, linkPreviews: false });
    const admin = await setupAdmin(server, "root");
    const alice = await joinAs(server, admin, "Alice");
    await joinAs(server, admin, "bob");
    await joinAs(server, admin, "Mallory");
    expect((await api(server, "/api/admin/bots", { cookie: admin, body: { name: "alert-bot" } })).status).toBe(201);
    const guest = await connect(server.url, { name: "alan-guest" });
    await call(guest, "join-room", "general");
    expect((await api(server, "/api/admin/users/Mallory/deactivate", { method: "POST", cookie: admin })).status).toBe(200);

    const asked = ["alice", "ALICE", "ＡＬＩＣＥ", "\u0430lice", "bob", "root", "nobody", "alert-bot", "alan-guest", "Mallory", "room", "all", "everyone", "here"];
    expect(await found(asked, admin)).toEqual(
      [
        { mention: "alice", name: "Alice" },
        { mention: "ALICE", name: "Alice" },
        { mention: "ＡＬＩＣＥ", name: "Alice" },
        { mention: "\u0430lice", name: "Alice" },
        { mention: "bob", name: "bob" },
        { mention: "root", name: "root" },
      ].sort((a, b) => a.mention.localeCompare(b.mention)),
    );

    // What it confirms is what notifies: a message mentioning the same spelling notifies Alice.
    const stream = await openStream(`${server.url}/api/notifications/stream`, { cookie: alice });
    try {
      await until(() => stream.events.length >= 1, 5000, "connected");
      const a = await connect(server.url, {}, { extraHeaders: { cookie: admin } });
      await call(a, "join-room", "general");
      await call(a, "send-message-to-room", { room: "general", message: "ping @\u0430lice and @nobody" });
      await until(() => stream.events.length >= 2, 5000, "the mention");
      expect(stream.events[1].data).toMatchObject({ type: "mention", from: "root", message: "ping @\u0430lice and @nobody" });
    } finally {
      stream.close();
    }
  });

  it("refuses a missing, repeated or empty name list, more than 100 names and names longer than 64 characters", async () => {
    server = await startTestServer({ linkPreviews: false });
    const admin = await setupAdmin(server, "root");
    const hundred = Array.from({ length: 100 }, (_, i) => `user${i}`);
    expect(await found(hundred, admin)).toEqual([]);
    expect(await found(["root", "root"], admin)).toEqual([{ mention: "root", name: "root" }]);
    for (const path of [
      "/api/users/mentions",
      "/api/users/mentions?names=",
      "/api/users/mentions?names=a,,b",
      "/api/users/mentions?names=a&names=b",
      `/api/users/mentions?names=${[...hundred, "one-more"].join(",")}`,
      `/api/users/mentions?names=${"a".repeat(65)}`,
    ]) {
      const res = await api(server, path, { cookie: admin });
      expect({ path, status: res.status, code: res.body?.error?.code }).toEqual({ path, status: 400, code: "bad_request" });
    }
    // Query syntax is text.
    expect(await found(["%", "_", "r%", "'"], admin)).toEqual([]);
  });

  it("answers accounts, bots and, while guest access is on, guests; and is rate-limited", async () => {
    server = await startTestServer({ rateLimits: parseLimitOverrides("mention-lookup=3/60"), linkPreviews: false });
    const admin = await setupAdmin(server, "root");
    const bot = await api(server, "/api/admin/bots", { cookie: admin, body: { name: "helper-bot" } });
    // Guest access is off: a request without credentials is nobody's.
    expect((await lookup(["root"])).status).toBe(401);
    // A token that does not resolve is refused, never taken for a guest.
    expect((await lookup(["root"], { headers: { authorization: "Bearer nope" } })).status).toBe(401);
    expect((await lookup(["root"], { headers: { authorization: `Bearer ${bot.body.token}` } })).body).toEqual({ users: [{ mention: "root", name: "root" }] });
    expect((await api(server, "/api/admin/settings", { method: "PUT", body: { guestAccess: true }, cookie: admin })).status).toBe(200);
    expect((await lookup(["root"])).body).toEqual({ users: [{ mention: "root", name: "root" }] });

    for (let i = 0; i < 3; i++) expect((await lookup(["root"], { cookie: admin })).status).toBe(200);
    expect(await lookup(["root"], { cookie: admin })).toMatchObject({ status: 429, body: { error: { code: "rate_limited" } } });
  });
});
