/**
 * A stop signal that comes while the server is still starting closes it cleanly once it has started:
 * exit code 0, "shut down" logged. CI caught the production server ending silently (no "Hibiki is
 * ready", no "shut down", killed by the signal) when a SIGTERM came just after /healthz first answered,
 * before the start-up code had put its signal listeners in; a deploy that stops a server as soon as it
 * answers (a rolling restart, a supervisor giving up on a slow start) would lose the clean shutdown.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
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
  const start = async (name: string) => {
    const port = await freePort();
    const child = spawn(process.execPath, [SERVER], {
      cwd: ROOT,
      env: { ...process.env, REDIS_URL: "", DATABASE_URL: "", NODE_OPTIONS: "", HOST: "127.0.0.1", PORT: String(port), LOG_LEVEL: "info", LOG_FORMAT: "json", NEXT_TELEMETRY_DISABLED: "1", DATA_DIR: path.join(dir, name) },
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
});
