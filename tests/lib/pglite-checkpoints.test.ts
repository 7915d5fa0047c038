/**
 * PGlite runs PostgreSQL in single-user mode, which takes no checkpoint by time or WAL volume, so the WAL
 * grew by every change until a restart (lib/db/pglite-checkpoints.ts). These tests write WAL into a real
 * PGlite data dir and check that checkpoints follow the policy: by volume, by time only after changes,
 * never for an idle database, and on the timer of a database opened by openPglite().
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Database } from "../../lib/db";
import { openPglite } from "../../lib/db/pglite";
import { checkpointIfDue, type CheckpointPolicy, type CheckpointState } from "../../lib/db/pglite-checkpoints";
import { until } from "../helpers/server";

// Creating a PGlite cluster takes 5-20 s on a busy 2-core machine.
jest.setTimeout(180_000);

/** The WAL position of the last checkpoint's redo point. */
const redo = async (db: Database) => (await db.query<{ lsn: string }>("select redo_lsn::text as lsn from pg_control_checkpoint()"))[0].lsn;
/** Bytes of WAL written since the last checkpoint. */
const walSince = async (db: Database) =>
  (await db.query<{ n: number }>("select pg_wal_lsn_diff(pg_current_wal_lsn(), redo_lsn)::float8 as n from pg_control_checkpoint()"))[0].n;
/** Writes at least `bytes` of WAL (rows of 1 kB text). */
async function writeWal(db: Database, bytes: number) {
  const start = await walSince(db);
  while ((await walSince(db)) - start < bytes) await db.exec("insert into filler select repeat(md5(random()::text), 32) from generate_series(1, 200)");
}

describe("PGlite checkpoints", () => {
  let dir: string;
  let db: Database | undefined;
  const never = 24 * 3600_000;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "hibiki-checkpoints-"));
  });
  afterEach(async () => {
    await db?.close();
    db = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it("checkpoints once the WAL since the last one reaches walBytes, and not before", async () => {
    const d = (db = await openPglite(path.join(dir, "data"), { checkpoints: { walBytes: 1 << 30, timeoutMs: never, checkEveryMs: never } }));
    await d.exec("create table filler (v text)");
    const policy: CheckpointPolicy = { walBytes: 2 << 20, timeoutMs: never, checkEveryMs: never };
    const state: CheckpointState = { at: Date.now(), walAfter: null };
    await d.exec("checkpoint");
    const before = await redo(d);
    await writeWal(d, 1 << 20);
    expect(await checkpointIfDue(d, policy, state)).toBe(false);
    expect(await redo(d)).toBe(before);
    await writeWal(d, 1 << 20);
    expect(await checkpointIfDue(d, policy, state)).toBe(true);
    expect(await redo(d)).not.toBe(before);
    expect(await walSince(d)).toBeLessThan(64 * 1024);
  });

  it("checkpoints by time only when something was written since the last one", async () => {
    const d = (db = await openPglite(path.join(dir, "data"), { checkpoints: { walBytes: 1 << 30, timeoutMs: never, checkEveryMs: never } }));
    await d.exec("create table filler (v text)");
    const policy: CheckpointPolicy = { walBytes: 1 << 30, timeoutMs: 1000, checkEveryMs: never };
    const state: CheckpointState = { at: 0, walAfter: null };
    await d.exec("insert into filler values ('x')");
    const first = await redo(d);
    expect(await checkpointIfDue(d, policy, state, state.at + 999)).toBe(false);
    expect(await checkpointIfDue(d, policy, state, state.at + 1000)).toBe(true);
    const second = await redo(d);
    expect(second).not.toBe(first);
    // Idle: only the checkpoint's own record since, however long it has been.
    expect(await checkpointIfDue(d, policy, state, state.at + 10 * 60_000)).toBe(false);
    expect(await redo(d)).toBe(second);
    await d.exec("insert into filler values ('y')");
    expect(await checkpointIfDue(d, policy, state, state.at + 1000)).toBe(true);
    expect(await redo(d)).not.toBe(second);
  });

  it("takes them on its own once openPglite() opened a data dir", async () => {
    const d = (db = await openPglite(path.join(dir, "data"), { checkpoints: { walBytes: 1 << 20, timeoutMs: never, checkEveryMs: 50 } }));
    await d.exec("create table filler (v text)");
    await d.exec("checkpoint");
    const before = await redo(d);
    await writeWal(d, 2 << 20);
    // The timer may check in the middle of the writing too; once it stops, the WAL since the last
    // checkpoint ends below walBytes.
    await until(async () => (await redo(d)) !== before && (await walSince(d)) < 1 << 20, 30_000, "checkpoints that kept up with 2 MB of WAL");
    expect(await redo(d)).not.toBe(before);
  });
});
