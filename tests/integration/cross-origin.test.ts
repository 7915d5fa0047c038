import { api, joinAs, setupAdmin } from "../helpers/http";
import { openStream } from "../helpers/sse";
import { io as ioClient } from "socket.io-client";
import { call, connect, startTestServer, track, type TestServer } from "../helpers/server";

/** A raw Engine.IO long-polling handshake, as a `<script>` tag or XHR would send it. */
async function pollingHandshake(server: TestServer, query: string, headers: Record<string, string>) {
  const res = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling${query}`, { headers });
  const body = await res.text();
  return { status: res.status, body, opened: /"sid"/.test(body) };
}

describe("Socket.IO requests riding on the session cookie", () => {
  let server: TestServer;
  let alice: string;
  let host: string;
  beforeAll(async () => {
    // No proxy is trusted, so X-Forwarded-Proto from this (loopback) client does not count.
    server = await startTestServer({ trustProxy: false });
    const admin = await setupAdmin(server);
    alice = await joinAs(server, admin, "alice");
    host = new URL(server.url).host;
    const owner = await connect(server.url, {}, { extraHeaders: { cookie: alice, origin: server.url } });
    await call(owner, "create-room", { name: "secret", private: true });
    await call(owner, "send-message-to-room", { room: "secret", message: "private words" });
    owner.disconnect();
  }, 90_000); // boots a server and signs people in (argon2): slow on a busy machine
  afterAll(() => server.close());

  it.each(["&j=0", "&j=1", "&j=", "&t=abc&j=0"])("refuses JSONP polling (%s), cookie or not, Origin or not", async (j) => {
    const variants: Record<string, string>[] = [{ cookie: alice }, {}, { cookie: alice, origin: server.url }];
    for (const headers of variants) {
      const res = await pollingHandshake(server, j, headers);
      expect(res.opened).toBe(false);
      expect(res.body).not.toMatch(/___eio/);
    }
    // Positive control: the same request without `j`, from the page itself, opens a session.
    expect((await pollingHandshake(server, "", { cookie: alice, origin: server.url })).opened).toBe(true);
  });

  it("refuses a cookie-bearing polling handshake with no Origin (a <script> or <img> tag on a sibling site)", async () => {
    expect((await pollingHandshake(server, "", { cookie: alice })).opened).toBe(false);
    expect((await pollingHandshake(server, "", { cookie: `theme=dark; ${alice}` })).opened).toBe(false);
    // The browser said where the request came from: same-site/cross-site without an Origin is refused
    // even with the client header (which such a page could only set after a failed CORS preflight).
    for (const site of ["same-site", "cross-site"]) {
      const res = await pollingHandshake(server, "", { cookie: alice, "x-hibiki-client": "web", "sec-fetch-site": site });
      expect(res.opened).toBe(false);
    }
    // Hibiki's own page: a same-origin GET has no Origin but carries the client header.
    expect((await pollingHandshake(server, "", { cookie: alice, "x-hibiki-client": "web", "sec-fetch-site": "same-origin" })).opened).toBe(true);
    expect((await pollingHandshake(server, "", { cookie: alice, "x-hibiki-client": "web" })).opened).toBe(true);
  });

  it.each(["websocket", "polling"])("refuses the cookie without an Origin over %s, but not clients without the cookie", async (transport) => {
    // socket.io-client directly: the connect() helper adds the Origin a browser sends to a cookie.
    const bare = track(ioClient(server.url, { transports: [transport], reconnection: false, forceNew: true, extraHeaders: { cookie: alice } }));
    await expect(new Promise((resolve, reject) => (bare.once("connect", () => resolve(bare)), bare.once("connect_error", reject)))).rejects.toThrow();
    const page = await connect(server.url, {}, { transports: [transport], extraHeaders: { cookie: alice, origin: `http://${host}` } });
    expect((await call(page, "history", { room: "secret" })).messages.map((m: { text: string }) => m.text)).toEqual(["private words"]);
    // A Node client or bot sends neither Origin nor cookie: judged by its credentials alone.
    const created = await api(server, "/api/admin/bots", { body: { name: `bot-${transport}` }, cookie: await adminCookie(server) });
    const bot = await connect(server.url, { token: created.body.token }, { transports: [transport] });
    expect(bot.connected).toBe(true);
  });

  it.each(["websocket", "polling"])("compares the scheme of the Origin, not only the host, over %s", async (transport) => {
    await expect(connect(server.url, {}, { transports: [transport], extraHeaders: { cookie: alice, origin: `https://${host}` } })).rejects.toThrow();
    await expect(connect(server.url, {}, { transports: [transport], extraHeaders: { cookie: alice, origin: `ws://${host}` } })).rejects.toThrow();
    // X-Forwarded-Proto counts only from a trusted proxy (no proxy is trusted here).
    const spoofed = { cookie: alice, origin: `https://${host}`, "x-forwarded-proto": "https" };
    await expect(connect(server.url, {}, { transports: [transport], extraHeaders: spoofed })).rejects.toThrow();
    expect((await connect(server.url, {}, { transports: [transport], extraHeaders: { cookie: alice, origin: `http://${host}` } })).connected).toBe(true);
  });

  it("compares the scheme on state-changing API calls too", async () => {
    const post = (origin: string, extra: Record<string, string> = {}) =>
      api(server, "/api/rooms/general/messages", { body: { text: "hello" }, cookie: alice, headers: { origin, ...extra } });
    expect((await post(`https://${host}`)).status).toBe(403);
    expect((await post(`https://${host}`, { "x-forwarded-proto": "https" })).status).toBe(403);
    expect((await post(`http://${host}`)).status).toBe(201);
  });

  it("refuses a state-changing API call with the cookie and no Origin that the browser says another site sent", async () => {
    const post = (headers: Record<string, string>) => api(server, "/api/rooms/general/messages", { body: { text: "no origin" }, cookie: alice, headers });
    for (const site of ["same-site", "cross-site", "Cross-Site", " same-site "]) {
      const res = await post({ "sec-fetch-site": site });
      expect([site, res.status]).toEqual([site, 403]);
    }
    const level = await api(server, "/api/rooms/general/notifications", { method: "PUT", body: { level: "none" }, cookie: alice, headers: { "sec-fetch-site": "same-site" } });
    expect(level.status).toBe(403);
    // The page itself, and clients that send no fetch metadata (scripts, bots), still pass.
    expect((await post({ "sec-fetch-site": "same-origin" })).status).toBe(201);
    expect((await post({})).status).toBe(201);
  });

  it.each(["/api/notifications/stream", "/api/admin/logs/stream"])("refuses %s opened by a page of another origin or site", async (path) => {
    const admin = await adminCookie(server);
    const open = (headers: Record<string, string>) => openStream(`${server.url}${path}`, { cookie: admin, ...headers });
    const refused: Record<string, string>[] = [
      { origin: "http://evil.example" },
      { origin: `https://${host}` }, // same host, other scheme
      { origin: "null" },
      { "sec-fetch-site": "same-site" }, // a sibling subdomain's <script>/<img> tag: no Origin
      { "sec-fetch-site": "cross-site" },
    ];
    for (const headers of refused) {
      const stream = await open(headers);
      stream.close();
      expect([headers, stream.status, stream.body?.error?.code]).toEqual([headers, 403, "forbidden"]);
    }
    // A foreign page opening as many streams as a user may hold leaves the user's own page its stream.
    const foreign = await Promise.all(Array.from({ length: 10 }, () => open({ origin: "http://evil.example" })));
    const own = await open({ "sec-fetch-site": "same-origin" }); // the page itself: a same-origin GET carries no Origin
    const ownWithOrigin = await open({ origin: `http://${host}` });
    for (const s of [...foreign, own, ownWithOrigin]) s.close();
    expect(foreign.map((s) => s.status)).toEqual(Array(10).fill(403));
    expect([own.status, ownWithOrigin.status]).toEqual([200, 200]);
  });

  it.each(["Token", "TOKEN", "access_Token", "%74oken", "ACCESS-TOKEN", "Api_Key", "refresh_token", "x-auth-token"])(
    "refuses ?%s= in the query string on the API and on Socket.IO",
    async (name) => {
      const res = await api(server, `/api/session?${name}=abc`);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/query string/);
      expect((await pollingHandshake(server, `&${name}=abc`, {})).opened).toBe(false);
      // Positive control: an innocent parameter passes.
      expect((await api(server, `/api/session?tab=abc`)).status).toBe(200);
      expect((await pollingHandshake(server, "&tab=abc", {})).status).toBe(200);
    },
  );
});

