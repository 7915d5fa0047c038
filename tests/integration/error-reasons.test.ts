/**
 * A refusal says which rule refused (`reason`), which request field it is about (`field`) and the rule's
 * number (`limit`), over HTTP and in Socket.IO acknowledgements alike (docs/protocol.md,
 * "Acknowledgements"): what the web client translates and points its forms at.
 */
import { io as ioClient } from "socket.io-client";
import { api, joinAs, setupAdmin } from "../helpers/http";
import { call, connect, request, startTestServer, type TestServer } from "../helpers/server";
import { png, pngBomb, upload } from "../helpers/uploads";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    messageMaxChars: 10, rateLimitSearches: 1000, uploads: { maxBytes: 1_000_000, perMinute: 0, dailyFiles: 0, dailyBytes: 0 },
  });
});
afterAll(() => server.close());

const error = async (path: string, opts: Parameters<typeof api>[2]) => {
  const res = await api(server, path, opts);
  return { status: res.status, ...res.body.error };
};

describe("refusals name their rule and field", () => {
  it("on the account pages' requests", async () => {
    // Four emoji are eight UTF-16 units but four code points: the server's count.
    expect(await error("/api/setup", { body: { name: "root", password: "😀😀😀😀" } })).toEqual({
      status: 400, code: "bad_request", message: "password must be at least 8 characters", reason: "password_too_short", field: "password", limit: 8,
    });
    expect(await error("/api/setup", { body: { name: "r".repeat(33), password: "long enough" } })).toMatchObject({
      status: 400, code: "bad_request", reason: "name_too_long", field: "name", limit: 32,
    });
    expect(await error("/api/setup", { body: { name: "\u200b", password: "long enough" } })).toMatchObject({ status: 400, reason: "name_invisible", field: "name" });
    const admin = await setupAdmin(server, "root", "root-password-1");
    expect(await error("/api/setup", { body: { name: "other", password: "long enough" } })).toMatchObject({ status: 409, code: "conflict", reason: "setup_done" });
    expect((await error("/api/setup", { body: { name: "other", password: "long enough" } })).field).toBeUndefined();

    expect(await error("/api/join/not-the-code", { body: { name: "dana", password: "long enough" } })).toMatchObject({ status: 404, reason: "join_link_invalid" });
    const { body } = await api(server, "/api/admin/join-code", { cookie: admin });
    expect(await error(`/api/join/${body.code}`, { body: { name: "ROOT", password: "long enough" } })).toMatchObject({
      status: 409, code: "conflict", reason: "name_taken", field: "name",
    });

    expect(await error("/api/session", { body: { name: "root", password: "not it at all" } })).toEqual({
      status: 401, code: "unauthorized", message: "wrong name or password", reason: "wrong_credentials", field: "password",
    });

    const dana = await joinAs(server, admin, "dana", "dana-password-1");
    expect(await error("/api/account/password", { method: "PUT", cookie: dana, body: { current: "not it", password: "another-password" } })).toMatchObject({
      status: 401, reason: "wrong_password", field: "current",
    });
    expect(await error("/api/account/password", { method: "PUT", cookie: dana, body: { current: "dana-password-1", password: "short" } })).toMatchObject({
      status: 400, reason: "password_too_short", field: "password", limit: 8,
    });
    expect(await error("/api/account/name", { method: "PUT", cookie: dana, body: { name: "Root" } })).toMatchObject({ status: 409, reason: "name_taken", field: "name" });
    expect(await error("/api/admin/users/root/deactivate", { method: "POST", cookie: admin })).toMatchObject({ status: 400, reason: "self_deactivation" });
  });

  it("with the limits known before a send: the session event says the server's longest message text and largest file", async () => {
    const admin = await api(server, "/api/session", { body: { name: "root", password: "root-password-1" } });
    // Listening before connecting: the event follows the connection at once.
    const socket = ioClient(server.url, {
      transports: ["websocket"], reconnection: false, forceNew: true, autoConnect: false,
      extraHeaders: { cookie: admin.cookie!, origin: new URL(server.url).origin },
    });
    try {
      const session = new Promise((resolve) => socket.once("session", resolve));
      socket.connect();
      const me = (await api(server, "/api/session", { cookie: admin.cookie })).body.user;
      expect(await session).toMatchObject({ id: me.id, name: "root", admin: true, messageMaxChars: 10, uploadMaxBytes: 1_000_000 });
    } finally {
      socket.disconnect();
    }
  });

  it("in acknowledgements, and keep to code and message where no rule says more", async () => {
    const admin = await api(server, "/api/session", { body: { name: "root", password: "root-password-1" } });
    const socket = await connect(server.url, {}, { extraHeaders: { cookie: admin.cookie! } });
    expect(await request(socket, "send-message-to-room", { room: "general", message: "far too long for ten" })).toEqual({
      ok: false, error: { code: "too_large", message: "message must be at most 10 characters", reason: "text_too_long", limit: 10 },
    });
    expect(await request(socket, "send-message-to-room", { room: "general", message: 5 })).toEqual({
      ok: false, error: { code: "bad_request", message: "message must be a string" },
    });
    expect(await request(socket, "open-dm", { name: "nobody" })).toMatchObject({ ok: false, error: { code: "not_found", reason: "no_such_account" } });
    expect(await request(socket, "open-dm", { name: "root" })).toMatchObject({ ok: false, error: { code: "bad_request", reason: "self_dm" } });
    expect(await request(socket, "create-room", { name: ".." })).toMatchObject({ ok: false, error: { code: "bad_request", reason: "name_reserved" } });
    expect(await request(socket, "create-room", { name: "plans", private: true })).toMatchObject({ ok: true });
    expect(await request(socket, "create-room", { name: "PLANS", private: true })).toMatchObject({ ok: false, error: { code: "conflict", reason: "name_taken" } });
  });

  it("in the handshake's refusal (err.data), so a client can say a refused display name in its own words", async () => {
    const guests = await startTestServer({ guestAccess: true });
    try {
      const refused = (name: string) => connect(guests.url, { name }).then(() => undefined, (err: Error & { data?: unknown }) => ({ message: err.message, data: err.data }));
      expect(await refused("x".repeat(40))).toEqual({
        message: "name must be at most 32 characters",
        data: expect.objectContaining({ code: "bad_request", message: "name must be at most 32 characters", reason: "name_too_long", limit: 32 }),
      });
      expect(await refused("   ")).toMatchObject({ data: { code: "bad_request", reason: "name_empty" } });
      expect(await refused("\u200b")).toMatchObject({ data: { code: "bad_request", reason: "name_invisible" } });
      // A name an account holds: said as a taken name, not as a generic conflict.
      await api(guests, "/api/setup", { body: { name: "kei", password: "kei-password-1" } });
      expect(await refused("KEI")).toMatchObject({ data: { code: "conflict", reason: "name_taken", field: "name" } });
    } finally {
      await guests.close();
    }
  });

  it("in the chat's own refusals: a reaction past the distinct emoji a message may carry", async () => {
    const admin = await api(server, "/api/session", { body: { name: "root", password: "root-password-1" } });
    const socket = await connect(server.url, {}, { extraHeaders: { cookie: admin.cookie! } });
    const { message } = await call(socket, "send-message-to-room", { room: "general", message: "react" });
    for (const emoji of [..."😀😁😂🤣😃😄😅😆😉😊😋😎😍😘🥰😗😙🥲😚🙂"]) await call(socket, "react", { room: "general", id: message.id, emoji });
    expect(await request(socket, "react", { room: "general", id: message.id, emoji: "🤗" })).toEqual({
      ok: false, error: { code: "too_large", message: "a message may carry at most 20 different emoji", reason: "reactions_too_many", limit: 20 },
    });
  });

  it("on uploads: an empty file, one over the size limit (in bytes), an image too large or unreadable", async () => {
    const { cookie } = await api(server, "/api/session", { body: { name: "root", password: "root-password-1" } });
    const refusal = async (name: string, bytes: Buffer) => {
      const res = await upload(server, "general", { name, bytes }, { cookie });
      return { status: res.status, ...res.body.error };
    };
    expect(await refusal("empty.txt", Buffer.alloc(0))).toEqual({ status: 400, code: "bad_request", message: "the file is empty", reason: "file_empty" });
    expect(await refusal("big.bin", Buffer.alloc(1_000_001, 7))).toEqual({
      status: 413, code: "too_large", message: "files may be at most 1000000 bytes", reason: "file_too_large", limit: 1_000_000,
    });
    expect(await refusal("bomb.png", await pngBomb(20_000))).toMatchObject({ status: 413, code: "too_large", reason: "image_too_large", limit: 50_000_000 });
    // Fewer pixels when each takes more memory decoded: 16-bit RGBA is 8 bytes a pixel.
    expect(await refusal("deep.png", await pngBomb(7000, { bitDepth: 16, color: "rgba", interlaced: true }))).toEqual({
      status: 413, code: "too_large", message: "images like this one may have at most 25 million pixels", reason: "image_too_large", limit: 25_000_000,
    });
    expect(await refusal("broken.png", (await png(40, 40)).subarray(0, 60))).toMatchObject({ status: 400, code: "bad_request", reason: "image_unreadable" });
    // Positive control: a file within the rules is stored.
    expect((await upload(server, "general", { name: "fine.txt", bytes: Buffer.from("fine") }, { cookie })).status).toBe(201);
  });

  it("on searches: nothing to search for, too long, too many terms, a bad date", async () => {
    const { cookie } = await api(server, "/api/session", { body: { name: "root", password: "root-password-1" } });
    const search = (q: string) => error(`/api/search?${new URLSearchParams({ q })}`, { cookie });
    expect(await search("before:2026-01-01")).toEqual({ status: 400, code: "bad_request", message: "type something to search for", reason: "search_empty" });
    expect(await search("word ".repeat(60))).toMatchObject({ status: 400, reason: "search_too_long", limit: 256 });
    // Past 1,000 characters (or UTF-16 units) too: the same answer, not a different form of error.
    expect(await search("a".repeat(1001))).toMatchObject({ status: 400, reason: "search_too_long", limit: 256 });
    expect(await search("😀".repeat(600))).toMatchObject({ status: 400, reason: "search_too_long", limit: 256 });
    expect(await search("deploy ".repeat(2000))).toMatchObject({ status: 400, reason: "search_too_long", limit: 256 });
    // Only invisible characters, Hangul fillers among them (letters to Unicode, but default-ignorable).
    for (const q of ["\u3164", "\uFFA0 \u115F", "\u200B\u3164"]) {
      expect(await search(q)).toMatchObject({ status: 400, reason: "search_empty" });
    }
    expect(await search(Array.from({ length: 13 }, (_, i) => `w${i}`).join(" "))).toMatchObject({ status: 400, reason: "search_too_many_terms", limit: 12 });
    expect(await search("react before:yesterday")).toMatchObject({ status: 400, reason: "search_date" });
    expect(await search("react after:0000-01-01")).toMatchObject({ status: 400, reason: "search_date" });
    expect(await search("react from:root from:nobody")).toMatchObject({ status: 400, reason: "search_operator_repeated", field: "from" });
    expect(await search("react in:lobby in:elsewhere")).toMatchObject({ status: 400, reason: "search_operator_repeated", field: "in" });
    // Positive control: a query within the rules is answered.
    expect((await api(server, `/api/search?${new URLSearchParams({ q: "react" })}`, { cookie })).status).toBe(200);
  });
});
