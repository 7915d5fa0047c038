/**
 * glibc reads MALLOC_MMAP_THRESHOLD_ only when a process starts, so the server cannot set it for itself:
 * every documented way of starting it does (docs/operations.md, "Memory"). Without it the idle server
 * keeps about 30 MiB more (bench/README.md, "Idle footprint"); the memory itself is measured by the
 * bench only. These tests fail when one of the ways loses the setting.
 */
import { execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(__dirname, "../..");
const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");
const SETTING = "MALLOC_MMAP_THRESHOLD_=131072";

describe("MALLOC_MMAP_THRESHOLD_ where the server is started", () => {
  /** Runs `npm start`'s command line with a stand-in for the server that prints what it was given. */
  const startEnv = (env: Record<string, string>) => {
    const script = (JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts.start;
    const [prefix, rest] = script.split("node scripts/start.mjs");
    expect(rest).toBe(""); // the script ends by starting the server
    const probe = `${prefix}node -e 'process.stdout.write(process.env.MALLOC_MMAP_THRESHOLD_ ?? "unset")'`;
    const base: NodeJS.ProcessEnv = { ...process.env, ...env };
    if (!("MALLOC_MMAP_THRESHOLD_" in env)) delete base.MALLOC_MMAP_THRESHOLD_;
    return execFileSync("sh", ["-c", probe], { env: base, encoding: "utf8" });
  };

  it("npm start sets it, and keeps a value the operator set", () => {
    expect(startEnv({})).toBe("131072");
    expect(startEnv({ MALLOC_MMAP_THRESHOLD_: "262144" })).toBe("262144");
  });

  it("npm start's shell hands over to the server, so the signal npm passes on when stopped reaches it", async () => {
    // npm forwards SIGTERM to the shell running the script; a shell that waits for the server dies of it
    // and leaves the server running, still holding the port. The stand-in reports the signal it gets.
    const script = (JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts.start;
    const [prefix] = script.split("node scripts/start.mjs");
    const standIn = "process.on('SIGTERM', () => { process.stdout.write('SIGTERM'); process.exit(0); }); process.stdout.write('ready'); setTimeout(() => process.exit(1), 5000)";
    const child = spawn("sh", ["-c", `${prefix}node -e "${standIn}"`], { stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const closed = new Promise<void>((resolve) => child.stdout.on("close", () => resolve()));
    while (!output.includes("ready")) await new Promise((r) => setTimeout(r, 20));
    child.kill("SIGTERM");
    await closed;
    expect(output).toBe("readySIGTERM");
    // `npm run dev` likewise hands its shell over to the watcher (which stops the server it runs).
    const dev = (JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts.dev;
    expect(dev.split(" && ").at(-1)).toMatch(/^(\w+=\S+ )*exec tsx watch /);
  });

  it("the Docker image sets it in the stage that runs the server", () => {
    const stages = read("Dockerfile").split(/^FROM /m);
    const runtime = stages[stages.length - 1];
    // start.cjs (written by scripts/runtime-files.mjs) starts dist/server.js from the traced files.
    expect(runtime).toMatch(/^CMD \["node", "start\.cjs"\]$/m);
    // ENV instructions, their continuation lines joined.
    const env = runtime.replace(/\\\n/g, " ").split("\n").filter((l) => l.startsWith("ENV "));
    expect(env.join(" ").split(/\s+/)).toContain(SETTING);
  });

  it("the systemd unit in docs/operations.md sets it", () => {
    const unit = /```ini\n\[Unit\]\nDescription=Hibiki[\s\S]*?```/.exec(read("docs/operations.md"))?.[0] ?? "";
    expect(unit).toMatch(/^ExecStart=\S*node dist\/server\.js$/m);
    const environment = unit.split("\n").filter((l) => l.startsWith("Environment="));
    expect(environment.join(" ").replace(/Environment=/g, "").split(/\s+/)).toContain(SETTING);
  });
});