describe("behind a trusted proxy (TRUST_PROXY=loopback, the default)", () => {
  let server: TestServer;
  let alice: string;
  let admin: string;
  let host: string;
  beforeAll(async () => {
    server = await startTestServer({ trustProxy: "loopback" }); // the default, spelled out
    admin = await setupAdmin(server);
    alice = await joinAs(server, admin, "alice");
    host = new URL(server.url).host;
  }, 90_000); // boots a server and signs people in (argon2): slow on a busy machine
  afterAll(() => server.close());

  it.each(["websocket", "polling"])("takes the scheme from X-Forwarded-Proto over %s", async (transport) => {
    const headers = (origin: string, proto: string) => ({ cookie: alice, origin, "x-forwarded-proto": proto });
    expect((await connect(server.url, {}, { transports: [transport], extraHeaders: headers(`https://${host}`, "https") })).connected).toBe(true);
    await expect(connect(server.url, {}, { transports: [transport], extraHeaders: headers(`http://${host}`, "https") })).rejects.toThrow();
    await expect(connect(server.url, {}, { transports: [transport], extraHeaders: headers(`https://${host}`, "http") })).rejects.toThrow();
  });

  it("and on the API", async () => {
    const post = (origin: string, proto: string) =>
      api(server, "/api/rooms/general/messages", { body: { text: "hi" }, cookie: alice, headers: { origin, "x-forwarded-proto": proto } });
    expect((await post(`https://${host}`, "https")).status).toBe(201);
    expect((await post(`http://${host}`, "https")).status).toBe(403);
  });

  it("reads X-Forwarded-Proto in any letter case, alike for the API's origin check, the session cookie and sockets", async () => {
    // A URI scheme is case-insensitive (RFC 3986 §3.1): a proxy that says HTTPS means https.
    for (const proto of ["HTTPS", "Https", "https"]) {
      const post = (origin: string) =>
        api(server, "/api/rooms/general/messages", { body: { text: "hi" }, cookie: alice, headers: { origin, "x-forwarded-proto": proto } });
      expect([proto, (await post(`https://${host}`)).status]).toEqual([proto, 201]);
      expect([proto, (await post(`http://${host}`)).status]).toEqual([proto, 403]);
      const signIn = await api(server, "/api/session", { body: { name: "alice", password: "password-alice" }, headers: { "x-forwarded-proto": proto } });
      expect([proto, signIn.status, signIn.setCookie?.split(";").map((p) => p.trim().toLowerCase())]).toEqual([proto, 200, expect.arrayContaining(["secure", "httponly"])]);
      const socket = await connect(server.url, {}, { extraHeaders: { cookie: alice, origin: `https://${host}`, "x-forwarded-proto": proto } });
      expect(socket.connected).toBe(true);
      socket.disconnect();
    }
    // Positive control: plain http gets no Secure flag.
    const plain = await api(server, "/api/session", { body: { name: "alice", password: "password-alice" }, headers: { "x-forwarded-proto": "http" } });
    expect(plain.setCookie?.toLowerCase()).not.toContain("secure");
  });

  it("takes only http or https from X-Forwarded-Proto: anything else a proxy passes on is http, never part of a link", async () => {
    const link = async (proto: string) => (await api(server, "/api/admin/join-code", { cookie: admin, headers: { "x-forwarded-proto": proto } })).body.url as string;
    for (const proto of ["http://evil.example/#", "javascript", "ftp", "https-ish", "data:text/html,x", ""]) {
      expect([proto, await link(proto)]).toEqual([proto, expect.stringMatching(new RegExp(`^http://${host.replace(/[.]/g, "[.]")}/join/[^/?#]+$`))]);
    }
    // Positive control: https, and its first value of several.
    expect(await link("HTTPS, http")).toMatch(new RegExp(`^https://${host.replace(/[.]/g, "[.]")}/join/`));
  });
});

