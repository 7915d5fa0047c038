/**
 * Bad bodies and query strings on every HTTP route that takes one: wrong types, missing fields, bodies
 * that are not objects, huge strings. Each is answered with its documented status and
 * `{ error: { code, message } }` (the codes of docs/protocol.md), never 500, and changes nothing.
 */
import { api, joinAs, setupAdmin } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { browserKeys } from "../helpers/push";

let server: TestServer;
let admin: string;
let dana: string;
let joinCode: string;

// Every row these requests take is off: the test sends many refused requests from one address.
const OFF = { points: 0, duration: 1 };
const NO_LIMITS = Object.fromEntries(
  ["setup", "sign-in", "sign-in-fails-name-ip", "sign-in-fails-ip", "sign-in-fails-name", "sign-in-fails-device", "join", "create-bot", "announce", "push", "password-change", "rename", "search"].map(
    (row) => [row, OFF],
  ),
);

beforeAll(async () => {
  server = await startTestServer({ rateLimits: NO_LIMITS, rateLimitMessages: 0, rateLimitSearches: 0, linkPreviews: false });
});
afterAll(() => server.close());

const huge = "x".repeat(60_000);
/** Absent: the request carries no body at all (no Content-Type). */
const ABSENT = Symbol("no body");
type Case = [what: string, body: unknown, status: number, code: string, message?: RegExp];

async function send(method: string, path: string, body: unknown, cookie?: string) {
  const res = await api(server, path, { method, cookie, body: body === ABSENT ? undefined : body });
  return { status: res.status, code: res.body?.error?.code, message: res.body?.error?.message };
}

/** Runs `cases` against one route and expects each answer, with an error message to show. */
function refuses(method: string, path: () => string, cases: Case[], cookie: () => string | undefined = () => undefined) {
  // A rest parameter: Jest would pass `done` in place of a row's missing message otherwise.
  it.each(cases)("%s", async (...[, body, status, code, message]: Case) => {
    const res = await send(method, path(), body, cookie());
    expect(res).toEqual({ status, code, message: message ? expect.stringMatching(message) : expect.any(String) });
    expect(res.message.length).toBeGreaterThan(0);
  });
}

describe("POST /api/setup", () => {
  refuses("POST", () => "/api/setup", [
    ["without a body", ABSENT, 400, "bad_request", /name must be a string/],
    ["with an empty object", {}, 400, "bad_request", /name must be a string/],
    ["with a number for the name", { name: 5, password: "long enough" }, 400, "bad_request", /name must be a string/],
    ["without a password", { name: "root" }, 400, "bad_request", /password must be a string/],
    ["with a number for the password", { name: "root", password: 12345678 }, 400, "bad_request", /password must be a string/],
    ["with an array for a body", ["root", "long enough"], 400, "bad_request"],
    ["with a huge name", { name: huge, password: "long enough" }, 400, "bad_request", /at most 32/],
    ["with a huge password", { name: "root", password: huge }, 400, "bad_request", /at most 256/],
    ["with a short password", { name: "root", password: "short" }, 400, "bad_request", /at least 8/],
  ]);

  it("left the server waiting for its first account", async () => {
    expect((await api(server, "/api/session")).body.setupRequired).toBe(true);
    admin = await setupAdmin(server, "root", "root-password");
    dana = await joinAs(server, admin, "dana", "dana-password");
    joinCode = (await api(server, "/api/admin/join-code", { cookie: admin })).body.code;
  });

  it("ignores fields it does not know", async () => {
    const res = await send("POST", "/api/setup", { name: "again", password: "long enough", admin: true, extra: huge });
    expect(res).toMatchObject({ status: 409, code: "conflict" });
  });
});

