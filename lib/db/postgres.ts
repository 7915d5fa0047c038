import pg from "pg";
import type { Database, Queryable } from "./database";

/** PostgreSQL through a connection pool. */
export async function openPostgres(url: string, opts: { max?: number } = {}): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10, connectionTimeoutMillis: 5000 });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on("error", () => undefined);
  const query = async <T>(sql: string, params?: unknown[]) => (await pool.query(sql, params)).rows as T[];
  const exec = async (sql: string) => void (await pool.query(sql));
  await query("select 1");
  return {
    kind: "postgres",
    query,
    exec,
    async transaction(fn) {
      const client = await pool.connect();
      const tx: Queryable = {
        query: async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[],
        exec: async (sql: string) => void (await client.query(sql)),
      };
      let failed: unknown;
      try {
        await client.query("begin");
        const result = await fn(tx);
        await client.query("commit");
        return result;
      } catch (err) {
        failed = err;
        await client.query("rollback").catch(() => undefined);
        throw err;
      } finally {
        // A client whose connection broke mid-transaction is discarded rather than reused.
        client.release(failed instanceof Error && !("code" in failed) ? failed : undefined);
      }
    },
    async ping() {
      await query("select 1");
    },
    close: () => pool.end(),
  };
}
