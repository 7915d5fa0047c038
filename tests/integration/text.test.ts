import fc from "fast-check";
import { api, joinAs, setupAdmin } from "../helpers/http";
import { call, connect, request, startTestServer, until, type TestServer } from "../helpers/server";
import { openStream } from "../helpers/sse";

/**
 * Text and names end to end: one normaliser behind Socket.IO and HTTP, so hostile text is refused
 * before it reaches a batch, what is acked is what history returns, and look-alike names are refused.
 */
let server: TestServer;
let admin: string;
let bob: string;
let anuj: string;
let botToken: string;
beforeAll(async () => {
  // Many rooms are opened by joining them (each a create-room point): limits are tested elsewhere.
  server = await startTestServer({ messageMaxChars: 2000, rateLimitMessages: 100_000, rateLimits: { "create-room": { points: 0, duration: 1 } } });
  admin = await setupAdmin(server, "admin");
  bob = await joinAs(server, admin, "bob");
  anuj = await joinAs(server, admin, "अनुज");
  botToken = (await api(server, "/api/admin/bots", { body: { name: "textbot" }, cookie: admin })).body.token;
}, 120_000); // PGlite boots slowly on a busy machine
afterAll(() => server.close());

const as = (cookie: string) => connect(server.url, {}, { extraHeaders: { cookie } });
const history = async (cookie: string, room: string) => (await call(await as(cookie), "history", { room, limit: 100 })).messages;

describe("message text", () => {
  it("refuses NUL with bad_request, and the other users' sends in the same moment are stored", async () => {
    const [a, b] = [await as(admin), await as(bob)];
    await call(a, "join-room", "general");
    await call(b, "join-room", "general");
    for (const evil of ["evil \u0000 nul", "\u0000", "x\u0000\u0000y", "bell \u0007"]) {
      const [bad, good1, good2] = await Promise.all([
        request(b, "send-message-to-room", { room: "general", message: evil }),
        request(a, "send-message-to-room", { room: "general", message: `neighbour of ${JSON.stringify(evil)}` }),
        request(b, "send-message-to-room", { room: "general", message: "after" }),
      ]);
      expect(bad).toMatchObject({ ok: false, error: { code: "bad_request", message: expect.stringMatching(/control characters/) } });
      expect(good1.ok && good2.ok).toBe(true);
    }
  });

  it("answers NUL in an HTTP message, clientId or announcement with 400", async () => {
    const bearer = { authorization: `Bearer ${botToken}` };
    const post = (body: unknown) => api(server, "/api/rooms/general/messages", { body, headers: bearer });
    expect((await post({ text: "evil \u0000 nul" })).status).toBe(400);
    expect((await post({ text: "ok", clientId: "id\u0000" })).status).toBe(400);
    expect((await post({ text: "ok", clientId: "\ud800" })).status).toBe(400);
    expect((await post({ text: "\u200b\u200b" })).status).toBe(400);
    const announce = (message: unknown) => api(server, "/api/admin/announcements", { body: { message }, cookie: admin });
    expect((await announce("evil \u0000 nul")).status).toBe(400);
    expect((await announce("\u2060")).status).toBe(400);
    expect((await announce("all good")).status).toBe(202);
    // Names looked up rather than created: a login name or DM target with NUL finds nobody.
    expect((await api(server, "/api/session", { body: { name: "admin\u0000", password: "x" } })).status).toBe(401);
    expect(await request(await as(bob), "open-dm", { name: "\u0000" })).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect((await post({ text: "still fine", clientId: "c-1" })).status).toBe(201);
  });

  it("acks a lone surrogate as U+FFFD, exactly as history returns it, over both transports", async () => {
    const a = await as(admin);
    await call(a, "join-room", "surrogates");
    const acked = (await call(a, "send-message-to-room", { room: "surrogates", message: "lone \ud800 x" })).message;
    expect(acked.text).toBe("lone \ufffd x");
    const viaHttp = await api(server, "/api/rooms/surrogates/messages", { body: { text: "e\u0301 \udc00" }, headers: { authorization: `Bearer ${botToken}` } });
    expect(viaHttp.body.message.text).toBe("\u00e9 \ufffd");
    const stored = await history(admin, "surrogates");
    expect(stored.map((m: { text: string }) => m.text)).toEqual(["lone \ufffd x", "\u00e9 \ufffd"]);
  });

  it("counts code points: 2,000 emoji are stored whole, 2,001 are too large", async () => {
    const a = await as(admin);
    await call(a, "join-room", "emoji");
    const acked = (await call(a, "send-message-to-room", { room: "emoji", message: "😀".repeat(2000) })).message;
    expect(acked.text).toBe("😀".repeat(2000));
    const res = await request(a, "send-message-to-room", { room: "emoji", message: "😀".repeat(2001) });
    expect(res).toMatchObject({ ok: false, error: { code: "too_large" } });
  });

  it("never answers internal, and acks exactly what history returns, for arbitrary Unicode (property)", async () => {
    const a = await as(admin);
    await call(a, "join-room", "property");
    const unit = fc.oneof(
      fc.constantFrom("\u0000", "\ud800", "\udfff", "\u200b", "\u202e", "\u3164", "\u0301", "\n", " ", "😀", "\uffff", "\u2028"),
      fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
    );
    const texts = fc.oneof(fc.string({ unit: "binary", maxLength: 30 }), fc.array(unit, { maxLength: 12 }).map((u) => u.join("")));
    await fc.assert(
      fc.asyncProperty(texts, fc.option(fc.string({ unit: "binary", maxLength: 8 }), { nil: undefined }), async (message, clientId) => {
        const res = await request(a, "send-message-to-room", { room: "property", message, ...(clientId === undefined ? {} : { clientId }) });
        if (!res.ok) return expect(["bad_request", "too_large", "conflict"]).toContain(res.error.code);
        const [last] = (await call(a, "history", { room: "property", limit: 100 })).messages.filter((m: { id: string }) => m.id === res.data.message.id);
        expect(last).toEqual(res.data.message);
      }),
      { numRuns: 40 },
    );
  });
});

