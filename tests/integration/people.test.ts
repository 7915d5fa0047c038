/**
 * `GET /api/users?q=`: the names "New message" suggests. Who a direct message can be opened with, by the
 * start of their name (case and look-alikes folded), never guests, deactivated accounts or the caller.
 */
import { parseLimitOverrides } from "@/lib/limits";
import { api, joinAs, setupAdmin } from "../helpers/http";
import { call, connect, startTestServer, type TestServer } from "../helpers/server";

let server: TestServer;
afterEach(() => server.close());

const names = async (cookie: string | undefined, q?: string, headers?: Record<string, string>) => {
  const res = await api(server, q === undefined ? "/api/users" : `/api/users?q=${encodeURIComponent(q)}`, { cookie, headers });
  expect(res.status).toBe(200);
  return (res.body.users as { name: string; kind: string }[]).map((u) => u.name);
};

describe("GET /api/users", () => {
  it("suggests accounts and bots by the start of their name, folding case and look-alikes, and not the caller", async () => {
    server = await startTestServer({ guestAccess: true });
    const admin = await setupAdmin(server, "root");
    const alice = await joinAs(server, admin, "Alice");
    await joinAs(server, admin, "alfred");
    await joinAs(server, admin, "bob");
    await joinAs(server, admin, "Mallory");
    const bot = await api(server, "/api/admin/bots", { cookie: admin, body: { name: "alert-bot" } });
    expect(bot.status).toBe(201);
    // A guest who spoke under a name that starts the same: never offered.
    expect((await api(server, "/api/admin/settings", { method: "PUT", body: { guestAccess: true }, cookie: admin })).status).toBe(200);
    const guest = await connect(server.url, { name: "alan-guest" });
    await call(guest, "join-room", "general");
    // Mallory is deactivated: not offered either.
    expect((await api(server, "/api/admin/users/Mallory/deactivate", { method: "POST", cookie: admin })).status).toBe(200);

    expect(await names(admin, "al")).toEqual(["alert-bot", "alfred", "Alice"]);
    expect(await names(admin, "AL")).toEqual(["alert-bot", "alfred", "Alice"]);
    // Cyrillic "а" and fullwidth letters look like "al": the same names.
    expect(await names(admin, "\u0430l")).toEqual(["alert-bot", "alfred", "Alice"]);
    expect(await names(admin, "ＡＬＩ")).toEqual(["Alice"]);
    expect(await names(admin, " ali ")).toEqual(["Alice"]);
    // The caller is left out; nobody else matches.
    expect(await names(alice, "ali")).toEqual([]);
    expect(await names(admin, "mal")).toEqual([]);
    expect(await names(admin, "zzz")).toEqual([]);
    // No query: the first names, at most 8, never the caller, a guest or a deactivated account.
    expect(await names(admin)).toEqual(["alert-bot", "alfred", "Alice", "bob"]);
    // A bot asks with its token.
    expect(await names(undefined, "b", { authorization: `Bearer ${bot.body.token}` })).toEqual(["bob"]);
  });

  it("treats query syntax as text, refuses a query longer than a name, and answers at most 8", async () => {
    server = await startTestServer();
    const admin = await setupAdmin(server, "root");
    for (let i = 0; i < 10; i++) await joinAs(server, admin, `user${i}`);
    expect(await names(admin, "user")).toEqual(["user0", "user1", "user2", "user3", "user4", "user5", "user6", "user7"]);
    for (const q of ["%", "_", "u%", "user_", "'", "\\", "\u0000", "🙂"]) expect({ q, names: await names(admin, q) }).toEqual({ q, names: [] });
    // Invisible characters are no part of a name (UTS #39 skeletons drop them), so not of its start either.
    expect(await names(admin, "user\u200b9")).toEqual(["user9"]);
    const long = await api(server, `/api/users?q=${"a".repeat(65)}`, { cookie: admin });
    expect(long).toMatchObject({ status: 400, body: { error: { code: "bad_request" } } });
    const twice = await api(server, "/api/users?q=a&q=b", { cookie: admin });
    expect(twice.status).toBe(400);
  });

  it("needs an account or a bot token, and is rate-limited per user", async () => {
    server = await startTestServer({ rateLimits: parseLimitOverrides("people-lookup=3/60") });
    const admin = await setupAdmin(server, "root");
    expect((await api(server, "/api/users?q=r")).status).toBe(401);
    for (let i = 0; i < 3; i++) expect((await api(server, "/api/users?q=r", { cookie: admin })).status).toBe(200);
    const refused = await api(server, "/api/users?q=r", { cookie: admin });
    expect(refused).toMatchObject({ status: 429, body: { error: { code: "rate_limited" } } });
  });
});
