import net from "node:net";
import { hostname } from "node:os";
import { io as ioClient } from "socket.io-client";
import { api, setupAdmin } from "../helpers/http";
import { startServerProcess, type ServerProcess } from "../helpers/process";
import { call, startTestServer, track, type TestServer } from "../helpers/server";

type RawAnswer = { status: number; head: string; body: string };

/**
 * One request written byte for byte (so that Host can be anything, or absent), on its own connection;
 * resolves with the status, the header block and the body once the server closes or `holdMs` passes.
 */
function raw(port: number, lines: string[], body = "", holdMs = 3000): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, "127.0.0.1", () => sock.write(`${lines.join("\r\n")}\r\n\r\n${body}`));
    let got = "";
    const done = () => {
      clearTimeout(timer);
      sock.destroy();
      const [head, ...rest] = got.split("\r\n\r\n");
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
      if (!status) return reject(new Error(`no HTTP answer: ${JSON.stringify(got.slice(0, 200))}`));
      resolve({ status, head, body: rest.join("\r\n\r\n") });
    };
    const timer = setTimeout(done, holdMs);
    sock.on("data", (d) => {
      got += d;
      // An SSE stream or an accepted WebSocket stays open: the head is enough.
      if (/^HTTP\/1\.1 (200|101)/.test(got) && got.includes("\r\n\r\n")) done();
    });
    sock.on("close", done);
    sock.on("error", reject);
  });
}

const get = (port: number, target: string, host: string | undefined, extra: string[] = []) =>
  raw(port, [`GET ${target} HTTP/1.1`, ...(host === undefined ? [] : [`Host: ${host}`]), "Connection: close", ...extra]);

const wsUpgrade = (port: number, host: string) =>
  raw(port, [
    "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1",
    `Host: ${host}`,
    "Connection: Upgrade",
    "Upgrade: websocket",
    "Sec-WebSocket-Version: 13",
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
  ]);

/** A socket.io-client connection that names `host` in its Host header; resolves true once connected, false on connect_error. */
function connectsAs(url: string, transport: string, host: string, auth: Record<string, unknown>): Promise<boolean> {
  const socket = track(ioClient(url, { auth, transports: [transport], reconnection: false, forceNew: true, extraHeaders: { host } }));
  return new Promise((resolve) => (socket.once("connect", () => resolve(true)), socket.once("connect_error", () => resolve(false))));
}

const expectRefused = (res: RawAnswer) => {
  expect(res.status).toBe(421);
  expect(JSON.parse(res.body).error).toEqual({ code: "forbidden", message: expect.stringContaining("ALLOWED_HOSTS") });
};

