import { spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { connect, startTestServer, until } from "../helpers/server";

const ROOT = path.resolve(__dirname, "../..");

describe("health and readiness", () => {
  it("answers /healthz and /readyz, and /readyz turns 503 when the database is gone", async () => {
    const server = await startTestServer();
    try {
      const health = await fetch(`${server.url}/healthz`);
      expect(health.status).toBe(200);
      expect(health.headers.get("x-request-id")).toMatch(/.+/);
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(200);
      await server.db.close();
      const down = await fetch(`${server.url}/readyz`);
      expect(down.status).toBe(503);
      // It names the part that failed, never the driver's error.
      expect(await down.json()).toEqual({ status: "unavailable", error: { code: "internal", message: "database is not available", component: "database" } });
    } finally {
      await server.close().catch(() => undefined);
    }
  });

  it("echoes a sane X-Request-Id and replaces a hostile one", async () => {
    const server = await startTestServer();
    try {
      const ok = await fetch(`${server.url}/healthz`, { headers: { "X-Request-Id": "abc-123" } });
      expect(ok.headers.get("x-request-id")).toBe("abc-123");
      const bad = await fetch(`${server.url}/healthz`, { headers: { "X-Request-Id": "<script>" + "x".repeat(100) } });
      expect(bad.headers.get("x-request-id")).not.toContain("<script>");
    } finally {
      await server.close();
    }
  });

  it("answers unknown API paths and malformed JSON with JSON errors", async () => {
    const server = await startTestServer();
    try {
      const missing = await fetch(`${server.url}/api/nope`);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual({ error: { code: "not_found", message: "no such endpoint" } });
      const bad = await fetch(`${server.url}/api/nope`, { method: "POST", headers: { "content-type": "application/json" }, body: "{oops" });
      expect(bad.status).toBe(400);
      expect((await bad.json()).error.code).toBe("bad_request");
      const big = await fetch(`${server.url}/api/nope`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ x: "y".repeat(70_000) }) });
      expect(big.status).toBe(413);
      expect((await big.json()).error.code).toBe("too_large");
    } finally {
      await server.close();
    }
  });
});

describe("graceful shutdown", () => {
  it("tells connected clients, drops their transports so they reconnect, and closes", async () => {
    const server = await startTestServer();
    const client = await connect(server.url, { name: "leaver" });
    const notices: unknown[] = [];
    client.on("server-shutdown", (n: unknown) => notices.push(n));
    const reason = new Promise<string>((resolve) => client.once("disconnect", resolve));
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(10_000);
    // "transport close" (not "io server disconnect") is what makes socket.io-client reconnect by itself.
    expect(await reason).toBe("transport close");
    expect(notices).toEqual([{ reason: "restarting" }]);
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });
});

/** Runs the build's server as its own process, as `npm start` and the container do (npm test builds first). */
function runServer(env: Record<string, string>) {
  const child = spawn(process.execPath, [path.join(ROOT, "dist", "server.js")], {
    cwd: ROOT,
    // One instance on a fresh embedded database (see tests/helpers/process.ts): an inherited REDIS_URL
    // would also require S3_BUCKET, an inherited DATABASE_URL would not be a fresh install.
    env: { ...process.env, REDIS_URL: "", DATABASE_URL: "", NODE_OPTIONS: "", NODE_ENV: "production", LOG_LEVEL: "info", DATA_DIR: "memory://", HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, out: () => out, err: () => err };
}

describe("the server process", () => {
  it("stops at start with one line naming a bad variable", async () => {
    const p = runServer({ PORT: "not-a-port" });
    expect(await p.exited).toBe(1);
    const lines = p.err().trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Invalid configuration: PORT="not-a-port"/);
  });

  it("stops at once with one line naming HOST and PORT when the port is in use, without opening the database", async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", () => resolve()));
    const port = (holder.address() as net.AddressInfo).port;
    try {
      const p = runServer({ PORT: String(port) });
      expect(await p.exited).toBe(1);
      expect(p.err()).toBe("");
      const lines = p.out().split("\n").filter((l) => l.startsWith("{"));
      const fatal = lines.map((l) => JSON.parse(l)).filter((r) => r.level >= 50);
      expect(fatal).toHaveLength(1);
      expect(fatal[0].msg).toBe(
        `startup failed: cannot listen on 127.0.0.1:${port} (HOST:PORT): the port is already in use by another process; stop it or set PORT to a free port`,
      );
      expect(p.out()).not.toMatch(/"stack"|database ready/);
    } finally {
      holder.close();
    }
  });

  /** The one fatal line of a server that stopped at start (JSON lines at level 50 and up), and the whole output. */
  async function fatalLine(env: Record<string, string>) {
    const p = runServer({ PORT: "0", ...env });
    expect(await p.exited).toBe(1);
    const fatal = p.out().split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l)).filter((r) => r.level >= 50);
    expect(fatal).toHaveLength(1);
    return { fatal: fatal[0], out: p.out() + p.err() };
  }

  it.each(["/proc/hibiki-data", "/proc/self/hibiki/data"])("stops at start with one line naming DATA_DIR and its error when it cannot create it: %s", async (dir) => {
    // Node's recursive mkdir never returned for these (lib/files/directories.ts).
    const { fatal, out } = await fatalLine({ DATA_DIR: dir });
    expect(fatal.msg).toMatch(new RegExp(`^startup failed: cannot open the embedded database in ${dir} \\(DATA_DIR\\): `));
    expect(fatal.setting).toBe("DATA_DIR");
    expect(fatal.code).toMatch(/^(ENOENT|EACCES|EPERM|EROFS)$/);
    expect(out).not.toMatch(/"stack"/);
  });

  // An operator trial: these printed "startup failed" with the driver's words and a stack, naming no setting.
  it.each([
    ["nothing listens on its port", "postgres://hibiki:s3cret-pw@127.0.0.1:1/hibiki", "127.0.0.1:1/hibiki", /ECONNREFUSED/, "ECONNREFUSED"],
    ["its database does not exist", "postgres://postgres:s3cret-pw@127.0.0.1:5432/hibiki_no_such_database", "127.0.0.1:5432/hibiki_no_such_database", /does not exist/, "3D000"],
  ])("stops at start with one line naming DATABASE_URL (host, port, database; never the password) when %s", async (_, url, where, says, code) => {
    const { fatal, out } = await fatalLine({ DATABASE_URL: url });
    expect(fatal.msg).toMatch(new RegExp(`^startup failed: cannot open PostgreSQL at ${where.replace(/[.]/g, "\\.")} \\(DATABASE_URL\\): `));
    expect(fatal.msg).toMatch(says);
    expect(fatal).toMatchObject({ setting: "DATABASE_URL", code });
    expect(out).not.toMatch(/s3cret-pw|"stack"/);
  });

  it("shuts down on SIGTERM within 10 seconds, logging as JSON", async () => {
    const p = runServer({ PORT: "0" });
    // The process serves pages too; wait for its "listening" line to learn the port.
    await until(() => /"msg":"listening"/.test(p.out()), 60_000, "listening line");
    const port = JSON.parse(p.out().split("\n").find((l) => l.includes('"msg":"listening"'))!).port;
    const client = await connect(`http://127.0.0.1:${port}`, { name: "sigterm" });
    const reason = new Promise<string>((resolve) => client.once("disconnect", resolve));
    const started = Date.now();
    p.child.kill("SIGTERM");
    expect(await p.exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await reason).toBe("transport close");
    expect(p.out()).toMatch(/"msg":"shut down"/);
  }, 90_000);
});

