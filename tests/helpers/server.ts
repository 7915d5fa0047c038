import { randomUUID } from "node:crypto";
import { io as ioClient, type Socket } from "socket.io-client";
import { Client } from "pg";
import { loadConfig, type Config } from "../../lib/config";
import { startServer, type RunningServer, type StartOptions } from "../../server";
import type { Ack } from "../../lib/chat/types";
import { openDatabase, type Database } from "../../lib/db";

export type TestServer = RunningServer;

/** The real server, in process, on an ephemeral port, with in-memory PGlite unless overridden. */
export async function startTestServer(overrides: Partial<Config> = {}, opts: StartOptions = {}): Promise<TestServer> {
  const base = loadConfig({
    NODE_ENV: "test",
    PORT: "0",
    HOST: "127.0.0.1",
    DATA_DIR: "memory://",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
  });
  return startServer({ ...base, ...overrides }, { next: false, ...opts });
}

const clients: Socket[] = [];
if (typeof afterEach === "function")
  afterEach(async () => {
    const open = clients.splice(0);
    const polling = open.some((c) => c.io.engine?.transport?.name === "polling");
    for (const c of open) c.disconnect();
    // A polling client sends its close packet over one more HTTP request; let it finish before teardown.
    if (polling) await new Promise((r) => setTimeout(r, 100));
  });

/** Registers a client made by hand so it is disconnected after the test, pass or fail. */
export function track<T extends Socket>(socket: T): T {
  clients.push(socket);
  return socket;
}

/** A real socket.io-client connection; resolves once connected (rejects with the connect_error). */
export function connect(
  url: string,
  auth: Record<string, unknown> = { name: `user-${randomUUID().slice(0, 8)}` },
  opts: Record<string, unknown> = {},
): Promise<Socket> {
  // A browser sends its Origin with its cookie (the server refuses a cookie without one): do as it does.
  const headers = opts.extraHeaders as Record<string, string> | undefined;
  if (headers?.cookie && !headers.origin) opts = { ...opts, extraHeaders: { ...headers, origin: new URL(url).origin } };
  const socket = ioClient(url, { auth, transports: ["websocket"], reconnection: false, forceNew: true, ...opts });
  clients.push(socket);
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", (err) => reject(err));
  });
}

/** Emits with an ack and resolves with the ack (fails the test after `ms`). */
export function request<T = any>(socket: Socket, event: string, ...args: unknown[]): Promise<Ack<T>> {
  return socket.timeout(5000).emitWithAck(event, ...args) as Promise<Ack<T>>;
}

/** Like request, but unwraps `{ ok: true, data }` and throws on an error ack. */
export async function call<T = any>(socket: Socket, event: string, ...args: unknown[]): Promise<T> {
  const res = await request<T>(socket, event, ...args);
  if (!res.ok) throw new Error(`${event} failed: ${res.error.code} ${res.error.message}`);
  return res.data;
}

/** Collects every payload of `event` received by `socket`. */
export function collect<T = any>(socket: Socket, event: string): T[] {
  const seen: T[] = [];
  socket.on(event, (payload: T) => seen.push(payload));
  return seen;
}

/** Retries `check` until it stops throwing (or returns true), or fails after `timeoutMs`. */
export async function until(check: () => unknown, timeoutMs = 5000, what = "condition"): Promise<void> {
  const start = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const r = await check();
      if (r !== false) return;
    } catch (err) {
      last = err;
    }
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ""}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * A PostgreSQL URL whose search_path is a fresh schema, so suites can share one database in parallel.
 * Returns undefined (and the caller skips, printing why) when DATABASE_URL is unset.
 */
export async function freshPostgresUrl(): Promise<string | undefined> {
  const base = process.env.DATABASE_URL;
  if (!base) return undefined;
  // When it was made, then random: the global setup drops only old ones (tests/helpers/global-setup.js).
  const schema = `t_${Date.now().toString(36)}_${randomUUID().replace(/-/g, "").slice(0, 8)}`;
  const client = new Client({ connectionString: base });
  await client.connect();
  await client.query(`create schema ${schema}`);
  await client.end();
  const url = new URL(base);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return url.toString();
}

/**
 * The two databases a suite runs on, each opened migrated: PGlite in memory, and PostgreSQL in a fresh
 * schema (undefined when DATABASE_URL is unset: the suite skips it, printing why). For `describe.each`.
 */
export const DATABASE_BACKENDS: [string, () => Promise<Database | undefined>][] = [
  ["PGlite", () => openDatabase({ dataDir: "memory://" })],
  [
    "PostgreSQL",
    async () => {
      const url = await freshPostgresUrl();
      return url ? openDatabase({ dataDir: "", databaseUrl: url }) : undefined;
    },
  ],
];

/**
 * A suite's database on `backend` (one of DATABASE_BACKENDS): opened before its tests, closed after.
 * `db()` is it; `t` declares a test that does nothing on a backend that is not there (PostgreSQL without
 * DATABASE_URL), which is said once for the suite (`what` names it).
 */
export function useBackendDatabase(backend: string, open: () => Promise<Database | undefined>, what: string) {
  let db: Database | undefined;
  beforeAll(async () => {
    db = await open();
    if (!db) process.stdout.write(`skipping ${backend} ${what} tests: DATABASE_URL is not set\n`);
  });
  afterAll(() => db?.close());
  const t = (name: string, fn: () => Promise<void>, timeoutMs?: number) => it(name, async () => (db ? fn() : undefined), timeoutMs);
  return { db: () => db!, t };
}
