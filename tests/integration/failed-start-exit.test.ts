/**
 * A start that fails exits with code 1, whatever its log stream does: a supervisor (systemd, Docker)
 * restarts what exited, never what hangs. An operator trial piped a failing start's output into `head`:
 * once `head` had gone, the fatal record's write failed with EPIPE, and pino's synchronous flush of a
 * fatal record (sonic-boom 4's flushSync) retried it every 100 ms for ever, the process deaf to SIGTERM
 * (its main thread never free to run the handler). sonic-boom 5 throws on an error it cannot retry
 * (package.json `overrides`), which pino's `fatal` catches.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { ROOT } from "../helpers/process";
import { freshPostgresUrl } from "../helpers/server";

jest.setTimeout(90_000);

const SERVER = path.join(ROOT, "dist/server.js");

/** Resolves with the child's exit code (or signal), or "still running" after `ms`. */
function exitWithin(child: ChildProcess, ms: number): Promise<number | string> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    const t = setTimeout(() => resolve("still running"), ms);
    child.once("exit", (code, signal) => (clearTimeout(t), resolve(code ?? signal ?? "?")));
  });
}

const listen = (server: net.Server) => new Promise<number>((r) => server.listen(0, "127.0.0.1", () => r((server.address() as net.AddressInfo).port)));

describe("a start that fails", () => {
  const children: ChildProcess[] = [];
  const servers: net.Server[] = [];
  let dataDir: string;
  beforeAll(() => {
    if (!existsSync(SERVER)) throw new Error("no production build: run `npm run build` (npm test does)");
    dataDir = mkdtempSync(path.join(tmpdir(), "hibiki-failed-start-"));
  });
  afterAll(() => {
    for (const c of children) {
      if (c.exitCode !== null) continue;
      // The pipeline's processes too (its own process group).
      if (c.spawnargs[0] === "bash" && c.pid) process.kill(-c.pid, "SIGKILL");
      else c.kill("SIGKILL");
    }
    for (const s of servers) s.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const start = (env: Record<string, string>) => {
    const child = spawn(process.execPath, [SERVER], {
      cwd: ROOT,
      env: { ...process.env, REDIS_URL: "", DATABASE_URL: "", NODE_OPTIONS: "", HOST: "127.0.0.1", LOG_LEVEL: "info", LOG_FORMAT: "json", NEXT_TELEMETRY_DISABLED: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    return child;
  };

  it("exits with 1 when its port is taken, with stdout and stderr closed pipes", async () => {
    const taken = net.createServer();
    servers.push(taken);
    const port = await listen(taken);
    // Its one record is the last one, still in the logger's buffer when the process exits.
    const child = start({ PORT: String(port), DATA_DIR: path.join(dataDir, "a"), LOG_LEVEL: "fatal" });
    // As `… | head -0`: nobody reads the output any more.
    child.stdout!.destroy();
    child.stderr!.destroy();
    expect(await exitWithin(child, 60_000)).toBe(1);
  });

  // The trial's: `npm start 2>&1 | head -8` with Redis down. The reader goes after the first lines; the
  // fatal record then failed to write with EPIPE, and pino's synchronous flush of it (sonic-boom 4)
  // retried every 100 ms for ever.
  it("exits with 1 when Redis does not answer and the reader of its output has gone", async () => {
    const databaseUrl = await freshPostgresUrl();
    if (!databaseUrl) throw new Error("DATABASE_URL is needed (CI sets it)");
    const closed = net.createServer();
    servers.push(closed);
    const redisPort = await listen(closed);
    await new Promise<void>((r) => closed.close(() => r())); // nobody listens there now
    const env = {
      PORT: "0", DATABASE_URL: databaseUrl, REDIS_URL: `redis://127.0.0.1:${redisPort}`, REDIS_PREFIX: "failed-start",
      S3_BUCKET: "hibiki", S3_ENDPOINT: "http://127.0.0.1:9", S3_FORCE_PATH_STYLE: "true", S3_ACCESS_KEY_ID: "x", S3_SECRET_ACCESS_KEY: "y",
    };
    // Exactly the trial's pipeline: the shell ends when both sides have, and `head` ends after 8 lines.
    const child = spawn("bash", ["-c", `"${process.execPath}" "${SERVER}" 2>&1 | head -8 > /dev/null; exit \${PIPESTATUS[0]}`], {
      cwd: ROOT,
      env: { ...process.env, NODE_OPTIONS: "", HOST: "127.0.0.1", LOG_LEVEL: "info", LOG_FORMAT: "json", NEXT_TELEMETRY_DISABLED: "1", ...env },
      stdio: "ignore",
      detached: true,
    });
    children.push(child);
    expect(await exitWithin(child, 30_000)).toBe(1);
  });
});
