import { chmod, stat } from "node:fs/promises";
import path from "node:path";
import lockfile from "proper-lockfile";

/** The lock's directory inside the data dir (PostgreSQL ignores files it does not know there). */
export const LOCK_NAME = "hibiki.lock";

/**
 * How long a lock nobody refreshes stays valid (ms). The holder refreshes it every quarter of that; a
 * process that died without releasing it (kill -9, power loss) leaves one that the next start takes
 * over once this much time has passed since the dead process last refreshed it.
 */
export const LOCK_STALE_MS = 10_000;

export type DataDirLock = {
  /** Releases the lock (idempotent). */
  release(): Promise<void>;
  /**
   * Settles (never rejects) with the reason once the lock is lost while held (see onCompromised): another
   * process may have the data dir now, so the holder must stop writing to it (openPglite stops its database).
   */
  readonly lost: Promise<Error>;
};

/** The refusal when another process holds the data dir. */
export class DataDirInUseError extends Error {
  readonly code = "EDATADIRINUSE";
  constructor(dataDir: string) {
    super(
      `the data dir ${dataDir} is in use by another Hibiki process (two servers on one PGlite data dir would corrupt it). ` +
        `Stop the other one, or give this one its own DATA_DIR. After a crash the lock frees itself within ${LOCK_STALE_MS / 1000} s.`,
    );
    this.name = "DataDirInUseError";
  }
}

/**
 * Takes the data dir `dataDir` (an existing directory) for this process: PGlite is PostgreSQL in
 * single-user mode, with no postmaster to keep a second process out, so two servers started on one
 * DATA_DIR (a second `npm start`, a container started twice on one volume) would both write to the
 * same files and corrupt them. The lock is `proper-lockfile`'s (an atomic mkdir of
 * `<dataDir>/hibiki.lock`, whose mtime the holder refreshes; released on exit, even on a signal). A lock
 * left by a dead process is waited for until it is stale (LOCK_STALE_MS, retried every 500 ms for up to
 * `waitMs`, default a little longer; `onWait(waitMs)` is told first when the lock is held at the start);
 * one held by a live process rejects with DataDirInUseError, as soon as its holder is seen to refresh it
 * (within about LOCK_STALE_MS / 4 + 500 ms), or at the end of the wait.
 * `onCompromised(err)`: the lock was lost while held (its refresh failed, or another process took it
 * after this one stalled for longer than LOCK_STALE_MS, e.g. stopped with SIGSTOP or a paused VM); the
 * lock's `lost` settles then too, and the database opened under it stops (openPglite): two processes
 * must not write to one data dir.
 */
export async function lockDataDir(
  dataDir: string,
  opts: { waitMs?: number; onCompromised?: (err: Error) => void; onWait?: (waitMs: number) => void } = {},
): Promise<DataDirLock> {
  const waitMs = opts.waitMs ?? LOCK_STALE_MS + 3_000;
  const lockPath = path.join(dataDir, LOCK_NAME);
  // Held now (by a live process, or left by a dead one that is not stale yet): the wait is said first,
  // so that a start after a crash does not sit silent for seconds.
  const held = await lockfile.check(dataDir, { lockfilePath: lockPath, stale: LOCK_STALE_MS, realpath: false }).catch(() => false);
  if (held) opts.onWait?.(waitMs);
  let lose = (_err: Error) => undefined as void;
  const lost = new Promise<Error>((resolve) => (lose = resolve));
  const deadline = Date.now() + waitMs;
  let heldSince: number | undefined;
  let release: () => Promise<void>;
  for (;;) {
    try {
      release = await lockfile.lock(dataDir, {
        lockfilePath: lockPath,
        stale: LOCK_STALE_MS,
        update: LOCK_STALE_MS / 4,
        realpath: false,
        onCompromised: (err) => {
          lose(err);
          opts.onCompromised?.(err);
        },
      });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ELOCKED") throw err;
    }
    // A live holder refreshes the lock's time every LOCK_STALE_MS / 4: once it is seen to move, the
    // holder is alive and waiting for it to go stale is pointless (a second `npm start` is told within
    // about 3 s, not after the whole wait). A dead one's stays put until the lock is stale and taken.
    const mtime = await stat(lockPath).then((s) => s.mtimeMs).catch(() => undefined);
    if (heldSince !== undefined && mtime !== undefined && mtime !== heldSince) throw new DataDirInUseError(dataDir);
    heldSince ??= mtime;
    if (Date.now() >= deadline) throw new DataDirInUseError(dataDir);
    await new Promise((r) => setTimeout(r, Math.min(500, Math.max(0, deadline - Date.now()))));
  }
  // Only the owner may enter the data dir's entries (see restrictDataDirModes); mkdir made it 0755 by the umask.
  await chmod(lockPath, 0o700).catch(() => undefined);
  let released: Promise<void> | undefined;
  return {
    lost,
    release: () =>
      (released ??= release().catch((err: NodeJS.ErrnoException) => {
        // Already gone (compromised, or removed by hand): nothing left to release.
        if (err.code !== "ERELEASED" && err.code !== "ENOTACQUIRED") throw err;
      })),
  };
}
