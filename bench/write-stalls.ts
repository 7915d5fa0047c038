/**
 * Stalls on the write path: N messages (default 30,000) stored through `store_messages` in batches of 6
 * (about what the group commit forms at 1,500 msg/s), each call timed; PGlite in this process (its worker
 * thread), on a new data dir. The first 3,000 messages are warm-up and not counted. Prints one JSON line:
 * msg/s, per-call latency p50 / p99 / p99.9 / max (ms), the calls over 20 ms with the WAL file and
 * position they ended at (a stall that lines up with a new WAL segment is the segment's; one every few
 * thousand messages at no segment boundary is the GIN pending list's merge), and the WAL segments used.
 *
 *   tsx bench/write-stalls.ts [count]
 *     PENDING_LIST_KB=4096   the search index's gin_pending_list_limit for this run (default: the migration's)
 *     SEARCH_INDEX=off       the search insert trigger disabled
 *     SEARCH_INDEX=js        the documents built in JavaScript, as the server's message writer does (migration 30)
 *     PGLITE_EXTRA=k=v,…     extra PostgreSQL settings for PGlite (e.g. wal_init_zero=off)
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../lib/db";
import { PGLITE_SETTINGS } from "../lib/db/pglite";
import { checkSearchDocuments } from "../lib/search/document";

const BATCH = 6;
const WARM_UP = 3000;
const WORDS = (
  "the deploy build release merge review pull request branch test failing meeting lunch today update fix bug " +
  "issue server database query index cache latency 今日は 天気 会議室 打ち合わせ 資料 確認"
).split(" ");

async function main() {
  const count = Number(process.argv[2] ?? 30_000);
  (PGLITE_SETTINGS as string[]).push(...(process.env.PGLITE_EXTRA ?? "").split(",").filter(Boolean));
  const dir = mkdtempSync(join(tmpdir(), "write-stalls-"));
  const db = await openDatabase({ dataDir: dir });
  try {
    const [room] = await db.query<{ id: string }>("insert into rooms (name, kind) values ('stalls', 'public') returning id::text as id");
    const [user] = await db.query<{ id: string }>("insert into users (name, name_key, kind) values ('stalls', 'stalls', 'user') returning id::text as id");
    const indexing = process.env.SEARCH_INDEX !== "off";
    await db.exec(`alter table messages ${indexing ? "enable" : "disable"} trigger message_search_insert`);
    const build = process.env.SEARCH_INDEX === "js" ? (await checkSearchDocuments(db)).build : null;
    if (process.env.SEARCH_INDEX === "js" && !build) throw new Error("search documents cannot be built in JavaScript on this database");
    if (process.env.PENDING_LIST_KB) await db.exec(`alter index message_search_doc set (gin_pending_list_limit = ${Number(process.env.PENDING_LIST_KB)})`);
    const [{ limit }] = await db.query<{ limit: string }>("select coalesce(array_to_string(reloptions, ','), 'default') as limit from pg_class where relname = 'message_search_doc'");
    const body = (i: number) => Array.from({ length: 5 + (i % 25) }, (_, k) => WORDS[(i * 7 + k * 13) % WORDS.length]).join(" ");
    const lat: number[] = [];
    const slow: string[] = [];
    let t0 = 0;
    for (let i = 0; i < count + WARM_UP; i += BATCH) {
      if (i === WARM_UP) t0 = performance.now();
      const b = Array.from({ length: BATCH }, (_, k) => body(i + k));
      const s = performance.now();
      const params: unknown[] = [b.map(() => room.id), b.map(() => user.id), b.map(() => "stalls"), b, b.map(() => null), b.map(() => null), build ? b.map(build) : null];
      // The server's message writer's statement (migration 45).
      await db.query("select store_messages($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::text[])::text as r", params);
      const ms = performance.now() - s;
      if (i < WARM_UP) continue;
      lat.push(ms);
      if (ms > 20) {
        const [w] = await db.query<{ at: string }>("select pg_walfile_name(pg_current_wal_lsn()) || ' ' || pg_current_wal_lsn() as at");
        slow.push(`${i}: ${ms.toFixed(0)} ms at ${w.at}`);
      }
    }
    const seconds = (performance.now() - t0) / 1000;
    lat.sort((a, b) => a - b);
    const q = (p: number) => Math.round(lat[Math.floor(p * (lat.length - 1))] * 10) / 10;
    const walSegments = readdirSync(join(dir, "pg_wal")).filter((f) => /^[0-9A-F]{24}$/.test(f)).length;
    process.stdout.write(
      JSON.stringify({ count, batch: BATCH, indexing: build ? "js" : indexing, pendingListLimit: limit, msgPerSec: Math.round(count / seconds), p50: q(0.5), p99: q(0.99), p999: q(0.999), max: q(1), over20ms: slow.length, walSegments, slow }) + "\n",
    );
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`write-stalls failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
