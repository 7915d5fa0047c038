import { Writable } from "node:stream";
import { createLogger } from "../../lib/log";
import { api, joinAs, setupAdmin } from "../helpers/http";
import { call, collect, connect, request, startTestServer, until, type TestServer } from "../helpers/server";

describe("first run, join link, sign-in and sign-out", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it("sets up the admin once, with an httpOnly SameSite=Lax session cookie and room general", async () => {
    expect((await api(server, "/api/session")).body).toMatchObject({ user: null, setupRequired: true });
    const weak = await api(server, "/api/setup", { body: { name: "root", password: "short" } });
    expect(weak.status).toBe(400);
    expect(weak.body.error.message).toMatch(/at least 8/);
    const res = await api(server, "/api/setup", { body: { name: "root", password: "a long enough password" } });
    expect(res.status).toBe(201);
    expect(res.body.user).toEqual({ id: expect.stringMatching(/^\d+$/), name: "root", admin: true, kind: "user" });
    expect(res.setCookie).toMatch(/HttpOnly/i);
    expect(res.setCookie).toMatch(/SameSite=Lax/i);
    expect(res.setCookie).not.toMatch(/Secure/i); // plain http here; Secure is set behind https
    const again = await api(server, "/api/setup", { body: { name: "other", password: "another password" } });
    expect(again.status).toBe(409);
    const s = await connect(server.url, {}, { extraHeaders: { cookie: res.cookie!, origin: server.url } });
    const rooms = await call(s, "list-rooms");
    expect(rooms.rooms.map((r: { name: string }) => r.name)).toContain("general");
    expect((await api(server, "/api/session", { cookie: res.cookie })).body).toMatchObject({ user: { id: res.body.user.id, name: "root" }, setupRequired: false });
  });

  it("lets a person join by link, refuses wrong and rotated codes", async () => {
    const admin = (await api(server, "/api/session", { body: { name: "root", password: "a long enough password" } })).cookie!;
    const { body } = await api(server, "/api/admin/join-code", { cookie: admin });
    expect(body.code.length).toBeGreaterThanOrEqual(12);
    expect(body.url).toBe(`${server.url}/join/${body.code}`);
    expect((await api(server, "/api/join/not-the-code", { body: { name: "eve", password: "password123" } })).status).toBe(404);
    const joined = await api(server, `/api/join/${body.code}`, { body: { name: "dana", password: "password123" } });
    expect(joined.status).toBe(201);
    expect(joined.cookie).toBeDefined();
    const taken = await api(server, `/api/join/${body.code}`, { body: { name: "DANA", password: "password123" } });
    expect(taken.status).toBe(409);
    const rotated = await api(server, "/api/admin/join-code", { method: "POST", cookie: admin });
    expect(rotated.body.code).not.toBe(body.code);
    expect((await api(server, `/api/join/${body.code}`, { body: { name: "late", password: "password123" } })).status).toBe(404);
  });

  it("answers a wrong name and a wrong password with the same 401", async () => {
    const wrongName = await api(server, "/api/session", { body: { name: "nobody", password: "a long enough password" } });
    const wrongPassword = await api(server, "/api/session", { body: { name: "root", password: "not the password" } });
    expect(wrongName.status).toBe(401);
    expect(wrongPassword.status).toBe(401);
    expect(wrongName.body).toEqual(wrongPassword.body);
  });

  it("closes the session's live sockets within a second on sign-out, and the cookie stops working", async () => {
    const cookie = (await api(server, "/api/session", { body: { name: "dana", password: "password123" } })).cookie!;
    const s = await connect(server.url, {}, { extraHeaders: { cookie, origin: server.url } });
    const gone = new Promise<string>((resolve) => s.once("disconnect", resolve));
    const started = Date.now();
    expect((await api(server, "/api/session", { method: "DELETE", cookie })).status).toBe(204);
    expect(await gone).toBe("io server disconnect");
    expect(Date.now() - started).toBeLessThan(1000);
    expect((await api(server, "/api/session", { cookie })).body.user).toBeNull();
    await expect(connect(server.url, {}, { extraHeaders: { cookie, origin: server.url } })).rejects.toThrow("unauthorized");
  });
});