describe("what a person starting the server sees", () => {
  it("announces where it is ready and, on a fresh install, the setup page (JSON when stdout is not a terminal)", async () => {
    const p = runServer({ PORT: "0" });
    try {
      await until(() => /Hibiki is ready at/.test(p.out()), 60_000, "ready line");
      const ready = JSON.parse(p.out().split("\n").find((l) => l.includes("Hibiki is ready at"))!);
      expect(ready.msg).toBe(`Hibiki is ready at http://127.0.0.1:${ready.url.split(":").pop()} — open ${ready.url}/setup to create the administrator`);
      expect(ready.setupUrl).toBe(`${ready.url}/setup`);
      const res = await fetch(`${ready.url}/healthz`);
      expect(res.status).toBe(200);
    } finally {
      p.child.kill("SIGTERM");
      await p.exited;
    }
  }, 90_000);

  it("says the setup page and a misspelt setting even at LOG_LEVEL=warn, and applies no misspelt setting", async () => {
    const p = runServer({ PORT: "0", LOG_LEVEL: "warn", DATABSE_URL: "postgres://nobody@127.0.0.1:1/none" });
    try {
      await until(() => /Hibiki is ready at/.test(p.out()), 60_000, "ready line");
      // (Next.js writes a line of its own as it starts, not JSON.)
      const lines = p.out().split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
      expect(lines.find((l) => String(l.msg).startsWith("Hibiki is ready at"))).toMatchObject({ level: 40, setupUrl: expect.stringMatching(/\/setup$/) });
      expect(lines.find((l) => l.variable === "DATABSE_URL")).toMatchObject({ level: 40, setting: "DATABASE_URL", msg: "DATABSE_URL is not a setting: did you mean DATABASE_URL? (it is not applied)" });
      // Nothing at info: the level holds.
      expect(lines.filter((l) => l.level < 40)).toEqual([]);
    } finally {
      p.child.kill("SIGTERM");
      await p.exited;
    }
  }, 90_000);

  it("writes human-readable lines with LOG_FORMAT=pretty", async () => {
    const p = runServer({ PORT: "0", LOG_FORMAT: "pretty" });
    try {
      await until(() => /Hibiki is ready at http:\/\/127\.0\.0\.1:\d+/.test(p.out()), 60_000, "ready line");
      const lines = p.out().split("\n").filter(Boolean);
      // WARN on a fresh install: the setup page is still to open.
      expect(lines.some((l) => /(INFO|WARN).*Hibiki is ready at/.test(l))).toBe(true);
      for (const line of lines) expect(line.trimStart().startsWith("{")).toBe(false);
    } finally {
      p.child.kill("SIGTERM");
      await p.exited;
    }
  }, 90_000);

  it("defaults to readable lines only at a terminal", async () => {
    const { defaultLogFormat } = await import("../../lib/log");
    expect(defaultLogFormat(true)).toBe("pretty");
    expect(defaultLogFormat(false)).toBe("json");
    expect(defaultLogFormat(undefined)).toBe("json");
  });
});

describe("one Socket.IO per HTTP server", () => {
  it("refuses to attach a second Socket.IO server to the same HTTP server", async () => {
    const server = await startTestServer();
    try {
      const { createRealtime } = await import("../../lib/realtime/server");
      expect(() => createRealtime({ httpServer: server.httpServer } as never)).toThrow(/already attached/);
      // Exactly one engine.io upgrade listener plus server.ts's dispatcher.
      expect(server.httpServer.listeners("upgrade")).toHaveLength(2);
    } finally {
      await server.close();
    }
  });
});