describe("names", () => {
  it("never answers internal to a room or user name made of arbitrary Unicode (property)", async () => {
    const a = await as(admin);
    const names = fc.oneof(
      fc.string({ unit: "binary", maxLength: 12 }),
      fc.array(fc.constantFrom("\u0000", "\ud800", "\u200b", "\u202e", "\u3164", ".", "a", "\u0430", " ", "😀", "\u0301", "/", "%"), { maxLength: 6 }).map((u) => u.join("")),
    );
    await fc.assert(
      fc.asyncProperty(names, fc.constantFrom("join-room", "create-room", "open-dm", "history"), async (name, event) => {
        const payload = event === "join-room" ? name : event === "history" ? { room: name } : { name };
        const res = await request(a, event, payload);
        if (!res.ok) expect(res.error.code).not.toBe("internal");
      }),
      { numRuns: 40 },
    );
  });


  it("refuses look-alike and invisible account names next to existing ones, and keeps every script working", async () => {
    const { body } = await api(server, "/api/admin/join-code", { cookie: admin });
    const join = (name: string) => api(server, `/api/join/${body.code}`, { body: { name, password: "password-123" } });
    expect((await join("\u0430dmin")).status).toBe(409); // Cyrillic а
    expect((await join("ADMIN")).status).toBe(409);
    expect((await join("b0b")).status).toBe(409);
    for (const invisible of ["ali\u200bce", "ad\u00admin", "\u202enimda", "\u200b\u200b", "\u3164", "x\ud800"]) {
      expect((await join(invisible)).status).toBe(400);
    }
    expect((await join("José")).status).toBe(201);
    expect((await join("ゆき")).status).toBe(201);
    expect((await join("Jose\u0301")).status).toBe(409); // the same name, decomposed
    // Cyrillic в does not look like b, so "textbot" does not hold "text\u0432ot"; Latin with Cyrillic is refused by its scripts.
    const bot = await api(server, "/api/admin/bots", { body: { name: "text\u0432ot" }, cookie: admin });
    expect([bot.status, bot.body.error?.reason]).toEqual([400, "name_mixed_scripts"]);
    expect((await api(server, "/api/admin/bots", { body: { name: "textb\u03bft" }, cookie: admin })).status).toBe(409); // Greek ο
  });

  it("refuses names with a mark repeated, which is drawn over itself (UTS #39, section 5.4)", async () => {
    // Each looks exactly like "José" (the second acute lands on the first), yet its skeleton differs.
    const repeated = ["Jos\u00e9\u0301", "Jose\u0301\u0301", "Jose\u0301\u0341", "Jose\u0301\u0323\u0301", "Jos\u00e9\u20dd\u20dd"];
    const a = await as(admin);
    for (const name of repeated) {
      const renamed = await api(server, "/api/account/name", { method: "PUT", body: { name }, cookie: bob });
      expect([name, renamed.status, renamed.body.error?.reason]).toEqual([name, 400, "name_invisible"]);
      const room = await request(a, "create-room", { name });
      expect([name, room.ok || room.error]).toEqual([name, expect.objectContaining({ code: "bad_request", reason: "name_invisible" })]);
    }
    // Two different marks both show.
    expect((await call(a, "create-room", { name: "Jos\u00e9\u0323" })).room.name).toBe("Jos\u00e9\u0323".normalize("NFC"));
  });

  it("refuses look-alike and reserved room names over Socket.IO", async () => {
    const a = await as(admin);
    await call(a, "create-room", { name: "secret", private: true });
    for (const name of ["secret\u200b", "s\u0435cret", "SECRET", "ｓｅｃｒｅｔ"]) {
      const made = await request(a, "create-room", { name });
      expect(made.ok).toBe(false);
      const joined = await request(await as(bob), "join-room", name);
      expect(joined.ok).toBe(false);
      if (!joined.ok) expect(["bad_request", "conflict"]).toContain(joined.error.code);
    }
    for (const name of [".", "..", " .. "]) {
      const res = await request(a, "join-room", name);
      expect(res).toMatchObject({ ok: false, error: { code: "bad_request", message: expect.stringMatching(/reserved/) } });
    }
    expect((await call(a, "join-room", "Aの話題の部屋")).room.name).toBe("Aの話題の部屋");
    expect((await call(a, "join-room", "...")).room.name).toBe("...");
  });

  it("refuses an invisible guest name at the handshake", async () => {
    // Guests are allowed while no account exists, so this uses a fresh server.
    const fresh = await startTestServer({ guestAccess: true });
    try {
      for (const name of ["\u200b", "ali\u200bce", "\u202enimda"]) await expect(connect(fresh.url, { name })).rejects.toThrow();
      const ok = await connect(fresh.url, { name: "ゆき" });
      expect((await call(ok, "join-room", "general")).room.name).toBe("general");
    } finally {
      await fresh.close();
    }
  }, 120_000);
});