describe("an origin listed in CORS_ORIGINS", () => {
  const APP = "https://app.example";
  let server: TestServer;
  let alice: string;
  beforeAll(async () => {
    server = await startTestServer({ corsOrigins: [APP] });
    alice = await joinAs(server, await setupAdmin(server), "alice");
  }, 90_000); // boots a server and signs people in (argon2): slow on a busy machine
  afterAll(() => server.close());

  const cors = (res: { headers: Headers }) => ({
    origin: res.headers.get("access-control-allow-origin"),
    credentials: res.headers.get("access-control-allow-credentials"),
  });

  it("may use the API with credentials: preflights are answered, and answers carry the CORS headers", async () => {
    const preflight = await fetch(`${server.url}/api/rooms/general/messages`, {
      method: "OPTIONS",
      headers: { origin: APP, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
    });
    expect(preflight.status).toBe(204);
    expect(cors(preflight)).toEqual({ origin: APP, credentials: "true" });
    expect(preflight.headers.get("access-control-allow-methods")).toContain("POST");
    expect(preflight.headers.get("access-control-allow-headers")).toBe("content-type");

    const post = await api(server, "/api/rooms/general/messages", { body: { text: "from the app" }, cookie: alice, headers: { origin: APP } });
    expect(post.status).toBe(201);
    expect(cors(post)).toEqual({ origin: APP, credentials: "true" });
    expect(post.headers.get("vary")).toMatch(/origin/i);
    // Refusals carry them too, so the page can read why (and Retry-After).
    const refused = await api(server, "/api/search?q=", { cookie: alice, headers: { origin: APP } });
    expect([refused.status, cors(refused)]).toEqual([400, { origin: APP, credentials: "true" }]);
    expect(refused.headers.get("access-control-expose-headers")).toContain("Retry-After");
    const stream = await openStream(`${server.url}/api/notifications/stream`, { cookie: alice, origin: APP });
    expect([stream.status, cors(stream)]).toEqual([200, { origin: APP, credentials: "true" }]);
    stream.close();
  });

  it("while any other origin gets no CORS header, preflight or not", async () => {
    const other = "https://evil.example";
    const preflight = await fetch(`${server.url}/api/rooms/general/messages`, {
      method: "OPTIONS",
      headers: { origin: other, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
    });
    expect(cors(preflight)).toEqual({ origin: null, credentials: null });
    const read = await api(server, "/api/search?q=app", { cookie: alice, headers: { origin: other } });
    expect(cors(read)).toEqual({ origin: null, credentials: null });
    const write = await api(server, "/api/rooms/general/messages", { body: { text: "x" }, cookie: alice, headers: { origin: other } });
    expect([write.status, cors(write)]).toEqual([403, { origin: null, credentials: null }]);
  });
});

async function adminCookie(server: TestServer) {
  return (await api(server, "/api/session", { body: { name: "admin", password: "correct horse battery" } })).cookie!;
}
