/**
 * Bench only (`BENCH_SEARCH_INDEX=off`): creates and migrates the database exactly as the server would,
 * then disables the triggers that keep `message_search` current (`message_search_insert`,
 * `message_search_update`), so a bench run measures the write path without search indexing. Search then
 * misses every message stored afterwards: never do this to a database anyone uses. Run it BEFORE the
 * server opens the same DATA_DIR (PGlite allows one process per data directory).
 *
 *   tsx bench/search-index-off.ts      (DATA_DIR or DATABASE_URL from the environment)
 *
 * Prints one JSON line: { triggers: [names now disabled] }.
 */
import { openDatabase } from "../lib/db";

async function main() {
  const db = await openDatabase({ databaseUrl: process.env.DATABASE_URL || undefined, dataDir: process.env.DATA_DIR ?? "./data" });
  try {
    await db.exec("alter table messages disable trigger message_search_insert; alter table messages disable trigger message_search_update");
    const rows = await db.query<{ name: string }>(
      `select t.tgname as name from pg_trigger t join pg_class c on c.oid = t.tgrelid
        where c.relname = 'messages' and c.relnamespace = current_schema()::regnamespace and t.tgname like 'message_search%' and t.tgenabled = 'D'
        order by 1`,
    );
    process.stdout.write(JSON.stringify({ triggers: rows.map((r) => r.name) }) + "\n");
  } finally {
    await db.close();
  }
}

main().catch((err) => {
  process.stderr.write(`search-index-off failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
