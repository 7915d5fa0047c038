/**
 * Seeds one public room holding N messages (default 1,000,000) straight into the database, through the
 * project's own openDatabase (so the schema is migrated exactly as the server would do it). Run it BEFORE
 * the server opens the same DATA_DIR: PGlite allows one process per data directory.
 *
 *   tsx bench/seed-history.ts <room> <count>      (DATA_DIR or DATABASE_URL from the environment)
 *
 * With count 0 it only creates and migrates the database (the bench's template PGlite data dir).
 *
 * Prints one JSON line: { room, count, firstId, lastId, ms, fastPath }.
 */
import { openDatabase, type Queryable } from "../lib/db";

const AUTHOR = "history-seed";

async function insertChunk(tx: Queryable, roomId: string, authorId: string, from: number, to: number, fast: boolean) {
  // Bulk-load trick: skip the per-row foreign-key triggers (every row references the room and author
  // rows created above). It needs a superuser, which PGlite always is; elsewhere it is skipped.
  if (fast) await tx.query("set local session_replication_role = replica");
  await tx.query(
    `insert into messages (id, room_id, seq, author_id, author, body, created_at)
     select nextval('message_ids'), $1, g, $2, $3,
            'history message ' || g || ' - the quick brown fox jumps over the lazy dog',
            timestamptz '2026-01-01' + g * interval '1 second'
       from generate_series($4::bigint, $5::bigint) g order by g`,
    [roomId, authorId, AUTHOR, from, to],
  );
}

async function main() {
  const room = process.argv[2] ?? "history-1m";
  const count = Number(process.argv[3] ?? 1_000_000);
  if (!Number.isInteger(count) || count < 0 || count > 10_000_000) throw new Error("count must be 0..10,000,000");
  const t0 = Date.now();
  const db = await openDatabase({ databaseUrl: process.env.DATABASE_URL || undefined, dataDir: process.env.DATA_DIR ?? "./data" });
  try {
    if (count === 0) {
      process.stdout.write(JSON.stringify({ migrated: true, ms: Date.now() - t0 }) + "\n");
      return;
    }
    const [user] = await db.query<{ id: string }>(
      `insert into users (name, name_key, kind) values ($1, $1, 'bot')
       on conflict (name_key) do update set name = excluded.name returning id::text as id`,
      [AUTHOR],
    );
    const [r] = await db.query<{ id: string }>(
      `insert into rooms (name, kind, created_by, last_seq) values ($1, 'public', $2, $3) returning id::text as id`,
      [room, user.id, count],
    );
    const [su] = await db.query<{ su: boolean }>("select rolsuper as su from pg_roles where rolname = current_user");
    const fast = Boolean(su?.su);
    // The secondary index is rebuilt once after the bulk insert instead of being maintained row by row.
    const [idx] = await db.query<{ def: string }>(
      "select indexdef as def from pg_indexes where tablename = 'messages' and indexname = 'messages_room_id' and schemaname = current_schema()",
    );
    if (idx) await db.exec("drop index messages_room_id");
    const chunk = 250_000;
    for (let from = 1; from <= count; from += chunk) {
      const to = Math.min(count, from + chunk - 1);
      await db.transaction((tx) => insertChunk(tx, r.id, user.id, from, to, fast));
    }
    if (idx) await db.exec(idx.def);
    await db.exec("vacuum analyze messages");
    const [ids] = await db.query<{ first: string; last: string }>(
      "select min(id)::text as first, max(id)::text as last from messages where room_id = $1",
      [r.id],
    );
    process.stdout.write(JSON.stringify({ room, count, firstId: ids.first, lastId: ids.last, ms: Date.now() - t0, fastPath: fast }) + "\n");
  } finally {
    await db.close();
  }
}

main().catch((err) => {
  process.stderr.write(`seed failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
