import { existsSync, mkdtempSync, rmSync, utimesSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import WebSocket from "ws";
import { io as ioClient } from "socket.io-client";
import { ROOT, startServerProcess, type ServerProcess } from "../helpers/process";
import { call, collect, track, until, type TestServer } from "../helpers/server";
import { setupAdmin } from "../helpers/http";
import { emojiDataPath } from "@/components/chat/emoji-data-path";

/** Sends a raw upgrade request and resolves with the first response line, or "open after N ms". */
function rawUpgrade(port: number, pathName: string, holdMs: number): Promise<string> {
  return new Promise((resolve) => {
    const sock = net.connect(port, "127.0.0.1", () => {
      sock.write(
        `GET ${pathName} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
          `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
      );
    });
    let got = "";
    const timer = setTimeout(() => (sock.destroy(), resolve(`open after ${holdMs} ms`)), holdMs);
    sock.on("data", (d) => {
      got += d;
      if (got.includes("\r\n")) {
        clearTimeout(timer);
        sock.destroy();
        resolve(got.split("\r\n")[0]);
      }
    });
    sock.on("close", () => (clearTimeout(timer), resolve(got ? got.split("\r\n")[0] : "closed")));
  });
}

async function roundTrip(url: string) {
  const a = track(ioClient(url, { auth: { name: `ws-${Date.now()}` }, transports: ["websocket"], reconnection: false }));
  await new Promise<void>((resolve, reject) => (a.once("connect", () => resolve()), a.once("connect_error", reject)));
  expect(a.io.engine.transport.name).toBe("websocket");
  const got = collect(a, "receive-message");
  await call(a, "join-room", "upgrades");
  await call(a, "send-message-to-room", { room: "upgrades", message: "through the upgrade" });
  await until(() => got.length === 1, 3000, "own copy");
  return a;
}

describe("one port in production: pages, API and Socket.IO together", () => {
  let server: ServerProcess;
  let dataDir: string;
  beforeAll(async () => {
    if (!existsSync(path.join(ROOT, "dist/server.js"))) throw new Error("no production build: run `npm run build` (npm test does)");
    dataDir = mkdtempSync(path.join(tmpdir(), "hibiki-next-"));
    server = await startServerProcess({ env: { DATA_DIR: dataDir, NODE_ENV: "production" } });
  }, 150_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("serves pages with a nonce CSP and security headers", async () => {
    const res = await fetch(`${server.url}/setup`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/script-src [^;]*'nonce-[A-Za-z0-9+/=]+'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    const html = await res.text();
    const nonce = /'nonce-([^']+)'/.exec(csp)![1];
    expect(html).toContain(`nonce="${nonce}"`);
  });

  // From an outside trial: the headers of a prefetch (anyone can send them) took the policy off the page.
  it.each<Record<string, string>>([{ purpose: "prefetch" }, { "next-router-prefetch": "1" }, { "sec-purpose": "prefetch" }, { purpose: "prefetch", "next-router-prefetch": "1" }])(
    "serves the page's policy with prefetch headers too: %j",
    async (headers) => {
      const res = await fetch(`${server.url}/setup`, { headers });
      expect(res.status).toBe(200);
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp).toMatch(/script-src [^;]*'nonce-[A-Za-z0-9+/=]+'/);
      expect(await res.text()).toContain(`nonce="${/'nonce-([^']+)'/.exec(csp)![1]}"`);
    },
  );

  it("serves the full emoji picker's data from this origin in both UI languages, compressed and kept for good", async () => {
    for (const lang of ["en", "ja"] as const) {
      const res = await fetch(`${server.url}${emojiDataPath(lang)}`, { headers: { "accept-encoding": "gzip" } });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/application\/json/);
      expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      expect(res.headers.get("content-encoding")).toBe("gzip");
      // No page policy on data (proxy.ts skips it).
      expect(res.headers.get("content-security-policy")).toBeNull();
      const emoji = (await res.json()) as { annotation: string; emoji: string }[];
      expect(emoji.find((e) => e.emoji === "😀")?.annotation).toBe(lang === "ja" ? "にっこり笑う" : "grinning face");
    }
  });

  it("lets a websocket-only client connect straight away after pages were served", async () => {
    await fetch(`${server.url}/`);
    await fetch(`${server.url}/rooms/general`);
    await roundTrip(server.url);
  });

  it("answers upgrades for other paths with 404 instead of leaving them hanging", async () => {
    expect(await rawUpgrade(server.port, "/not-socket-io", 3000)).toMatch(/^HTTP\/1.1 404/);
    expect(await rawUpgrade(server.port, "/_next/webpack-hmr", 3000)).toMatch(/^HTTP\/1.1 404/);
  });

  // Last: it sets the server up, after which guests (the websocket-only clients above) are not let in.
  it("titles a room's page with its name only for a reader who may read it, isolated when it could reorder the title", async () => {
    const alice = await setupAdmin(server as unknown as TestServer, "alice");
    const socket = track(ioClient(server.url, { transports: ["websocket"], reconnection: false, extraHeaders: { cookie: alice, origin: server.url } }));
    await new Promise<void>((resolve, reject) => (socket.once("connect", () => resolve()), socket.once("connect_error", reject)));
    await call(socket, "create-room", { name: "שלום-team", private: true });
    const title = async (room: string, cookie?: string) => {
      const res = await fetch(`${server.url}/rooms/${encodeURIComponent(room)}`, { headers: cookie ? { cookie } : {} });
      expect(res.status).toBe(200);
      return /<title>([^<]*)<\/title>/.exec(await res.text())?.[1];
    };
    expect(await title("general", alice)).toBe("#general · Hibiki");
    // A right-to-left name the reader may read: isolated, so " · Hibiki" stays after it.
    expect(await title("שלום-team", alice)).toBe("#\u2068שלום-team\u2069 · Hibiki");
    // Anyone's address: no such room, a room the reader may not read, no reader at all.
    for (const [room, cookie] of [["\u202Eevil\u202C-room", alice], ["no-such-room", alice], ["שלום-team", undefined], ["general", undefined]] as const)
      expect(await title(room, cookie)).toBe("Hibiki");
  });
});

