import type { Database, Queryable } from "./database";

/**
 * When PGlite takes a checkpoint. PGlite runs PostgreSQL in single-user mode, which has no checkpointer
 * process: PostgreSQL takes no checkpoint by time (`checkpoint_timeout`) or by WAL volume
 * (`max_wal_size`) there, only at shutdown. Without one, the WAL directory grows by every change until
 * the next restart (about 2.7 kB per message with search indexing: 1.6 GB per million messages), a crash
 * replays all of it on the next start, and each new 16 MB WAL segment is created (and zero-filled) in
 * the middle of some insert instead of reusing one a checkpoint recycled. This does the checkpointer's
 * part from outside: `CHECKPOINT` when `walBytes` of WAL were written since the last one, or when any
 * was written and `timeoutMs` passed (PostgreSQL's checkpoint_timeout, 5 min by default). Checked every
 * `checkEveryMs`. A checkpoint writes the dirty shared buffers (at most PGLITE_SETTINGS' 16 MB): tens of ms.
 */
export type CheckpointPolicy = { walBytes: number; timeoutMs: number; checkEveryMs: number };

/**
 * The defaults: every 64 MB of WAL (four segments; at 1,500 messages/s with indexing, about every 15 s),
 * else every 5 min (PostgreSQL's checkpoint_timeout) if anything was written; checked every 10 s.
 */
export const DEFAULT_CHECKPOINT_POLICY: CheckpointPolicy = { walBytes: 64 * 1024 * 1024, timeoutMs: 5 * 60_000, checkEveryMs: 10_000 };

/** What the checkpointer knows between checks: when the last checkpoint was, and the WAL position just after it. */
export type CheckpointState = { at: number; walAfter: string | null };

/**
 * Takes a checkpoint if `policy` says one is due (see CheckpointPolicy). Resolves true when it took one,
 * updating `state`. The WAL written since the last checkpoint is the distance from its redo point
 * (pg_control_checkpoint()) to the current insert position; a checkpoint's own record does not count
 * as a change (`state.walAfter`), so an idle database is not checkpointed again and again.
 */
export async function checkpointIfDue(db: Queryable, policy: CheckpointPolicy, state: CheckpointState, now = Date.now()): Promise<boolean> {
  const [wal] = await db.query<{ since: number; current: string }>(
    "select pg_wal_lsn_diff(pg_current_wal_lsn(), redo_lsn)::float8 as since, pg_current_wal_lsn()::text as current from pg_control_checkpoint()",
  );
  const changed = wal.current !== state.walAfter && wal.since > 0;
  if (!(wal.since >= policy.walBytes || (changed && now - state.at >= policy.timeoutMs))) return false;
  await db.exec("checkpoint");
  const [after] = await db.query<{ current: string }>("select pg_current_wal_lsn()::text as current");
  state.at = Date.now();
  state.walAfter = after.current;
  return true;
}

/**
 * `db` with checkpoints taken by `policy` on a timer (unref'd: it keeps no process alive), stopped by
 * close(). A failed check is reported to `onError` and tried again at the next tick.
 */
export function withCheckpoints(db: Database, policy: CheckpointPolicy, onError: (err: unknown) => void = () => undefined): Database {
  const state: CheckpointState = { at: Date.now(), walAfter: null };
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    checkpointIfDue(db, policy, state)
      .catch(onError)
      .finally(() => (running = false));
  }, policy.checkEveryMs);
  timer.unref();
  return {
    kind: db.kind,
    query: (sql, params) => db.query(sql, params),
    exec: (sql) => db.exec(sql),
    transaction: (fn) => db.transaction(fn),
    ping: () => db.ping(),
    async close() {
      clearInterval(timer);
      await db.close();
    },
  };
}
