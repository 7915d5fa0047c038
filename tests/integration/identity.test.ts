import { io as ioClient, type Socket } from "socket.io-client";
import { api, joinAs, setupAdmin } from "../helpers/http";
import { call, collect, connect, startTestServer, until } from "../helpers/server";
import { openStream } from "../helpers/sse";

// Each test boots its own server (fresh install, or a different guest setting).
jest.setTimeout(90_000);

const disconnected = (s: Socket) => new Promise<string>((resolve) => s.once("disconnect", resolve));
const cookieClient = (url: string, cookie: string) => connect(url, {}, { extraHeaders: { cookie, origin: url } });

describe("a guest identity never turns into an account's", () => {
  it("closes the guest `root` when setup makes `root` the admin, and the guest never acts as the admin", async () => {
    const server = await startTestServer(); // fresh install: guests allowed until setup
    try {
      const guest = await connect(server.url, { name: "root" });
      await call(guest, "join-room", "lobby-talk");
      await call(guest, "send-message-to-room", { room: "lobby-talk", message: "said as a guest" });
      const gone = disconnected(guest);
      const setup = await api(server, "/api/setup", { body: { name: "root", password: "a long enough password" } });
      expect(setup.status).toBe(201);
      expect(await gone).toBe("io server disconnect");
      // The admin's own connection works, owns its private rooms, and the guest's words keep their name.
      const admin = await cookieClient(server.url, setup.cookie!);
      await call(admin, "create-room", { name: "admins-only", private: true });
      const history = await call(admin, "history", { room: "lobby-talk" });
      expect(history.messages.map((m: { author: string; text: string }) => [m.author, m.text])).toEqual([["root", "said as a guest"]]);
      // The guest cannot come back as `root`; nor as a guest at all (guest access ended with setup).
      await expect(connect(server.url, { name: "root" })).rejects.toThrow();
      await expect(connect(server.url, { name: "someone" })).rejects.toThrow("unauthorized");
    } finally {
      await server.close();
    }
  });

  it("closes every guest connection at setup when guest access ends with it", async () => {
    const server = await startTestServer();
    try {
      const visitor = await connect(server.url, { name: "visitor" });
      const gone = disconnected(visitor);
      await setupAdmin(server);
      expect(await gone).toBe("io server disconnect");
    } finally {
      await server.close();
    }
  });

  it("closes the guest `dana` when `dana` joins by link while guest access is on; other guests stay", async () => {
    const server = await startTestServer({ guestAccess: true });
    try {
      const admin = await setupAdmin(server);
      const guestDana = await connect(server.url, { name: "dana" });
      const other = await connect(server.url, { name: "other" });
      await call(guestDana, "join-room", "general");
      const gone = disconnected(guestDana);
      const dana = await joinAs(server, admin, "dana");
      expect(await gone).toBe("io server disconnect");
      const account = await cookieClient(server.url, dana);
      expect((await call(account, "join-room", "general")).room.name).toBe("general");
      // The account is a new identity: the old guest's connection was not it, and the guest is refused now.
      await expect(connect(server.url, { name: "dana" })).rejects.toThrow("name is already taken by an account");
      // Positive control: the other guest is still connected and can post.
      expect(other.connected).toBe(true);
      expect((await call(other, "send-message-to-room", { room: "general", message: "still here" })).message.author).toBe("other");
      // The account is listed once, as an account.
      const users = (await api(server, "/api/admin/users", { cookie: admin })).body.users;
      expect(users.filter((u: { name: string }) => u.name === "dana")).toEqual([{ name: "dana", kind: "user", admin: false, deactivated: false }]);
    } finally {
      await server.close();
    }
  });
});

describe("switching guest access off", () => {
  it("disconnects every live guest at once; accounts stay and guests cannot send or come back", async () => {
    const server = await startTestServer();
    try {
      const admin = await setupAdmin(server);
      expect((await api(server, "/api/admin/settings", { method: "PUT", body: { guestAccess: true }, cookie: admin })).status).toBe(200);
      const alice = await cookieClient(server.url, await joinAs(server, admin, "alice"));
      await call(alice, "join-room", "general");
      const guests = await Promise.all(["g1", "g2"].map((name) => connect(server.url, { name })));
      for (const g of guests) await call(g, "join-room", "general");
      const gone = guests.map(disconnected);
      const got = collect<{ text: string }>(alice, "receive-message");
      expect((await api(server, "/api/admin/settings", { method: "PUT", body: { guestAccess: false }, cookie: admin })).status).toBe(200);
      expect(await Promise.all(gone)).toEqual(["io server disconnect", "io server disconnect"]);
      await expect(connect(server.url, { name: "g1" })).rejects.toThrow("unauthorized");
      // Positive control: the account's connection was untouched.
      await call(alice, "send-message-to-room", { room: "general", message: "accounts stay" });
      await until(() => got.some((m) => m.text === "accounts stay"), 2000, "account still delivered");
      expect(got.map((m) => m.text)).toEqual(["accounts stay"]);
    } finally {
      await server.close();
    }
  });
});

