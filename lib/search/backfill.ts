import type { Database } from "../db";
import type { Logger } from "../log";

/** Messages indexed per batch: one short transaction each, so requests interleave with the backfill. */
export const BACKFILL_BATCH = 2000;

export type Backfill = { /** Resolves when every old message is indexed (or the backfill stopped). */ done: Promise<void>; stop(): Promise<void> };

/** PostgreSQL's codes for a transaction that lost a deadlock or a serialization race: the batch is tried again. */
const RETRY = new Set(["40P01", "40001"]);

/**
 * One backfill: a mark table with one row (`next_before`: messages below it still need the work) and the
 * statement that does one batch below it, newest first, and moves the mark down to the lowest id it did.
 */
type Job = { name: string; mark: string; batch: string };

/**
 * A job that rebuilds the documents below the mark in table `mark` from their message's body and file
 * names (message_document()), only where `body` (an SQL condition on the batch's row `b`) holds or the
 * message has attachments (their names may need it); every document when `body` is left out. The
 * messages are locked (for share) so that an edit committing meanwhile is read as it is now (READ
 * COMMITTED returns the newest version of a row it locks): an edit's document is never overwritten with
 * the text from before the edit.
 */
function rebuild(name: string, mark: string, body?: string): Job {
  const only = body === undefined ? "" : `and ((${body}) or b.extra ? 'attachments')`;
  return {
    name,
    mark,
    batch: `with b as (select m.id, m.body, m.extra from messages m
                        where m.id < (select min(next_before) from ${mark}) order by m.id desc limit $1 for share),
                 up as (update message_search s set doc = d.doc from b cross join lateral message_document(b.body, b.extra) d
                         where s.message_id = b.id ${only})
            update ${mark} set next_before = least(next_before, coalesce((select min(id) from b), 0))
            returning (select count(*) from b)::int as n, next_before::text as next_before`,
  };
}

const JOBS: Job[] = [
  {
    // Messages stored before search existed (migration 7) get their search row.
    name: "search backfill",
    mark: "search_backfill",
    batch: `with b as (select m.id, m.room_id, m.author_id, m.body, m.extra from messages m
                        where m.id < (select min(next_before) from search_backfill) order by m.id desc limit $1),
                 ins as (insert into message_search (message_id, room_id, author_id, doc)
                         select b.id, b.room_id, b.author_id, d.doc from b cross join lateral message_document(b.body, b.extra) d on conflict (message_id) do nothing)
            update search_backfill set next_before = least(next_before, coalesce((select min(id) from b), 0))
            returning (select count(*) from b)::int as n, next_before::text as next_before`,
  },
  // Documents stored before migration 23 get their adjacent-word pairs: rebuilt from the message's body
  // (and its attachments' file names, migration 33).
  rebuild("search pairs backfill", "search_pairs_backfill"),
  // Documents stored before migration 51 hold a word of letters ending in a number ("Python3") whole:
  // rebuilt when the body (or a file name) may hold one, so `python` finds them.
  rebuild(
    "search letters-and-number backfill",
    "search_digits_backfill",
    `(case when b.body ~ '[^\\x01-\\x7f]' then normalize(b.body, NFKC) else b.body end) ~ '[A-Za-z][0-9]'`,
  ),
  // Documents stored before migration 55 keep accented letters as they were written: rebuilt when the
  // body (or a file name) holds a combining diacritical mark after compatibility decomposition or one of
  // the letters written out (ß, ø, …), so `cafe` finds "café".
  rebuild(
    "search accents backfill",
    "search_accents_backfill",
    `b.body ~ '[^\\x01-\\x7f]' and normalize(b.body, NFKD) ~ '[\\u0300-\\u036f]|[øØłŁđĐħĦıßẞæÆœŒþÞ]'`,
  ),
  // Documents stored before migration 62 were parsed from runs of letters, digits, _ . - of any length:
  // rebuilt when the body (NFKC, as it is folded; or a file name) holds a run longer than 128 characters.
  rebuild(
    "search long-runs backfill",
    "search_runs_backfill",
    `(case when b.body ~ '[^\\x01-\\x7f]' then normalize(b.body, NFKC) else b.body end) ~ '[A-Za-z0-9_.-]{129}'`,
  ),
];

/**
 * Brings the search index of existing history up to date in the background, after startup, so the boot
 * migration stays quick and `/readyz` answers throughout: first the messages stored before search existed
 * (migration 7 records where they end in `search_backfill`), then the documents stored before they held
 * adjacent-word pairs (migration 23, `search_pairs_backfill`), then those stored before a word ending in
 * a number was split (migration 51, `search_digits_backfill`), then those stored before accents were
 * dropped (migration 55, `search_accents_backfill`), then those stored before long runs were cut (migration
 * 62, `search_runs_backfill`). Each goes newest first, so recent history
 * is complete soonest, in batches of `opts.batch` messages, one short transaction each; progress is
 * logged per batch at `info`. Searches stay correct meanwhile (lib/search/store.ts reads the marks).
 * Several instances may run it at once: the work is idempotent and a mark only moves down. New messages
 * never need it (the triggers index them).
 */
export function startSearchBackfill(db: Database, log: Logger, opts: { batch?: number } = {}): Backfill {
  const batch = opts.batch ?? BACKFILL_BATCH;
  let stopped = false;
  const runJob = async (job: Job) => {
    const [start] = await db.query<{ next_before: string; remaining: string }>(
      `select next_before::text as next_before, (select count(*) from messages where id < b.next_before)::text as remaining
         from ${job.mark} b limit 1`,
    );
    if (!start) return;
    const total = Number(start.remaining);
    log.info({ module: "search", remaining: total }, `${job.name} starting`);
    let indexed = 0;
    while (!stopped) {
      const row = await db
        .query<{ n: number; next_before: string | null }>(job.batch, [batch])
        .then(([r]) => r)
        .catch((err: { code?: string }) => {
          if (RETRY.has(err?.code ?? "")) return "retry" as const;
          throw err;
        });
      if (row === "retry") {
        log.info({ module: "search" }, `${job.name}: batch lost a lock race, trying again`);
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      if (!row || row.n === 0) {
        await db.query(`delete from ${job.mark}`);
        log.info({ module: "search", indexed }, `${job.name} done`);
        return;
      }
      indexed += row.n;
      log.info({ module: "search", indexed, total, percent: Math.min(100, Math.round((indexed / Math.max(1, total)) * 100)) }, `${job.name} progress`);
      // Let waiting requests have the database (PGlite runs one statement at a time).
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  const run = async () => {
    for (const job of JOBS) if (!stopped) await runJob(job);
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
