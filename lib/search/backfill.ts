import type { Database } from "../db";
import type { Logger } from "../log";

/** Messages indexed per batch: one short transaction each, so requests interleave with the backfill. */
export const BACKFILL_BATCH = 2000;

export type Backfill = { /** Resolves when every old message is indexed (or the backfill stopped). */ done: Promise<void>; stop(): Promise<void> };

/**
 * Indexes the messages that were stored before search existed (migration 7 records where they end in
 * `search_backfill`), newest first so recent history is searchable soonest, in batches after startup:
 * the boot migration stays quick and `/readyz` answers throughout. Progress is logged per batch at
 * `info`. Several instances may run it at once: rows already indexed are skipped and the mark only
 * moves down. New messages never need it (the triggers index them).
 */
export function startSearchBackfill(db: Database, log: Logger, opts: { batch?: number } = {}): Backfill {
  const batch = opts.batch ?? BACKFILL_BATCH;
  let stopped = false;
  const run = async () => {
    const [start] = await db.query<{ next_before: string; remaining: string }>(
      `select next_before::text as next_before, (select count(*) from messages where id < b.next_before)::text as remaining
         from search_backfill b limit 1`,
    );
    if (!start) return;
    const total = Number(start.remaining);
    log.info({ module: "search", remaining: total }, "search backfill starting");
    let indexed = 0;
    while (!stopped) {
      const [row] = await db.query<{ n: number; next_before: string | null }>(
        `with b as (select m.id, m.room_id, m.author_id, m.body from messages m
                     where m.id < (select min(next_before) from search_backfill) order by m.id desc limit $1),
              ins as (insert into message_search (message_id, room_id, author_id, doc)
                      select b.id, b.room_id, b.author_id, d.doc from b cross join lateral search_document(b.body) d on conflict (message_id) do nothing)
         update search_backfill set next_before = least(next_before, coalesce((select min(id) from b), 0))
         returning (select count(*) from b)::int as n, next_before::text as next_before`,
        [batch],
      );
      if (!row || row.n === 0) {
        await db.query("delete from search_backfill");
        log.info({ module: "search", indexed }, "search backfill done");
        return;
      }
      indexed += row.n;
      log.info({ module: "search", indexed, total, percent: Math.min(100, Math.round((indexed / Math.max(1, total)) * 100)) }, "search backfill progress");
      // Let waiting requests have the database (PGlite runs one statement at a time).
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  const done = run().catch((err: unknown) => log.error({ err, module: "search" }, "search backfill failed"));
  return {
    done,
    stop: async () => {
      stopped = true;
      await done;
    },
  };
}