describe("POST /api/session (sign-in): anything that cannot be the right credentials is 401", () => {
  refuses("POST", () => "/api/session", [
    ["without a body", ABSENT, 401, "unauthorized", /wrong name or password/],
    ["with an empty object", {}, 401, "unauthorized", /wrong name or password/],
    ["with a number for the name", { name: 5, password: "root-password" }, 401, "unauthorized", /wrong name or password/],
    ["with an array for the password", { name: "root", password: ["root-password"] }, 401, "unauthorized", /wrong name or password/],
    ["with an array for a body", ["root", "root-password"], 401, "unauthorized", /wrong name or password/],
    ["with a huge password", { name: "root", password: huge }, 401, "unauthorized", /wrong name or password/],
    ["with a huge name", { name: huge, password: "root-password" }, 401, "unauthorized", /wrong name or password/],
  ]);

  it("still signs in with the right ones, extra fields ignored", async () => {
    const res = await api(server, "/api/session", { body: { name: "root", password: "root-password", remember: 1 } });
    expect(res.status).toBe(200);
  });
});

describe("POST /api/join/:code", () => {
  refuses("POST", () => `/api/join/${joinCode}`, [
    ["without a body", ABSENT, 400, "bad_request", /name must be a string/],
    ["with an object for the name", { name: {}, password: "long enough" }, 400, "bad_request", /name must be a string/],
    ["without a password", { name: "erin" }, 400, "bad_request", /password must be a string/],
    ["with an array for a body", [], 400, "bad_request"],
    ["with a huge name", { name: huge, password: "long enough" }, 400, "bad_request", /at most 32/],
    ["with a huge password", { name: "erin", password: huge }, 400, "bad_request", /at most 256/],
  ]);

  it("answers a wrong code with a good body 404", async () => {
    expect(await send("POST", "/api/join/not-the-code", { name: "erin", password: "long enough" })).toMatchObject({ status: 404, code: "not_found" });
  });

  it("checks the body before the code: a malformed body is 400 whatever the code", async () => {
    expect(await send("POST", "/api/join/not-the-code", { name: 5 })).toMatchObject({ status: 400, code: "bad_request" });
  });
});

describe("PUT /api/account/password", () => {
  refuses(
    "PUT",
    () => "/api/account/password",
    [
      ["without a body", ABSENT, 400, "bad_request", /password must be a string/],
      ["with an empty object", {}, 400, "bad_request", /password must be a string/],
      ["with a number for the new password", { current: "dana-password", password: 12345678 }, 400, "bad_request", /password must be a string/],
      ["with a huge new password", { current: "dana-password", password: huge }, 400, "bad_request", /at most 256/],
      ["without the current password", { password: "new-password" }, 400, "bad_request", /current must be a string/],
      ["with a number for the current password", { current: 5, password: "new-password" }, 400, "bad_request", /current must be a string/],
      ["with an array for a body", [], 400, "bad_request"],
      ["with a huge current password", { current: huge, password: "new-password" }, 401, "unauthorized", /current password is wrong/],
    ],
    () => dana,
  );
});

describe("PUT /api/account/name", () => {
  refuses(
    "PUT",
    () => "/api/account/name",
    [
      ["without a body", ABSENT, 400, "bad_request", /name must be a string/],
      ["with a number for the name", { name: 5 }, 400, "bad_request", /name must be a string/],
      ["with null for the name", { name: null }, 400, "bad_request", /name must be a string/],
      ["with an array for a body", ["dana"], 400, "bad_request"],
      ["with a huge name", { name: huge }, 400, "bad_request", /at most 32/],
    ],
    () => dana,
  );

  it("kept the name", async () => {
    expect((await api(server, "/api/session", { cookie: dana })).body.user.name).toBe("dana");
  });
});

describe("POST /api/admin/bots", () => {
  refuses(
    "POST",
    () => "/api/admin/bots",
    [
      ["without a body", ABSENT, 400, "bad_request", /name must be a string/],
      ["with an array for the name", { name: ["bot"] }, 400, "bad_request", /name must be a string/],
      ["with an array for a body", [], 400, "bad_request"],
      ["with a huge name", { name: huge }, 400, "bad_request", /at most 32/],
    ],
    () => admin,
  );
});

describe("POST /api/admin/announcements", () => {
  refuses(
    "POST",
    () => "/api/admin/announcements",
    [
      ["without a body", ABSENT, 400, "bad_request", /message must be a string/],
      ["with a number for the message", { message: 5 }, 400, "bad_request", /message must be a string/],
      ["with an array for a body", [], 400, "bad_request"],
      ["with a blank message", { message: " \u200b " }, 400, "bad_request", /must not be empty/],
      ["with a huge message", { message: huge }, 413, "too_large", /at most 2000/],
    ],
    () => admin,
  );
});

