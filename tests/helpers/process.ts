import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { until } from "./server";

export const ROOT = path.resolve(__dirname, "../..");

export const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });

export type ServerProcess = { child: ChildProcess; url: string; port: number; output: () => string; stop: () => Promise<void> };

/**
 * Runs a server entry (default: the compiled production server) as its own process and waits for
 * /healthz. `node --import tsx` keeps TypeScript entries in one process, so signals reach the server.
 */
export async function startServerProcess(opts: { entry?: string[]; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<ServerProcess> {
  const port = await freePort();
  const entry = opts.entry ?? [path.join(ROOT, "dist/server.js")];
  const child = spawn(process.execPath, entry, {
    cwd: ROOT,
    // One instance on its own embedded database: an inherited REDIS_URL (CI exports one) would ask for
    // multi-instance mode, which also needs a shared file store (S3_BUCKET), and an inherited
    // DATABASE_URL would share the public schema of CI's database with every other run (not a fresh
    // install). A test that wants either passes it in opts.env.
    env: { ...process.env, REDIS_URL: "", DATABASE_URL: "", NODE_OPTIONS: "", PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "warn", NEXT_TELEMETRY_DISABLED: "1", ...opts.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  await until(
    async () => {
      if (child.exitCode !== null) throw new Error(`server exited early:\n${out.slice(-2000)}`);
      return (await fetch(`${url}/healthz`).catch(() => null))?.ok === true;
    },
    opts.timeoutMs ?? 120_000,
    "server /healthz",
  );
  return {
    child,
    url,
    port,
    output: () => out,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      const t = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(t);
    },
  };
}
