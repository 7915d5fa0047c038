/**
 * A stop signal that comes while the server is still starting closes it cleanly once it has started:
 * exit code 0, "shut down" logged. CI caught the production server ending silently (no "Hibiki is
 * ready", no "shut down", killed by the signal) when a SIGTERM came just after /healthz first answered,
 * before the start-up code had put its signal listeners in; a deploy that stops a server as soon as it
 * answers (a rolling restart, a supervisor giving up on a slow start) would lose the clean shutdown.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort, ROOT } from "../helpers/process";
import { until } from "../helpers/server";

jest.setTimeout(120_000);

const SERVER = path.join(ROOT, "dist/server.js");

describe("a stop signal while the server starts", () => {
  const children: ChildProcess[] = [];
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "hibiki-signal-start-"));
  });
  afterAll(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  /** Starts the production server; resolves its output so far, and how it ended. */
  const start = async (name: string, env: Record<string, string> = {}) => {
    const port = await freePort();
    const child = spawn(process.execPath, [SERVER], {
      cwd: ROOT,
      env: { ...process.env, REDIS_URL: "", DATABASE_URL: "", NODE_OPTIONS: "", HOST: "127.0.0.1", PORT: String(port), LOG_LEVEL: "info", LOG_FORMAT: "json", NEXT_TELEMETRY_DISABLED: "1", DATA_DIR: path.join(dir, name), ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    let out = "";
    child.stdout!.on("data", (d) => (out += d));
    child.stderr!.on("data", (d) => (out += d));
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
    const msgs = () =>
      out
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => (JSON.parse(l) as { msg: string }).msg);
    return { child, ended, msgs, out: () => out, url: `http://127.0.0.1:${port}` };
  };

  it.each([
    // Before the HTTP server listens: the database is open, Next.js is still preparing.
    ["while it opens the database and Next.js", (m: string[]) => m.includes("database ready")],
    // The moment it listens: what CI's run met, between "listening" and "Hibiki is ready".
    ["the moment it starts listening", (m: string[]) => m.includes("listening")],
  ])("SIGTERM %s: it starts, closes everything and exits 0", async (_when, reached) => {
    const s = await start(_when.replace(/\W+/g, "-"));
    await until(() => reached(s.msgs()) || s.child.exitCode !== null, 90_000, "start-up point");
    s.child.kill("SIGTERM");
    const { code, signal } = await s.ended;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(s.msgs()).toEqual(expect.arrayContaining(["signal received", "shut down"]));
  });

  it("SIGTERM just after /healthz first answers: a clean shutdown", async () => {
    const s = await start("after-healthz");
    await until(async () => s.child.exitCode === null && (await fetch(`${s.url}/healthz`).catch(() => null))?.ok === true, 90_000, "/healthz");
    s.child.kill("SIGTERM");
    const { code, signal } = await s.ended;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(s.msgs()).toEqual(expect.arrayContaining(["signal received", "shut down"]));
  });

  // From an operator trial: a first start stopped while its child process was making the new data dir
  // (SIGTERM twice, or a start slower than SHUTDOWN_TIMEOUT_MS) left that child writing on, or, killed, a
  // half-made cluster; the next start failed with "PGlite failed to initialize properly".
  it.each([
    ["a second SIGTERM", { SHUTDOWN_TIMEOUT_MS: "10000" }, 2],
    ["a start slower than SHUTDOWN_TIMEOUT_MS", { SHUTDOWN_TIMEOUT_MS: "100" }, 1],
  ] as const)("a first start stopped while it makes the data dir (%s): the next start opens it", async (_why, env, signals) => {
    const name = `stopped-first-start-${signals}`;
    const staging = path.join(dir, name, ".new-cluster");
    const first = await start(name, env);
    // The child process is making the cluster: its files are coming in.
    await until(() => existsSync(path.join(staging, "base")) || existsSync(path.join(dir, name, "base")) || first.child.exitCode !== null, 60_000, "the new cluster's files");
    first.child.kill("SIGTERM");
    // The second once the first was heard (two pending signals of one kind are one).
    if (signals === 2) {
      await until(() => first.msgs().includes("signal received"), 10_000, "the first signal heard");
      first.child.kill("SIGTERM");
    }
    await first.ended;
    // A second signal no longer cuts the shutdown short; a too slow start still ends it with code 1.
    if (signals === 2) expect(first.msgs()).toEqual(expect.arrayContaining(["signal received again: still shutting down", "shut down"]));
    const again = await start(name);
    await until(async () => again.child.exitCode === null && (await fetch(`${again.url}/healthz`).catch(() => null))?.ok === true, 90_000, "/healthz");
    // Opened, and its database answers.
    expect((await fetch(`${again.url}/readyz`)).status).toBe(200);
    again.child.kill("SIGTERM");
    expect(await again.ended).toEqual({ code: 0, signal: null });
    expect(again.msgs()).not.toContain("startup failed");
    expect(existsSync(staging)).toBe(false);
  });
});
