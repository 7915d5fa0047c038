import { api, joinAs, setupAdmin } from "../helpers/http";
import { connect, request, startTestServer, type TestServer } from "../helpers/server";
import { upload } from "../helpers/uploads";

/**
 * Characters that are drawn as empty space without being white space or default-ignorable (U+2800,
 * U+1D159, U+16FE4), zero-width characters between spaces, and "Zalgo" stacks of marks: invisible or
 * covering names, empty messages and padded file names, refused or collapsed on every way in.
 */
let server: TestServer;
let admin: string;
let bob: string;
beforeAll(async () => {
  server = await startTestServer({ linkPreviews: false, rateLimits: { "create-room": { points: 0, duration: 1 }, rename: { points: 0, duration: 1 } } });
  admin = await setupAdmin(server, "admin");
  bob = await joinAs(server, admin, "bob");
}, 120_000);
afterAll(() => server.close());

const as = (cookie: string) => connect(server.url, {}, { extraHeaders: { cookie } });
const join = async (name: string) => {
  const { body } = await api(server, "/api/admin/join-code", { cookie: admin });
  return api(server, `/api/join/${body.code}`, { body: { name, password: "password-123" } });
};
const rename = (name: string) => api(server, "/api/account/name", { method: "PUT", body: { name }, cookie: bob });

describe("blank glyphs", () => {
  // U+1D159 MUSICAL SYMBOL NULL NOTEHEAD and U+16FE4 KHITAN SMALL SCRIPT FILLER next to the known U+2800.
  const blankNames = ["\u{1D159}", "\u{1D159}\u{1D159}", " \u{1D159} ", "\u{16FE4}", "admin\u{1D159}", "admin\u{16FE4}", "ad\u{1D159}min", "\u2800"];

  it.each(blankNames)("refuses the name %j for accounts, renames, bots and rooms", async (name) => {
    const joined = await join(name);
    expect([joined.status, joined.body.error?.code]).toEqual([400, "bad_request"]);
    const renamed = await rename(name);
    expect([renamed.status, renamed.body.error?.code]).toEqual([400, "bad_request"]);
    const bot = await api(server, "/api/admin/bots", { body: { name }, cookie: admin });
    expect(bot.status).toBe(400);
    const a = await as(admin);
    const room = await request(a, "create-room", { name });
    expect(room).toMatchObject({ ok: false, error: { code: "bad_request" } });
    const entered = await request(a, "join-room", name);
    expect(entered).toMatchObject({ ok: false, error: { code: "bad_request" } });
  });

  it.each(["\u{1D159}", "\u{1D159} \u{1D159}\n\u{1D159}", "\u{16FE4}", "\u2800\u{1D159}\u200b"])(
    "refuses the message %j as empty on Socket.IO and HTTP",
    async (text) => {
      const a = await as(admin);
      expect(await request(a, "join-room", "general")).toMatchObject({ ok: true });
      expect(await request(a, "send-message-to-room", { room: "general", message: text })).toMatchObject({
        ok: false,
        error: { code: "bad_request", reason: "text_empty" },
      });
      const posted = await api(server, "/api/rooms/general/messages", { body: { text }, cookie: admin });
      expect([posted.status, posted.body.error?.reason]).toEqual([400, "text_empty"]);
    },
  );

  it("keeps a message that shows something besides them", async () => {
    const a = await as(admin);
    await request(a, "join-room", "general");
    const sent = await request(a, "send-message-to-room", { room: "general", message: "ok \u{1D159}" });
    expect(sent).toMatchObject({ ok: true, data: { message: { text: "ok \u{1D159}" } } });
  });
});

describe("marks stacked on one character (UTS #39, section 5.4)", () => {
  const zalgo = [
    "admin\u0300\u0301\u0302\u0303\u0304",
    "a\u0316\u0317\u0318\u0319\u031a\u031b\u031c\u031d\u031e\u031f\u0320dmin",
    // Canonical reordering puts the below marks first: still five in a row.
    "e\u0301\u0323\u0302\u0324\u0303",
    "x\u20dd\u20de\u20df\u20e0\u20e2",
  ];
  it.each(zalgo)("refuses %j as name_marks on every way a name comes in", async (name) => {
    expect((await join(name)).body.error).toMatchObject({ code: "bad_request", reason: "name_marks" });
    expect((await rename(name)).body.error).toMatchObject({ code: "bad_request", reason: "name_marks" });
    const room = await request(await as(admin), "create-room", { name });
    expect(room).toMatchObject({ ok: false, error: { code: "bad_request", reason: "name_marks" } });
  });

  it("keeps names whose letters carry up to four marks", async () => {
    for (const name of ["Nguy\u1ec5n", "e\u0301\u0323\u0302\u0324", "\u0928\u093f\u0930\u094d\u092e\u0932", "བསྒྲུབས"]) {
      const room = await request(await as(admin), "create-room", { name });
      expect([name, room.ok]).toEqual([name, true]);
    }
  });
});

describe("padded file names", () => {
  it.each([
    ["Hangul fillers", "\u3164"],
    ["braille blanks", "\u2800"],
    ["null noteheads", "\u{1D159}"],
    ["spaces with zero-width spaces between", " \u200b"],
    ["spaces with word joiners between", "\u2060 "],
  ])("shows the end of a name padded with %s", async (_, pad) => {
    const res = await upload(server, "general", { name: `invoice.pdf${pad.repeat(150)}.exe`, bytes: Buffer.from("hello"), type: "text/plain" }, { cookie: admin });
    expect(res.status).toBe(201);
    // What shows: one space between the two ends (a zero-width character may stay before it).
    const name: string = res.body.upload.name;
    expect(name.replace(/\p{Default_Ignorable_Code_Point}/gu, "")).toBe("invoice.pdf .exe");
    expect([...name].length).toBeLessThanOrEqual(17);
  });

  it.each([
    ["the joiners inside an emoji sequence", "\u{1F468}\u200d\u{1F469}\u200d\u{1F467} family.txt"],
    ["the VS16 of an emoji before a space", "\u2764\uFE0F love.txt"],
  ])("keeps %s", async (_, name) => {
    const res = await upload(server, "general", { name, bytes: Buffer.from("hello"), type: "text/plain" }, { cookie: admin });
    expect(res.body.upload.name).toBe(name);
  });
});
