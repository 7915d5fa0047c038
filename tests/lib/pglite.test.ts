/**
 * The settings Hibiki's idle footprint on PGlite depends on (bench/README.md, "Idle footprint"). The
 * memory itself is measured by the bench only (`BENCH_SCENARIOS=idle npm run bench`); these tests fail
 * when a setting it relies on is lost.
 */
import childProcess from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { openPglite } from "../../lib/db/pglite";

// Creating a PGlite cluster takes 5-20 s on a busy 2-core machine, and these tests create three.
jest.setTimeout(180_000);

describe("PGlite's footprint settings", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "hibiki-pglite-"));
  });
  afterEach(() => {
    jest.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  it("creates a new data dir in a process of its own, then opens it in this one; an existing one is only opened", async () => {
    // A spy that calls through: Node's execFile still runs. Only the calls are recorded.
    const execFile = jest.spyOn(childProcess, "execFile");
    const dataDir = path.join(dir, "data");
    const db = await openPglite(dataDir);
    try {
      expect(execFile).toHaveBeenCalledTimes(1);
      const [file, args] = execFile.mock.calls[0] as unknown as [string, string[]];
      expect(file).toBe(process.execPath);
      expect(args).toContain(dataDir);
      await db.exec("create table kept (v text); insert into kept values ('written after the creating process exited')");
    } finally {
      await db.close();
    }

    execFile.mockClear();
    const again = await openPglite(dataDir);
    try {
      expect(execFile).not.toHaveBeenCalled();
      expect(await again.query("select v from kept")).toEqual([{ v: "written after the creating process exited" }]);
    } finally {
      await again.close();
    }
  });

  it.each([
    ["a new data dir", (d: string) => path.join(d, "new")],
    ["in memory", () => "memory://"],
  ])("runs PostgreSQL with shared_buffers=16MB and new WAL segments not zero-filled (%s)", async (_name, where) => {
    const db = await openPglite(where(dir));
    try {
      expect(await db.query("show shared_buffers")).toEqual([{ shared_buffers: "16MB" }]);
      expect(await db.query("show wal_init_zero")).toEqual([{ wal_init_zero: "off" }]);
      // PGlite's own settings are kept next to ours (its defaults are replaced, not extended, by startParams).
      expect(await db.query("show max_worker_processes")).toEqual([{ max_worker_processes: "0" }]);
      expect(await db.query("show search_path")).toEqual([{ search_path: "public" }]);
    } finally {
      await db.close();
    }
  });
});
