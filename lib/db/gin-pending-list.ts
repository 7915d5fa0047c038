import type { Queryable } from "./database";

/**
 * Merges a GIN index's pending list in the background, shortly after writes, so that no insert has to.
 *
 * New entries of a GIN index with `fastupdate` (the default) collect in the index's pending list; when
 * the list grows past `gin_pending_list_limit` (4 MB by default), the insert that crossed it merges the
 * whole list into the index inside its own statement, and its commit, and every acknowledgement queued
 * behind that commit, waits. PostgreSQL's documentation advises leaving the merges to autovacuum, which
 * runs them outside the inserts ("Caution: … which can cause fluctuations in response time", and
 * `gin_clean_pending_list()`: https://www.postgresql.org/docs/current/gin.html#GIN-FAST-UPDATE). But
 * autovacuum visits a table at most once per `autovacuum_naptime` (1 min), far too seldom for a chat
 * ingesting thousands of messages a second (a 4 MB list is about 7,000 messages of search entries), and
 * it may be off. So this calls `gin_clean_pending_list(index)` on its own connection `delayMs` after the
 * first write it is told of, and again after the merge while writes came meanwhile: idle, it asks
 * nothing. An insert that finds the list over the limit while this merge holds the index's merge lock
 * does not wait for it but goes on (PostgreSQL's ginInsertCleanup takes that lock conditionally for
 * inserts), so the merges leave the write path.
 *
 * Merges of a few thousand messages' entries also write less WAL than frequent small ones: on this
 * project's ingest texts, 1,418 bytes of WAL per message with a 4 MB list against 2,330-3,274 with the
 * 512 kB limit migration 29 had set for PGlite (bench/README.md, "The pending list on PostgreSQL"), and
 * at thousands of messages a second the commits wait for the WAL.
 *
 * For PostgreSQL only: PGlite runs one statement at a time, so a merge there would stop the inserts all
 * the same (it keeps a small list instead: PGLITE_SETTINGS). `gin_clean_pending_list()` needs the index's
 * owner (the role that ran the migrations). An error is given to `onError`; if it says the call can never
 * work (not the owner: SQLSTATE 42501; no such index: 42704/42P01), no more are made and the inserts merge
 * as before. `onMerged(pages, ms)` is told each merge's size in 8 kB pages and how long it took.
 */
export type PendingListMerger = {
  /** Tells of `count` messages written (or any writes to the index): a merge follows within `delayMs`. */
  noteWrites(count: number): void;
  /** Stops: no further merges; resolves when a merge in progress has ended. */
  close(): Promise<void>;
  /** Resolves once no merge is due or running (at once when none is): the writes told of so far are merged. */
  settled(): Promise<void>;
  /** True once closed, or after an error that says no merge can work (see createPendingListMerger). */
  readonly stopped: boolean;
};

/** SQLSTATEs after which a merge cannot succeed by trying again: not the index's owner, no such index. */
const HOPELESS = new Set(["42501", "42704", "42P01"]);

/**
 * A PendingListMerger for the GIN index `index` (a name as `::regclass` reads it: schema-qualified or on
 * the connection's search_path) through `db`. `delayMs` (default 500): how long after a write the merge
 * runs; at 5,000 msg/s that is about 2,500 messages' entries, well under PostgreSQL's 4 MB limit.
 */
export function createPendingListMerger(
  db: Queryable,
  opts: { index: string; delayMs?: number; onError?: (err: unknown) => void; onMerged?: (pages: number, ms: number) => void },
): PendingListMerger {
  const delayMs = opts.delayMs ?? 500;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;
  let writesMeanwhile = false;
  let stopped = false;
  let waiters: (() => void)[] = [];
  const wakeIfIdle = () => {
    if (timer || running) return;
    const woken = waiters;
    waiters = [];
    for (const wake of woken) wake();
  };

  const schedule = () => {
    if (stopped || timer || running) return;
    timer = setTimeout(() => {
      timer = undefined;
      running = merge().finally(() => {
        running = undefined;
        if (writesMeanwhile) {
          writesMeanwhile = false;
          schedule();
        }
        wakeIfIdle();
      });
    }, delayMs);
    timer.unref?.();
  };

  async function merge(): Promise<void> {
    const started = performance.now();
    try {
      const [row] = await db.query<{ pages: number }>("select gin_clean_pending_list($1::regclass)::int as pages", [opts.index]);
      opts.onMerged?.(row.pages, performance.now() - started);
    } catch (err) {
      if (HOPELESS.has((err as { code?: string }).code ?? "")) stopped = true;
      opts.onError?.(err);
    }
  }

  return {
    noteWrites(count) {
      if (stopped || count <= 0) return;
      if (running) writesMeanwhile = true;
      else schedule();
    },
    async close() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running;
      wakeIfIdle();
    },
    settled() {
      return !timer && !running ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve));
    },
    get stopped() {
      return stopped;
    },
  };
}