describe("mentions", () => {
  it("notifies @अनुज and a decomposed @stu\u0308vel by their whole names", async () => {
    await joinAs(server, admin, "stüvel");
    const stuvel = (await api(server, "/api/session", { body: { name: "stu\u0308vel", password: "password-stüvel" } })).cookie!;
    const streams = [await openStream(`${server.url}/api/notifications/stream`, { cookie: anuj }), await openStream(`${server.url}/api/notifications/stream`, { cookie: stuvel })];
    try {
      await until(() => streams.every((s) => s.events.length >= 1), 3000, "connected");
      const a = await as(admin);
      await call(a, "join-room", "general");
      await call(a, "send-message-to-room", { room: "general", message: "hi @अनुज and @stu\u0308vel" });
      await until(() => streams.every((s) => s.events.length >= 2), 3000, "both mentioned");
      for (const s of streams) expect(s.events[1].data).toMatchObject({ type: "mention", from: "admin", message: "hi @अनुज and @st\u00fcvel" });
    } finally {
      streams.forEach((s) => s.close());
    }
  });

  it("cuts a long preview between characters, never inside a surrogate pair", async () => {
    const stream = await openStream(`${server.url}/api/notifications/stream`, { cookie: bob });
    try {
      await until(() => stream.events.length >= 1, 3000, "connected");
      const a = await as(admin);
      await call(a, "join-room", "general");
      await call(a, "send-message-to-room", { room: "general", message: "@bob " + "a".repeat(193) + "😀😀😀" });
      await until(() => stream.events.length >= 2, 3000, "mention");
      const preview: string = stream.events[1].data.message;
      expect(preview).toBe("@bob " + "a".repeat(193) + "😀…");
      expect(preview).not.toMatch(/\ufffd/);
    } finally {
      stream.close();
    }
  });
});