describe("one port in development (npm run dev): Next's HMR socket and Socket.IO side by side", () => {
  let server: ServerProcess;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "hibiki-dev-"));
    server = await startServerProcess({
      entry: ["--import", "tsx", path.join(ROOT, "server.ts")],
      env: { DATA_DIR: dataDir, NODE_ENV: "development" },
      timeoutMs: 120_000,
    });
  }, 150_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("compiles and serves a page, then a websocket-only client still connects", async () => {
    const res = await fetch(`${server.url}/setup`);
    expect(res.status).toBe(200);
    await roundTrip(server.url);
  }, 150_000);

  it("keeps Next's HMR WebSocket open past engine.io's upgrade timeout", async () => {
    const hmr = new WebSocket(`ws://127.0.0.1:${server.port}/_next/hmr`, { headers: { Origin: `http://127.0.0.1:${server.port}` } });
    await new Promise<void>((resolve, reject) => (hmr.once("open", () => resolve()), hmr.once("error", reject)));
    // engine.io destroys foreign upgrades after 1 s by default; this one must outlive that.
    await new Promise((r) => setTimeout(r, 2500));
    expect(hmr.readyState).toBe(WebSocket.OPEN);
    hmr.close();
  }, 30_000);

  it("leaves a slow upgrade that Next is still handling alone (engine.io does not destroy it after 1 s)", async () => {
    // Next does not answer this one at once; engine.io's default would destroy it after 1000 ms.
    expect(await rawUpgrade(server.port, "/_next/not-answered-yet", 2500)).toBe("open after 2500 ms");
    expect(await rawUpgrade(server.port, "/elsewhere", 2500)).toMatch(/^HTTP\/1.1 404/);
  }, 30_000);

  it("delivers each message once after a hot reload (no second Socket.IO server)", async () => {
    const a = await roundTrip(server.url);
    const page = path.join(ROOT, "app/setup/page.tsx");
    const now = new Date();
    utimesSync(page, now, now);
    const res = await fetch(`${server.url}/setup`);
    expect(res.status).toBe(200);
    const got = collect<{ text: string }>(a, "receive-message");
    const b = await roundTrip(server.url);
    await call(b, "send-message-to-room", { room: "upgrades", message: "after reload" });
    await until(() => got.some((m) => m.text === "after reload"), 3000, "delivery after reload");
    await new Promise((r) => setTimeout(r, 200));
    expect(got.filter((m) => m.text === "after reload")).toHaveLength(1);
  }, 90_000);
});
