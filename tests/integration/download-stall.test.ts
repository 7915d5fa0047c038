/**
 * A download the client stops reading is cut off after SEND_TIMEOUT_MS without progress (nginx's
 * `send_timeout`): otherwise each stalled reader held a connection and an open file for ever. A reader
 * that keeps reading, however slowly, is not cut off.
 */
import { connect as tcpConnect, type Socket } from "node:net";
import { randomBytes } from "node:crypto";
import { joinAs, setupAdmin } from "../helpers/http";
import { startTestServer, until, type TestServer } from "../helpers/server";
import { upload } from "../helpers/uploads";
import { Writable } from "node:stream";
import { createLogger } from "../../lib/log";

let server: TestServer;
let alice: string;
let url: string;
/** The server's log lines (JSON), to see it cut a download off. */
const lines: string[] = [];
const SIZE = 24 * 1024 * 1024;
/**
 * The server's SEND_TIMEOUT_MS here: short, so a stall is cut off soon, yet ten times the slow reader's
 * 200 ms pauses, so a test process slowed by a busy machine (a CI run's other suites) still reads within
 * it (at 600 ms a CI run saw the steady reader cut off).
 */
const SEND_TIMEOUT_MS = 2000;

beforeAll(async () => {
  const sink = new Writable({ write: (chunk, _e, cb) => (lines.push(String(chunk)), cb()) });
  server = await startTestServer({ sendTimeoutMs: SEND_TIMEOUT_MS }, { log: createLogger({ level: "info", destination: sink }) });
  const admin = await setupAdmin(server, "admin");
  alice = await joinAs(server, admin, "alice");
  const res = await upload(server, "general", { name: "dump.bin", bytes: randomBytes(SIZE) }, { cookie: alice, origin: server.url });
  expect(res.status).toBe(201);
  url = res.body.upload.url;
}, 120_000);
/** Every client connection, closed before the server (a stalled one would otherwise keep it open). */
const sockets: Socket[] = [];
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await server.close();
});

/** A raw GET of the file on its own connection; `received` counts the bytes read so far. */
function get(): { socket: Socket; closed: () => boolean; received: () => number } {
  const { port } = new URL(server.url);
  const socket = tcpConnect(Number(port), "127.0.0.1");
  sockets.push(socket);
  let closed = false;
  let received = 0;
  socket.on("data", (d: Buffer) => (received += d.length));
  socket.on("close", () => (closed = true));
  socket.on("error", () => undefined);
  socket.write(`GET ${url} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nCookie: ${alice}\r\n\r\n`);
  return { socket, closed: () => closed, received: () => received };
}

it("cuts off a client that stopped reading, with the file far from sent", async () => {
  const c = get();
  // The client reads nothing: the kernel's buffers (small while nothing is read) fill, then the server's
  // writes stall. (A paused client cannot see the close itself: the server's log says it.)
  c.socket.pause();
  await until(() => lines.some((l) => l.includes("cut off a download the client stopped reading")), 15_000, "the server to cut the download off");
  // What the kernel held for it is all the client gets, far from the whole file, and then the end.
  c.socket.resume();
  await until(() => c.closed(), 5000, "the connection to end");
  expect(c.received()).toBeGreaterThan(0);
  expect(c.received()).toBeLessThan(SIZE);
});

it("lets a slow but steady reader finish, however long the whole download takes", async () => {
  const { port } = new URL(server.url);
  const socket = tcpConnect(Number(port), "127.0.0.1");
  sockets.push(socket);
  let closed = false;
  socket.on("close", () => (closed = true));
  socket.on("error", () => undefined);
  socket.write(`GET ${url} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nCookie: ${alice}\r\n\r\n`);
  // Every 200 ms the client takes about 512 KiB, never going quiet for the timeout's 2 s.
  let received = 0;
  let taken = 0;
  const started = Date.now();
  socket.on("data", (d: Buffer) => {
    received += d.length;
    taken += d.length;
    if (taken >= 512 * 1024) socket.pause();
  });
  const tick = setInterval(() => {
    taken = 0;
    socket.resume();
  }, 200);
  try {
    await until(() => received >= SIZE || closed, 60_000, "the whole file");
    expect(closed).toBe(false);
    expect(received).toBeGreaterThanOrEqual(SIZE);
    // Many times the timeout: what counts is progress, not the whole transfer's length.
    expect(Date.now() - started).toBeGreaterThan(3 * SEND_TIMEOUT_MS);
  } finally {
    clearInterval(tick);
    socket.destroy();
  }
}, 90_000);
