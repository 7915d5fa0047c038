/**
 * Cookie tossing: a site on another port of the same host (or a sibling subdomain) sets a
 * `hibiki_session` cookie of an account of its choosing for a narrower path (`Path=/api`), which the
 * browser sends before the person's own. Taking the first made the person's API calls, uploads and
 * socket run as that account (an outside trial). A request with several different session cookies is
 * now signed out, on every transport, and its answer expires each such cookie it could carry.
 */
import { request, type IncomingMessage } from "node:http";
import { io as ioClient, type Socket } from "socket.io-client";
import { sessionTokenOf } from "@/lib/auth/identify";
import { sessionCookieClears } from "@/lib/http/session-cookie";
import { api, joinAs, setupAdmin } from "../helpers/http";
import { call, connect, startTestServer, track, type TestServer } from "../helpers/server";

let server: TestServer;
let bob: string;
let carol: string;
beforeAll(async () => {
  server = await startTestServer({ rateLimitMessages: 0 });
  const admin = await setupAdmin(server, "root", "root-password");
  bob = await joinAs(server, admin, "bob");
  carol = await joinAs(server, admin, "carol");
});
afterAll(() => server.close());

/** The Set-Cookie lines of an answer that expire `hibiki_session`, as "path|domain". */
const clearedAt = (res: Response | { headers: Headers }) =>
  res.headers
    .getSetCookie()
    .filter((c) => /^hibiki_session=;/.test(c) && /Expires=Thu, 01 Jan 1970/.test(c))
    .map((c) => `${/Path=([^;]*)/.exec(c)?.[1]}|${/Domain=([^;]*)/.exec(c)?.[1] ?? ""}`);

describe("several session cookies in one request", () => {
  // What a browser sends when another site tossed carol's session in for /api: the narrower path first.
  const tossed = () => `${carol}; ${bob}`;

  it("is signed out over HTTP, and the answer expires the cookie at every path the request could carry it but Hibiki's own", async () => {
    // Control: each alone is who it says.
    expect((await api(server, "/api/session", { cookie: bob })).body.user?.name).toBe("bob");
    expect((await api(server, "/api/session", { cookie: carol })).body.user?.name).toBe("carol");
    const res = await api(server, "/api/session", { cookie: tossed() });
    expect(res.body.user ?? null).toBeNull();
    expect(clearedAt(res)).toEqual(["/api|", "/api/|", "/api/session|", "/api/session/|"]);
    // A garbage cookie first, a valid one after: signed out too (it was before), and cleared.
    const garbage = await api(server, "/api/session", { cookie: `hibiki_session=garbage; ${bob}` });
    expect(garbage.body.user ?? null).toBeNull();
    expect(clearedAt(garbage)).toContain("/api|");
    // An action is refused, not done as either account.
    const post = await api(server, "/api/rooms/general/messages", { cookie: tossed(), body: { text: "from whom?" }, headers: { origin: server.url } });
    expect(post.status).toBe(401);
    const seen = await connect(server.url, {}, { extraHeaders: { cookie: bob } });
    await call(seen, "join-room", "general");
    expect((await call(seen, "history", { room: "general" })).messages.map((m: { text: string }) => m.text)).not.toContain("from whom?");
  });

  it("is one session when the same value comes twice, and a request with one cookie has nothing cleared", async () => {
    const twice = await api(server, "/api/session", { cookie: `${bob}; ${bob}` });
    expect(twice.body.user?.name).toBe("bob");
    expect(clearedAt(twice)).toEqual([]);
    expect(clearedAt(await api(server, "/api/session", { cookie: bob }))).toEqual([]);
  });

  it("is refused on the notification stream", async () => {
    const res = await fetch(`${server.url}/api/notifications/stream`, { headers: { cookie: tossed(), origin: server.url, accept: "text/event-stream" } });
    expect(res.status).toBe(401);
    expect(clearedAt(res)).toContain("/api/notifications|");
    await res.body?.cancel();
    const own = await fetch(`${server.url}/api/notifications/stream`, { headers: { cookie: bob, origin: server.url, accept: "text/event-stream" } });
    expect(own.status).toBe(200);
    await own.body?.cancel();
  });

  it("is refused at the Socket.IO handshake, whose answer expires the cookies (polling handshake)", async () => {
    const refused = await connect(server.url, {}, { extraHeaders: { cookie: tossed() } }).then(
      (s: Socket) => `connected as ${s.id}`,
      (e: Error) => e.message,
    );
    expect(refused).toBe("unauthorized");
    // Nor taken as a guest with a name beside the cookies.
    const asGuest = await connect(server.url, { name: "mallory" }, { extraHeaders: { cookie: tossed() } }).then(() => "connected", (e: Error) => e.message);
    expect(asGuest).toBe("unauthorized");
    const handshake = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, { headers: { cookie: tossed(), origin: server.url } });
    expect(handshake.status).toBe(200);
    expect(clearedAt(handshake)).toEqual(["/socket.io|", "/socket.io/|"]);
    await handshake.text();
    // The WebSocket upgrade's answer (the web client's transport) too: its header lines, one per cookie.
    const upgrade = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = request(`${server.url}/socket.io/?EIO=4&transport=websocket`, {
        headers: { connection: "Upgrade", upgrade: "websocket", "sec-websocket-version": "13", "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==", origin: server.url, cookie: tossed() },
      });
      req.on("upgrade", (res, socket) => (socket.destroy(), resolve(res)));
      req.on("response", (res) => reject(new Error(`answered ${res.statusCode}, not upgraded`)));
      req.on("error", reject).end();
    });
    expect(upgrade.statusCode).toBe(101);
    expect(clearedAt({ headers: new Headers((upgrade.headers["set-cookie"] ?? []).map((c) => ["set-cookie", c] as [string, string])) })).toEqual(
      ["/socket.io|", "/socket.io/|"],
    );
    // The person's own cookie alone connects as them.
    const own = track(ioClient(server.url, { extraHeaders: { cookie: bob, origin: server.url }, transports: ["websocket"], reconnection: false, forceNew: true }));
    await new Promise<void>((resolve, reject) => {
      own.once("connect", () => resolve());
      own.once("connect_error", reject);
    });
    expect((await call(own, "join-room", "general")).room.name).toBe("general");
  });
});

