import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DataDirInUseError, LOCK_STALE_MS, lockDataDir } from "../../lib/db/data-dir-lock";
import { openPglite } from "../../lib/db/pglite";
import { startServerProcess } from "../helpers/process";
import { startTestServer, until } from "../helpers/server";

/**
 * PGlite is PostgreSQL in single-user mode: nothing stops a second process from opening the same data
 * dir and writing over the first one's files. The data dir's lock does.
 */
const ROOT = path.resolve(__dirname, "..", "..");
let dir: string;
beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), "hibiki-lock-"))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("the PGlite data dir's lock", () => {
  it("keeps others out while a database is open on the data dir, and lets them in once it is closed", async () => {
    const db = await openPglite(path.join(dir, "data"));
    try {
      await expect(lockDataDir(path.join(dir, "data"), { waitMs: 1000 })).rejects.toBeInstanceOf(DataDirInUseError);
    } finally {
      await db.close();
    }
    const again = await lockDataDir(path.join(dir, "data"), { waitMs: 0 });
    await again.release();
    await again.release(); // idempotent
  }, 60_000);

  it("refuses a second server on a data dir a running one holds, naming the data dir, once it sees the holder is alive", async () => {
    const dataDir = path.join(dir, "data");
    const first = await startTestServer({ dataDir });
    try {
      const asked = Date.now();
      await expect(startTestServer({ dataDir })).rejects.toThrow(new RegExp(`data dir ${dataDir.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is in use by another Hibiki process`));
      // Told as soon as the holder refreshes its lock, not after waiting for a dead one's to go stale.
      expect(Date.now() - asked).toBeLessThan(LOCK_STALE_MS);
      // The first one is untouched.
      expect((await fetch(`${first.url}/readyz`)).status).toBe(200);
    } finally {
      await first.close();
    }
    const second = await startTestServer({ dataDir });
    await second.close();
  }, 90_000);

  it("takes over a lock left by a process that was killed, once the lock is stale", async () => {
    const holder = spawn(
      process.execPath,
      // It holds the lock (refreshing it) until it is killed.
      ["--import", "tsx", "-e", `require("./lib/db/data-dir-lock").lockDataDir(${JSON.stringify(dir)}).then(() => { console.log("locked"); setInterval(() => undefined, 60_000); })`],
      { cwd: ROOT, env: { ...process.env, NODE_OPTIONS: "" }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    holder.stdout!.on("data", (d) => (out += d));
    holder.stderr!.on("data", (d) => (out += d));
    await until(() => out.includes("locked"), 30_000, "the other process to hold the lock").catch((err: Error) => {
      throw new Error(`${err.message}; it said: ${out}`);
    });
    holder.kill("SIGKILL");
    await new Promise((r) => holder.once("exit", r));
    // Killed: it could not release it. Fresh, it still counts as held …
    await expect(lockDataDir(dir, { waitMs: 0 })).rejects.toBeInstanceOf(DataDirInUseError);
    // … until nobody has refreshed it for LOCK_STALE_MS; the wait is said before it starts.
    const waits: number[] = [];
    const lock = await lockDataDir(dir, { onWait: (ms) => waits.push(ms) });
    expect(waits).toEqual([LOCK_STALE_MS + 3_000]);
    await lock.release();
    // A free lock is taken without a word of waiting.
    const free = await lockDataDir(dir, { onWait: (ms) => waits.push(ms) });
    await free.release();
    expect(waits).toHaveLength(1);
  }, 90_000);
});

describe("the PGlite data dir's lock, lost while held", () => {
  it("stops the database of a server that stalled past the stale time while another process took the data dir over, and ends it", async () => {
    const dataDir = path.join(dir, "data");
    const stalled = await startServerProcess({ env: { DATA_DIR: dataDir } });
    try {
      await until(async () => (await fetch(`${stalled.url}/readyz`)).status === 200, 30_000, "the first server ready");
      // Frozen (as by a paused VM or container): it cannot refresh its lock …
      stalled.child.kill("SIGSTOP");
      // … so another process takes the data dir over once the lock is stale.
      const taker = await lockDataDir(dataDir);
      try {
        stalled.child.kill("SIGCONT");
        // Woken, the first server must not go on writing to a data dir another process holds: its
        // database stops and it exits (code 1), saying why, for a supervisor to restart it.
        await until(() => stalled.child.exitCode !== null, 15_000, "the stalled server to exit");
        expect(stalled.child.exitCode).toBe(1);
        expect(stalled.output()).toContain("lost the data dir's lock");
      } finally {
        await taker.release();
      }
    } finally {
      stalled.child.kill("SIGCONT");
      await stalled.stop();
    }
  }, 90_000);
});