describe("refusals", () => {
  let server: TestServer;
  let admin: string;
  let alice: string;
  let bob: string;
  let logs = "";
  beforeAll(async () => {
    const destination = new Writable({ write: (chunk, _enc, cb) => ((logs += chunk), cb()) });
    server = await startTestServer({ rateLimitMessages: 5, maxConnectionsPerUser: 3 }, { log: createLogger({ level: "debug", destination }) });
    admin = await setupAdmin(server);
    alice = await joinAs(server, admin, "alice");
    bob = await joinAs(server, admin, "bob");
  });
  afterAll(() => server.close());
  const as = (cookie: string, opts: Record<string, unknown> = {}) => connect(server.url, {}, { extraHeaders: { cookie, origin: server.url }, ...opts });

  it("refuses a handshake with no cookie, a forged cookie or an expired one", async () => {
    await expect(connect(server.url, {})).rejects.toThrow("unauthorized");
    await expect(connect(server.url, { name: "guesty" })).rejects.toThrow("unauthorized");
    await expect(as("hibiki_session=forged-token-value")).rejects.toThrow("unauthorized");
    const expiring = (await api(server, "/api/session", { body: { name: "bob", password: "password-bob" } })).cookie!;
    await server.db.query("update sessions set expires_at = now() - interval '1 minute' where expires_at > now() and renewed_at = (select max(renewed_at) from sessions)");
    await expect(as(expiring)).rejects.toThrow("unauthorized");
    expect((await api(server, "/api/session", { cookie: expiring })).body.user).toBeNull();
  });

  it("refuses a wrong bearer token even beside a valid session cookie, over HTTP and the handshake", async () => {
    const wrong = { cookie: alice, headers: { authorization: "Bearer wrong-token" } };
    expect((await api(server, "/api/search?q=deploy", wrong)).status).toBe(401);
    expect((await api(server, "/api/rooms/general/messages", { ...wrong, body: { text: "x" }, headers: { ...wrong.headers, origin: server.url } })).status).toBe(401);
    expect((await api(server, "/api/search?q=deploy", { cookie: alice, headers: { authorization: "Bearer" } })).status).toBe(401);
    await expect(connect(server.url, { token: "wrong-token" }, { extraHeaders: { cookie: alice, origin: server.url } })).rejects.toThrow("unauthorized");
    // The cookie alone still works: the refusal is the token's.
    expect((await api(server, "/api/search?q=deploy", { cookie: alice })).status).toBe(200);
  });

  it.each(["websocket", "polling"])("refuses a valid cookie from a foreign Origin over %s", async (transport) => {
    await expect(as(alice, { transports: [transport], extraHeaders: { cookie: alice, origin: "https://evil.example" } })).rejects.toThrow();
    const host = new URL(server.url).host;
    const ok = await as(alice, { transports: [transport], extraHeaders: { cookie: alice, origin: `http://${host}` } });
    expect(ok.connected).toBe(true);
  });

  it("refuses a state-changing API call from a foreign Origin", async () => {
    const res = await api(server, "/api/rooms/general/messages", { body: { text: "csrf" }, cookie: alice, headers: { origin: "https://evil.example" } });
    expect(res.status).toBe(403);
  });

  it("keeps non-members out of a private room: join, send, history, typing, listing", async () => {
    const a = await as(alice);
    const b = await as(bob);
    await call(a, "create-room", { name: "secret-plans", private: true });
    await call(a, "join-room", "secret-plans");
    await call(a, "send-message-to-room", { room: "secret-plans", message: "hidden" });
    const attempts = [
      await request(b, "join-room", "secret-plans"),
      await request(b, "send-message-to-room", { room: "secret-plans", message: "let me in" }),
      await request(b, "history", { room: "secret-plans" }),
      await request(b, "typing", { room: "secret-plans" }),
    ];
    for (const res of attempts) expect(res).toEqual({ ok: false, error: { code: "forbidden", message: "you are not a member of this room" } });
    const listed = await call(b, "list-rooms");
    expect(listed.rooms.map((r: { name: string }) => r.name)).not.toContain("secret-plans");
  });

  it("lets a member add someone, and stops their deliveries at once when removed", async () => {
    const a = await as(alice);
    const b = await as(bob);
    await call(a, "create-room", { name: "team", private: true });
    await call(a, "join-room", "team");
    expect(await request(b, "add-member", { room: "team", name: "bob" })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    const changed = collect(b, "rooms-changed");
    await call(a, "add-member", { room: "team", name: "bob" });
    await until(() => changed.length === 1, 2000, "rooms-changed");
    const join = await call(b, "join-room", "team");
    expect(join.members.map((m: { name: string }) => m.name).sort()).toEqual(["alice", "bob"]);
    const got = collect<{ text: string }>(b, "receive-message");
    await call(a, "send-message-to-room", { room: "team", message: "before" });
    await until(() => got.length === 1, 2000, "delivery to member");
    await call(a, "remove-member", { room: "team", name: "bob" });
    await call(a, "send-message-to-room", { room: "team", message: "after" });
    await new Promise((r) => setTimeout(r, 150));
    expect(got.map((m) => m.text)).toEqual(["before"]);
    expect(await request(b, "history", { room: "team" })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    // The joined-room shortcut for sends must not outlive the membership.
    expect(await request(b, "send-message-to-room", { room: "team", message: "still here?" })).toMatchObject({ ok: false, error: { code: "forbidden" } });
  });

  it("opens one DM per pair, reused from both sides, closed to others", async () => {
    const a = await as(alice);
    const b = await as(bob);
    const fromA = await call(a, "open-dm", { name: "bob" });
    const fromB = await call(b, "open-dm", { name: "alice" });
    expect(fromA.room.name).toBe(fromB.room.name);
    expect(fromA.room).toMatchObject({ kind: "dm", title: "bob" });
    expect(fromB.room.title).toBe("alice");
    await call(a, "join-room", fromA.room.name);
    await call(a, "send-message-to-room", { room: fromA.room.name, message: "just us" });
    const adminSocket = await as(admin);
    expect(await request(adminSocket, "history", { room: fromA.room.name })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await request(adminSocket, "join-room", fromA.room.name)).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await request(a, "create-room", { name: "dm:1:2" })).toMatchObject({ ok: false, error: { code: "bad_request" } });
  });

  it("limits one user's message rate without touching another's", async () => {
    const carol = await joinAs(server, admin, "carol");
    const dave = await joinAs(server, admin, "dave");
    const c = await as(carol);
    const d = await as(dave);
    const results = [];
    for (let i = 0; i < 6; i++) results.push(await request(c, "send-message-to-room", { room: "general", message: `spam ${i}` }));
    expect(results.slice(0, 5).every((r) => r.ok)).toBe(true);
    expect(results[5]).toMatchObject({ ok: false, error: { code: "rate_limited" } });
    expect(await request(d, "send-message-to-room", { room: "general", message: "unaffected" })).toMatchObject({ ok: true });
  });

  it("caps live connections per user", async () => {
    const erin = await joinAs(server, admin, "erin");
    await Promise.all([as(erin), as(erin), as(erin)]);
    await expect(as(erin)).rejects.toThrow(/too many connections/);
  });

  it("posts as a bot with a bearer token, refuses tokens in the query string, and never logs them", async () => {
    const created = await api(server, "/api/admin/bots", { body: { name: "deploybot" }, cookie: admin });
    expect(created.status).toBe(201);
    const token = created.body.token as string;
    expect(await server.db.query("select 1 from api_tokens where token_hash = $1", [token])).toHaveLength(0);
    const watcher = await as(alice);
    await call(watcher, "join-room", "general");
    const got = collect<{ author: string; text: string }>(watcher, "receive-message");
    const posted = await api(server, "/api/rooms/general/messages", { body: { text: "build passed" }, headers: { authorization: `Bearer ${token}` } });
    expect(posted.status).toBe(201);
    expect(posted.body.message).toMatchObject({ author: "deploybot", text: "build passed", room: "general" });
    await until(() => got.some((m) => m.author === "deploybot"), 2000, "bot message delivered");
    const inQuery = await api(server, `/api/rooms/general/messages?token=${token}`, { body: { text: "leaky" } });
    expect(inQuery.status).toBe(400);
    expect(inQuery.body.error.message).toMatch(/query string/);
    expect((await api(server, "/api/rooms/general/messages", { body: { text: "x" }, headers: { authorization: "Bearer wrong" } })).status).toBe(401);
    await expect(connect(server.url + `?token=${token}`, {})).rejects.toThrow();
    const bot = await connect(server.url, { token });
    expect((await call(bot, "send-message-to-room", { room: "general", message: "over socket" })).message.author).toBe("deploybot");
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).not.toContain(token);
    expect(logs).not.toContain(alice.split("=")[1]);
  });

  it("gives a bot a new token in place of a leaked one: the old one stops at once (its sockets close, a reactivation does not bring it back), the bot keeps its name", async () => {
    const created = await api(server, "/api/admin/bots", { body: { name: "leakybot" }, cookie: admin });
    const old = created.body.token as string;
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    const post = (token: string, text: string) => api(server, "/api/rooms/general/messages", { body: { text }, headers: bearer(token) });
    expect((await post(old, "before")).status).toBe(201);
    const live = await connect(server.url, { token: old });
    // A second connection, so the identity is cached (the handshake's cache) before the rotation.
    const second = await connect(server.url, { token: old });
    second.disconnect();
    const gone = new Promise<string>((resolve) => live.once("disconnect", resolve));
    // Not for anyone but an admin, and not for a person's account.
    expect((await api(server, "/api/admin/users/leakybot/reset-token", { method: "POST", cookie: alice })).status).toBe(403);
    expect(await api(server, "/api/admin/users/alice/reset-token", { method: "POST", cookie: admin })).toMatchObject({ status: 404, body: { error: { reason: "no_such_account" } } });
    const rotated = await api(server, "/api/admin/users/leakybot/reset-token", { method: "POST", cookie: admin });
    expect(rotated).toMatchObject({ status: 200, body: { user: { name: "leakybot", kind: "bot" }, token: expect.stringMatching(/^hbk_/) } });
    const fresh = rotated.body.token as string;
    expect(fresh).not.toBe(old);
    await gone;
    expect((await post(old, "after")).status).toBe(401);
    await expect(connect(server.url, { token: old })).rejects.toThrow("unauthorized");
    expect((await post(fresh, "with the new one")).body.message).toMatchObject({ author: "leakybot" });
    // Deactivated and reactivated: still the new token only.
    await api(server, "/api/admin/users/leakybot/deactivate", { method: "POST", cookie: admin });
    await api(server, "/api/admin/users/leakybot/activate", { method: "POST", cookie: admin });
    expect((await post(old, "back?")).status).toBe(401);
    expect((await post(fresh, "still here")).status).toBe(201);
    expect(logs).not.toContain(fresh);
  });

  it("closes a banned user's live sockets within a second and refuses their next request", async () => {
    const frank = await joinAs(server, admin, "frank");
    const s = await as(frank);
    const gone = new Promise<string>((resolve) => s.once("disconnect", resolve));
    const started = Date.now();
    const res = await api(server, "/api/admin/users/frank/deactivate", { method: "POST", cookie: admin });
    expect(res.body.user.deactivated).toBe(true);
    await gone;
    expect(Date.now() - started).toBeLessThan(1000);
    expect((await api(server, "/api/rooms/general/messages", { body: { text: "banned?" }, cookie: frank })).status).toBe(401);
    await expect(as(frank)).rejects.toThrow("unauthorized");
    const signIn = (password: string) => api(server, "/api/session", { body: { name: "frank", password } }).then((r) => ({ status: r.status, reason: r.body.error?.reason }));
    // The same answer whatever the password (an outside trial: 403 for the right one and 401 for a wrong
    // one told a guesser when a guess of a banned account's password was right).
    for (const password of ["password-frank", "wrong-password", "password-frankk", "x"]) {
      expect(await signIn(password)).toEqual({ status: 403, reason: "account_deactivated" });
    }
    expect((await api(server, "/api/admin/users", { cookie: alice })).status).toBe(403);
  });
});

