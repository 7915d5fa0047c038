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