describe("sessionTokenOf and sessionCookieClears", () => {
  it("reads one session token, none, or several as null", () => {
    expect(sessionTokenOf(undefined)).toBeUndefined();
    expect(sessionTokenOf("lang=ja")).toBeUndefined();
    expect(sessionTokenOf("lang=ja; hibiki_session=abc")).toBe("abc");
    expect(sessionTokenOf("hibiki_session=abc;hibiki_session=abc")).toBe("abc");
    expect(sessionTokenOf("hibiki_session=abc; hibiki_session=abd")).toBeNull();
    expect(sessionTokenOf("hibiki_session=; hibiki_session=abc")).toBe("abc");
    // Another cookie whose name ends in the session cookie's is not it.
    expect(sessionTokenOf("x_hibiki_session=abd; hibiki_session=abc")).toBe("abc");
  });

  it("clears every path prefix but the host's own \"/\" (Hibiki's cookie), and at the parent domains of a host name (never of an address)", () => {
    const at = (lines: string[]) => lines.map((c) => `${/Path=([^;]*)/.exec(c)?.[1]}|${/Domain=([^;]*)/.exec(c)?.[1] ?? ""}`);
    expect(at(sessionCookieClears("/api/files/1", "127.0.0.1", false))).toEqual(["/api|", "/api/|", "/api/files|", "/api/files/|", "/api/files/1|", "/api/files/1/|"]);
    const named = at(sessionCookieClears("/api", "chat.team.example", true));
    expect(named).toEqual(["/api|", "/api/|", "/|team.example", "/api|team.example", "/api/|team.example"]);
    expect(sessionCookieClears("/", "chat.team.example", true).every((c) => /; Secure/.test(c) && /; HttpOnly/.test(c))).toBe(true);
  });
});