describe("sliding sessions", () => {
  it("re-issues the cookie with the new expiry when a request renews the session", async () => {
    const server = await startTestServer();
    try {
      const admin = await setupAdmin(server);
      // The session was last renewed two days ago; its cookie (and row) expire in 28 days.
      const age = async () =>
        server.db.query("update sessions set renewed_at = now() - interval '2 days', expires_at = now() + interval '28 days'");
      await age();
      // A Socket.IO handshake has no response to carry a cookie: it does not slide the session.
      const s = await cookieClient(server.url, admin);
      s.disconnect();
      const [before] = await server.db.query<{ expires_at: Date }>("select expires_at from sessions");
      expect(new Date(before.expires_at).getTime()).toBeLessThan(Date.now() + 29 * 86400_000);
      for (const path of ["/api/session", "/api/admin/users", "/api/admin/settings"]) {
        await age();
        const res = await api(server, path, { cookie: admin });
        expect(res.status).toBe(200);
        const expires = /Expires=([^;]+)/i.exec(res.setCookie ?? "")?.[1];
        expect(res.cookie).toBe(admin); // the same session, re-issued
        expect(res.setCookie).toMatch(/HttpOnly/i);
        const [row] = await server.db.query<{ expires_at: Date }>("select expires_at from sessions");
        // The cookie's Expires is the session's new expiry (HTTP dates have whole seconds), about 30 days out.
        expect(Math.abs(new Date(expires!).getTime() - new Date(row.expires_at).getTime())).toBeLessThan(1000);
        expect(new Date(expires!).getTime()).toBeGreaterThan(Date.now() + 29.9 * 86400_000);
        // Not renewed again the next time: no cookie to re-issue.
        expect((await api(server, path, { cookie: admin })).setCookie).toBeUndefined();
      }
    } finally {
      await server.close();
    }
  });
});

describe("a session's absolute lifetime", () => {
  it("never slides past 90 days after sign-in, and ends there however often it is used", async () => {
    const server = await startTestServer();
    try {
      const admin = await setupAdmin(server);
      const expiry = async () => new Date((await server.db.query<{ expires_at: Date }>("select expires_at from sessions"))[0].expires_at).getTime();
      // Signed in 89 days ago, in daily use: the renewal stops at the 90th day, not 30 days out.
      await server.db.query(
        "update sessions set created_at = now() - interval '89 days', renewed_at = now() - interval '2 days', expires_at = now() + interval '28 days'",
      );
      const renewed = await api(server, "/api/session", { cookie: admin });
      expect(renewed.body.user?.name).toBeTruthy();
      const cookieExpires = new Date(/Expires=([^;]+)/i.exec(renewed.setCookie ?? "")![1]).getTime();
      expect(Math.abs(cookieExpires - (await expiry()))).toBeLessThan(1000);
      expect(await expiry()).toBeGreaterThan(Date.now() + 0.9 * 86400_000);
      expect(await expiry()).toBeLessThan(Date.now() + 1.1 * 86400_000);
      // Signed in 91 days ago (before the cap existed its expiry kept sliding): the next renewal ends it.
      await server.db.query(
        "update sessions set created_at = now() - interval '91 days', renewed_at = now() - interval '2 days', expires_at = now() + interval '28 days'",
      );
      expect((await api(server, "/api/session", { cookie: admin })).body.user).toBeNull();
      expect((await api(server, "/api/admin/users", { cookie: admin })).status).toBe(401);
      // A session that is still young slides as before: 30 days out.
      const fresh = (await api(server, "/api/session", { body: { name: "admin", password: "correct horse battery" } })).cookie!;
      await server.db.query("update sessions set renewed_at = now() - interval '2 days', expires_at = now() + interval '28 days' where created_at > now() - interval '1 hour'");
      expect((await api(server, "/api/session", { cookie: fresh })).setCookie).toMatch(/Expires=/i);
      const [young] = await server.db.query<{ expires_at: Date }>("select expires_at from sessions where created_at > now() - interval '1 hour'");
      expect(new Date(young.expires_at).getTime()).toBeGreaterThan(Date.now() + 29.9 * 86400_000);
    } finally {
      await server.close();
    }
  });
});