describe("PUT /api/admin/settings", () => {
  refuses(
    "PUT",
    () => "/api/admin/settings",
    [
      ["without a body", ABSENT, 400, "bad_request", /guestAccess must be a boolean/],
      ["with a string for guestAccess", { guestAccess: "false" }, 400, "bad_request", /guestAccess must be a boolean/],
      ["with an array for a body", [false], 400, "bad_request"],
    ],
    () => admin,
  );
});

describe("PUT /api/rooms/:room/notifications", () => {
  refuses(
    "PUT",
    () => "/api/rooms/general/notifications",
    [
      ["without a body", ABSENT, 400, "bad_request", /level must be one of all, mentions, none/],
      ["with a number for the level", { level: 1 }, 400, "bad_request", /level must be one of/],
      ["with an unknown level", { level: "loud" }, 400, "bad_request", /level must be one of/],
      ["with a huge level", { level: huge }, 400, "bad_request", /level must be one of/],
      ["with an array for a body", ["all"], 400, "bad_request"],
    ],
    () => dana,
  );

  it("checks the level before the room", async () => {
    expect(await send("PUT", "/api/rooms/no-such-room/notifications", { level: "loud" }, dana)).toMatchObject({ status: 400, code: "bad_request" });
  });
});

describe("POST /api/push/subscriptions", () => {
  const { keys } = browserKeys();
  refuses(
    "POST",
    () => "/api/push/subscriptions",
    [
      ["without a body", ABSENT, 400, "bad_request"],
      ["with a number for the endpoint", { endpoint: 5, keys }, 400, "bad_request", /endpoint must be a URL/],
      ["with a huge endpoint", { endpoint: `https://push.example/${huge}`, keys }, 400, "bad_request", /endpoint must be a URL/],
      ["with a javascript: endpoint", { endpoint: "javascript:alert(1)", keys }, 400, "bad_request", /http\(s\) URL/],
      ["without keys", { endpoint: "https://push.example/a" }, 400, "bad_request", /keys/],
      ["with a string for keys", { endpoint: "https://push.example/a", keys: "k" }, 400, "bad_request", /keys/],
      ["with a short p256dh", { endpoint: "https://push.example/a", keys: { ...keys, p256dh: "AAAA" } }, 400, "bad_request", /keys\.p256dh/],
      ["with a number for auth", { endpoint: "https://push.example/a", keys: { ...keys, auth: 16 } }, 400, "bad_request", /keys\.auth/],
      ["with an array for a body", [], 400, "bad_request"],
    ],
    () => dana,
  );

  it("stored none of them", async () => {
    expect(await server.db.query("select 1 from push_subscriptions")).toHaveLength(0);
  });
});

describe("DELETE /api/push/subscriptions", () => {
  refuses(
    "DELETE",
    () => "/api/push/subscriptions",
    [
      ["without a body", ABSENT, 400, "bad_request", /endpoint must be a URL/],
      ["with a number for the endpoint", { endpoint: 5 }, 400, "bad_request", /endpoint must be a URL/],
      ["with a huge endpoint", { endpoint: huge }, 400, "bad_request", /endpoint must be a URL/],
      ["with an array for a body", [], 400, "bad_request"],
    ],
    () => dana,
  );
});

describe("PUT /api/push/settings", () => {
  refuses(
    "PUT",
    () => "/api/push/settings",
    [
      ["without a body", ABSENT, 400, "bad_request"],
      ["with a string for whenHidden", { whenHidden: "true" }, 400, "bad_request", /whenHidden must be a boolean/],
      ["with an array for a body", [true], 400, "bad_request"],
    ],
    () => dana,
  );
});