describe("requests naming a host the server does not answer to (DNS rebinding)", () => {
  let server: TestServer;
  let port: number;
  beforeAll(async () => {
    server = await startTestServer({ allowedHosts: ["chat.example", ".corp.example"], guestAccess: true });
    port = server.port;
  }, 60_000);
  afterAll(() => server.close());

  it("refuses /api/setup on a fresh server, and the server stays fresh", async () => {
    const body = JSON.stringify({ name: "mallory", password: "correct horse battery" });
    const refused = await raw(
      port,
      ["POST /api/setup HTTP/1.1", "Host: evil.example", `Origin: http://evil.example:${port}`, "Content-Type: application/json", `Content-Length: ${body.length}`],
      body,
    );
    expectRefused(refused);
    expect(refused.head).toMatch(/^HTTP\/1\.1 421 Misdirected Request/);
    // Positive control: the same request under the server's own address creates the admin.
    expect((await api(server, "/api/setup", { body: { name: "admin", password: "correct horse battery" } })).status).toBe(201);
  });

  it("refuses a socket.io-client WebSocket handshake, and lets the same client in by an allowed name", async () => {
    // (Node's fetch, which the client polls with, sends its own Host: polling is tested raw below.)
    expect(await connectsAs(server.url, "websocket", `evil.example:${port}`, { name: "guest-ws" })).toBe(false);
    expect(await connectsAs(server.url, "websocket", `localhost:${port}`, { name: "guest-ws" })).toBe(true);
  });

  it("refuses the raw polling handshake and the WebSocket upgrade with 421", async () => {
    const polling = "/socket.io/?EIO=4&transport=polling";
    expectRefused(await get(port, polling, `evil.example:${port}`, ["Origin: http://evil.example"]));
    const opened = await get(port, polling, `chat.example:${port}`, [`Origin: http://chat.example:${port}`]);
    expect([opened.status, /"sid"/.test(opened.body)]).toEqual([200, true]);
    expectRefused(await wsUpgrade(port, `evil.example:${port}`));
    expect((await wsUpgrade(port, `127.0.0.1:${port}`)).status).toBe(101);
  });

  it("refuses an SSE stream and an upload, with the session cookie and the page's own Origin", async () => {
    const { cookie } = await api(server, "/api/session", { body: { name: "admin", password: "correct horse battery" } });
    const evil = `evil.example:${port}`;
    expectRefused(await get(port, "/api/notifications/stream", evil, [`Cookie: ${cookie}`, `Origin: http://${evil}`]));
    const multipart = '--b\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b--\r\n';
    const upload = (host: string) =>
      raw(
        port,
        [`POST /api/rooms/general/uploads HTTP/1.1`, `Host: ${host}`, `Cookie: ${cookie}`, `Origin: http://${host}`, "Content-Type: multipart/form-data; boundary=b", `Content-Length: ${multipart.length}`, "Connection: close"],
        multipart,
      );
    expectRefused(await upload(evil));
    // Positive controls: the same stream and upload under an allowed name.
    expect((await get(port, "/api/notifications/stream", `chat.example:${port}`, [`Cookie: ${cookie}`, `Origin: http://chat.example:${port}`])).status).toBe(200);
    expect((await upload(`chat.example:${port}`)).status).toBe(201);
  });

  it("answers IP literals, localhost, ALLOWED_HOSTS names and their subdomains, in any case and with a trailing dot", async () => {
    const allowed = [`127.0.0.1:${port}`, "127.0.0.1", `[::1]:${port}`, "[::1]", `localhost:${port}`, `app.localhost:${port}`, "LOCALHOST.", `10.1.2.3:${port}`,
      `chat.example:${port}`, "Chat.Example.", "corp.example", `a.b.corp.example:${port}`];
    for (const host of allowed) expect([host, (await get(port, "/healthz", host)).status]).toEqual([host, 200]);
    const refused = ["evil.example", `evil.example:${port}`, "chat.example.evil.example", "xcorp.example", "localhost.evil.example", "[::1", "a b", "", `${hostname()}.evil.example`];
    for (const host of refused) expect([host, (await get(port, "/healthz", host)).status]).toEqual([host, 421]);
  });

  it("judges a request target in absolute form by its authority, not by Host (RFC 9112 §3.2.2)", async () => {
    for (const target of ["http://evil.example/healthz", `http://evil.example:${port}/healthz`, "http://chat.example@evil.example/healthz", "HTTP://EVIL.EXAMPLE/healthz"])
      expect([target, (await get(port, target, "chat.example")).status]).toEqual([target, 421]);
    expect((await get(port, `http://chat.example:${port}/healthz`, "evil.example")).status).toBe(200);
    expect((await get(port, "http://127.0.0.1/healthz", "evil.example")).status).toBe(200);
  });

  it("refuses a request with more than one Host line (RFC 9112 §3.2), whichever comes first, on every transport", async () => {
    const twice = [
      [`127.0.0.1:${port}`, "evil.example"],
      ["evil.example", `127.0.0.1:${port}`],
      ["chat.example", "chat.example"],
      [`127.0.0.1:${port}`, ""],
    ];
    for (const [first, second] of twice) {
      expectRefused(await get(port, "/healthz", first, [`host: ${second}`]));
      expectRefused(await get(port, "/api/session", first, [`HOST: ${second}`]));
      expectRefused(await raw(port, ["GET /socket.io/?EIO=4&transport=polling HTTP/1.1", `Host: ${first}`, `Host: ${second}`, "Connection: close"]));
      const upgrade = await raw(port, [
        "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1",
        `Host: ${first}`,
        `Host: ${second}`,
        "Connection: Upgrade",
        "Upgrade: websocket",
        "Sec-WebSocket-Version: 13",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
      ]);
      expect(upgrade.status).toBe(421);
    }
    // One Host line, and a header that merely ends in "host", still pass.
    expect((await get(port, "/healthz", `127.0.0.1:${port}`, ["X-Forwarded-Host: evil.example", "Ghost: 1"])).status).toBe(200);
  });

  it("answers an HTTP/1.0 request without Host (not a browser), while HTTP/1.1 without one is malformed", async () => {
    expect((await raw(port, ["GET /healthz HTTP/1.0"])).status).toBe(200);
    expect((await get(port, "/healthz", undefined)).status).toBe(400);
  });
});

describe("the default allowed hosts", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ guestAccess: true });
  }, 60_000);
  afterAll(() => server.close());

  it("answers the machine's host name and IP literals, and refuses other names", async () => {
    expect((await get(server.port, "/healthz", `${hostname()}:${server.port}`)).status).toBe(200);
    expect((await get(server.port, "/healthz", `192.168.1.20:${server.port}`)).status).toBe(200);
    expectRefused(await get(server.port, "/healthz", `evil.example:${server.port}`));
    // Nothing else was started by the refused requests: the fresh server still needs its admin.
    expect((await api(server, "/api/setup", { body: { name: "admin", password: "correct horse battery" } })).status).toBe(201);
  });

  it("answers any host with ALLOWED_HOSTS=*", async () => {
    const open = await startTestServer({ allowedHosts: ["*"] });
    try {
      expect((await get(open.port, "/healthz", "anything.example")).status).toBe(200);
    } finally {
      await open.close();
    }
  });
});

describe("pages", () => {
  let proc: ServerProcess;
  beforeAll(async () => {
    // The build's server, as `npm start` runs it (npm test builds first): pages are served, not compiled on demand.
    proc = await startServerProcess({ env: { ALLOWED_HOSTS: "chat.example", DATA_DIR: "memory://", NODE_ENV: "production" } });
  }, 180_000);
  afterAll(() => proc?.stop());

  it("refuses a page for a foreign host and serves it for an allowed one", async () => {
    expectRefused(await get(proc.port, "/setup", `evil.example:${proc.port}`));
    expect((await get(proc.port, "/setup", `chat.example:${proc.port}`)).status).toBe(200);
    expect((await get(proc.port, "/setup", `localhost:${proc.port}`)).status).toBe(200);
    expect(proc.output()).toMatch(/add it to ALLOWED_HOSTS/);
  });
});
