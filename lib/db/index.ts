import type { Database } from "./database";
import { migrate } from "./migrations";
import { openPglite } from "./pglite";
import { openPostgres } from "./postgres";

export type { Database, Queryable } from "./database";

/**
 * PostgreSQL when `databaseUrl` is set, embedded PGlite in `dataDir` otherwise; migrated before use.
 * `onCheckpointError`: where PGlite's periodic checkpoint reports a failure (see openPglite).
 */
export async function openDatabase(opts: { databaseUrl?: string; dataDir: string; onCheckpointError?: (err: unknown) => void }): Promise<Database> {
  const db = opts.databaseUrl ? await openPostgres(opts.databaseUrl) : await openPglite(opts.dataDir, { onCheckpointError: opts.onCheckpointError });
  try {
    await migrate(db);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  return db;
}