describe("POST /api/rooms/:room/messages", () => {
  refuses(
    "POST",
    () => "/api/rooms/general/messages",
    [
      ["without a body", ABSENT, 400, "bad_request", /^text must be a string$/],
      ["with an empty object", {}, 400, "bad_request", /^text must be a string$/],
      ["with a number for the text", { text: 5 }, 400, "bad_request", /^text must be a string$/],
      ["with the text as the event's message field", { message: "x" }, 400, "bad_request", /^text must be a string$/],
      ["with no text and no files", { attachments: [] }, 400, "bad_request", /^text must be a string$/],
      ["with a number for the clientId", { text: "hi", clientId: 5 }, 400, "bad_request", /clientId must be a string/],
      ["with a string for attachments", { text: "hi", attachments: "1" }, 400, "bad_request", /attachments must be an array/],
      ["with a bad threadId", { text: "hi", threadId: "root" }, 400, "bad_request", /threadId must be a message id/],
      ["with an array for a body", ["hi"], 400, "bad_request"],
      ["with a huge text", { text: huge }, 413, "too_large"],
      ["with a huge clientId", { text: "hi", clientId: huge }, 400, "bad_request", /clientId/],
    ],
    () => dana,
  );

  it("stored none of them", async () => {
    expect(await server.db.query("select 1 from messages where author = 'dana'")).toHaveLength(0);
  });
});

describe("GET /api/search", () => {
  it.each([
    ["without q or a filter", "", /type something to search for/],
    ["with q twice", "?q=a&q=b", /q must be given once/],
    ["with q in bracket notation", "?q[x]=a", /unknown parameter: q\[x\]/],
    ["with room in bracket notation", "?q=a&room[]=general", /unknown parameter: room\[\]/],
    ["with a misspelt parameter", "?q=a&form=dana", /unknown parameter: form/],
    ["with a huge q", `?q=${"x".repeat(1001)}`, /the query must be at most 256 characters/],
    ["with a bad limit", "?q=a&limit=x", /limit must be 1\.\.50/],
    ["with limit 0", "?q=a&limit=0", /limit must be 1\.\.50/],
    ["with room twice", "?q=a&room=x&room=y", /room must be given once/],
  ])("%s is 400", async (_what, query, message) => {
    expect(await send("GET", `/api/search${query}`, ABSENT, dana)).toEqual({ status: 400, code: "bad_request", message: expect.stringMatching(message) });
  });

  it("without q but with room or from is a search, as with q empty", async () => {
    for (const query of ["?room=general", "?from=dana", "?q=&from=dana"]) {
      const res = await fetch(`${server.url}/api/search${query}`, { headers: { cookie: dana } });
      expect([query, res.status, Array.isArray(((await res.json()) as { results?: unknown }).results)]).toEqual([query, 200, true]);
    }
  });
});

describe("JSON bodies declared in a charset other than UTF-8 (RFC 8259 §8.1)", () => {
  /** POSTs `bytes` to /api/session as `contentType`; the status and the error's code and message. */
  async function post(contentType: string, bytes: Buffer) {
    const res = await fetch(`${server.url}/api/session`, { method: "POST", headers: { "content-type": contentType }, body: new Uint8Array(bytes) });
    const body = (await res.json()) as { error?: { code: string; message: string } };
    return { status: res.status, code: body.error?.code, message: body.error?.message };
  }
  const credentials = JSON.stringify({ name: "root", password: "wrong-password" });

  it.each([
    ["application/json; charset=utf-16", Buffer.from(credentials, "utf16le")],
    ["application/json; charset=UTF-16LE", Buffer.from(credentials, "utf16le")],
    ["application/json; charset=utf-32", Buffer.from(credentials, "utf8")],
    ['application/json; charset="latin1"', Buffer.from(credentials, "latin1")],
    ["application/json;charset=iso-8859-1", Buffer.from(credentials, "latin1")],
  ])("%s is 415, before the body is read as credentials", async (contentType, bytes) => {
    expect(await post(contentType, bytes)).toEqual({ status: 415, code: "bad_request", message: "a JSON body must be UTF-8" });
  });

  it.each(["application/json; charset=utf-8", "application/json; charset=UTF-8", 'application/json; charset="utf-8"', "application/json"])(
    "%s is read (the control: a wrong password is 401)",
    async (contentType) => {
      expect(await post(contentType, Buffer.from(credentials, "utf8"))).toEqual({ status: 401, code: "unauthorized", message: "wrong name or password" });
    },
  );
});