describe("guests", () => {
  it("with GUEST_ACCESS=true use public rooms but cannot take an account's name, open DMs or private rooms", async () => {
    const server = await startTestServer({ guestAccess: true });
    try {
      const admin = await setupAdmin(server, "owner");
      await joinAs(server, admin, "alice");
      await expect(connect(server.url, { name: "Alice" })).rejects.toThrow("name is already taken by an account");
      const guest = await connect(server.url, { name: "visitor" });
      expect((await call(guest, "join-room", "general")).room.name).toBe("general");
      expect(await request(guest, "open-dm", { name: "alice" })).toMatchObject({ ok: false, error: { code: "forbidden" } });
      expect(await request(guest, "create-room", { name: "guest-private", private: true })).toMatchObject({ ok: false, error: { code: "forbidden" } });
      const owner = await connect(server.url, {}, { extraHeaders: { cookie: admin, origin: server.url } });
      await call(owner, "create-room", { name: "staff", private: true });
      expect(await request(owner, "add-member", { room: "staff", name: "visitor" })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    } finally {
      await server.close();
    }
  });

  it("are refused once accounts exist when GUEST_ACCESS is unset, until an admin turns guests on", async () => {
    const server = await startTestServer();
    try {
      expect((await connect(server.url, { name: "early" })).connected).toBe(true);
      const admin = await setupAdmin(server);
      await expect(connect(server.url, { name: "late" })).rejects.toThrow("unauthorized");
      expect((await api(server, "/api/admin/settings", { method: "PUT", body: { guestAccess: true }, cookie: admin })).body).toEqual({ guestAccess: true });
      expect((await connect(server.url, { name: "late" })).connected).toBe(true);
    } finally {
      await server.close();
    }
  });
});