describe("losing the admin role", () => {
  it("closes the demoted admin's live sockets and streams (the admin page learns of it by its notification stream); they come back as a plain member", async () => {
    const server = await startTestServer();
    try {
      const admin = await setupAdmin(server);
      const alice = await joinAs(server, admin, "alice");
      const bobCookie = await joinAs(server, admin, "bob");
      const bob = await cookieClient(server.url, bobCookie);
      expect((await api(server, "/api/admin/users/alice/promote", { method: "POST", cookie: admin })).body.user).toMatchObject({ admin: true });
      const socket = await cookieClient(server.url, alice);
      const logs = await openStream(`${server.url}/api/admin/logs/stream`, { cookie: alice });
      expect(logs.status).toBe(200);
      await until(() => logs.events.length >= 1, 5000, "admin log stream connected");
      const watch = await openStream(`${server.url}/api/notifications/stream`, { cookie: alice });
      await until(() => watch.events.length >= 1, 5000, "notification stream connected");
      const bobsWatch = await openStream(`${server.url}/api/notifications/stream`, { cookie: bobCookie });
      await until(() => bobsWatch.events.length >= 1, 5000, "bob's notification stream connected");
      const gone = disconnected(socket);
      expect((await api(server, "/api/admin/users/alice/demote", { method: "POST", cookie: admin })).body.user).toMatchObject({ admin: false });
      expect(await gone).toBe("io server disconnect");
      await until(() => logs.ended, 5000, "admin log stream closed");
      await until(() => watch.ended, 5000, "notification stream closed");
      // Back as a plain member: the role is read afresh.
      expect((await openStream(`${server.url}/api/admin/logs/stream`, { cookie: alice })).status).toBe(403);
      const fresh = await cookieClient(server.url, alice);
      expect((await call(fresh, "join-room", "general")).room.name).toBe("general");
      // Positive control: bob's connection was untouched; an admin cannot demote themselves.
      expect(bob.connected).toBe(true);
      expect(bobsWatch.ended).toBe(false);
      expect((await api(server, "/api/admin/users/admin/demote", { method: "POST", cookie: admin })).status).toBe(400);
    } finally {
      await server.close();
    }
  });
});

describe("gaining the admin role", () => {
  it("closes the new admin's live sockets, which come back with the role in `session`; a promotion that changes nothing closes nothing", async () => {
    const server = await startTestServer();
    let bob: Socket | undefined;
    try {
      const admin = await setupAdmin(server);
      const bobCookie = await joinAs(server, admin, "bob");
      // The session event is listened for before the first connect: it comes right after it.
      const sessions: { name: string; admin: boolean }[] = [];
      const drops: string[] = [];
      bob = ioClient(server.url, { transports: ["websocket"], reconnection: false, forceNew: true, extraHeaders: { cookie: bobCookie, origin: server.url } });
      bob.on("session", (s) => sessions.push(s));
      // Told first that the close is a changed session, not a refusal: the web client comes straight back.
      const told: string[] = [];
      bob.on("session-changed", () => told.push(`changed before drop ${drops.length + 1}`));
      await until(() => sessions.length === 1, 5000, "bob's first session");
      expect(sessions[0]).toMatchObject({ name: "bob", admin: false });
      bob.on("disconnect", (reason) => drops.push(reason));
      expect((await api(server, "/api/admin/users/bob/promote", { method: "POST", cookie: admin })).body.user).toMatchObject({ admin: true });
      await until(() => drops.length === 1, 5000, "bob's connection closed by the promotion");
      expect(drops).toEqual(["io server disconnect"]);
      expect(told).toEqual(["changed before drop 1"]);
      bob.connect();
      await until(() => sessions.length === 2, 5000, "bob's session after the promotion");
      expect(sessions[1]).toMatchObject({ name: "bob", admin: true });
      // Already an admin: nothing changed, nothing closes (the bus is synchronous here: a close would
      // have gone out before the answer, and the join would never be answered).
      expect((await api(server, "/api/admin/users/bob/promote", { method: "POST", cookie: admin })).status).toBe(200);
      expect((await call(bob, "join-room", "general")).room.name).toBe("general");
      expect(bob.connected).toBe(true);
      expect(sessions).toHaveLength(2);
    } finally {
      bob?.disconnect();
      await server.close();
    }
  });
});
