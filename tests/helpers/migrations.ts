import type { Database } from "../../lib/db";
import { openPglite } from "../../lib/db/pglite";
import { MIGRATIONS } from "../../lib/db/migrations";

/**
 * A database as migration `id` left it (the migrations up to it applied and recorded, as migrate() does),
 * to test what a later migration does to data stored before it: `db` (a new, empty one) or an in-memory
 * PGlite database.
 */
export async function migratedTo(id: number, db?: Database): Promise<Database> {
  db ??= await openPglite("memory://");
  await db.exec("create table schema_migrations (id integer primary key, name text not null, applied_at timestamptz not null default now())");
  for (const m of MIGRATIONS.filter((m) => m.id <= id)) {
    await db.exec(m.sql);
    await m.run?.(db);
    await db.query("insert into schema_migrations (id, name) values ($1, $2)", [m.id, m.name]);
  }
  return db;
}

/**
 * Stores `bodies` as messages of one new public room by one new user through `post_messages()` (as the
 * server's writer does, documents built by the database), for tests of migrations that rebuild search
 * documents. `name` names both the room and the user.
 */
export async function postBodies(db: Database, name: string, bodies: string[]): Promise<void> {
  const [room] = await db.query<{ id: string }>("insert into rooms (name, kind) values ($1, 'public') returning id::text as id", [name]);
  const [user] = await db.query<{ id: string }>("insert into users (name, name_key, kind) values ($1, $1, 'user') returning id::text as id", [name]);
  await db.query("select post_messages($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::jsonb[])", [
    bodies.map(() => room.id),
    bodies.map(() => user.id),
    bodies.map(() => name),
    bodies,
    bodies.map(() => null),
    bodies.map(() => null),
  ]);
}

/** Every stored message's search document as text, by body. */
export async function searchDocuments(db: Database): Promise<Map<string, string>> {
  const rows = await db.query<{ body: string; doc: string }>(
    "select m.body, s.doc::text as doc from messages m join message_search s on s.message_id = m.id order by m.id",
  );
  return new Map(rows.map((r) => [r.body, r.doc]));
}

/** Bodies of the stored messages whose search document matches the query words `words` (search_tsquery), oldest first. */
export async function foundByWords(db: Database, words: string): Promise<string[]> {
  const rows = await db.query<{ body: string }>(
    "select m.body from message_search s join messages m on m.id = s.message_id where s.doc @@ search_tsquery($1, '{}', '{}', '{}') order by m.id",
    [words],
  );
  return rows.map((r) => r.body);
}
