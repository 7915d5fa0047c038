import pg from "pg";
import type { Database, Queryable } from "./database";

/** PostgreSQL through a connection pool. */
export async function openPostgres(url: string, opts: { max?: number } = {}): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    connectionTimeoutMillis: 5000,
    // No JIT compilation: it pays off for long analytical queries, not for these short ones, and a
    // statement the planner guesses to be costly (a batch of documents to index, a search over a large
    // history) spent far longer compiling than running: 5,000 search documents took 1.3–1.6 s with JIT
    // and 0.17–0.19 s without (bench/README.md, "Search queries"). Set on each new connection before
    // the pool hands it out (a SET, not a startup option, so it also passes PgBouncer); a server that
    // refuses it (no `jit` before PostgreSQL 11) runs as it is.
    onConnect: async (client) => {
      await client.query("set jit = off").catch(() => undefined);
    },
  });
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
      // A connection lost while the client is checked out (PostgreSQL restarting, a network cut) is also
      // an `error` event of the client, which would crash the process unheard (node-postgres emits it
      // besides rejecting the query under way, which this transaction sees and reports).
      const onLost = () => undefined;
      client.on("error", onLost);
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
        client.off("error", onLost);
        client.release(failed instanceof Error && !("code" in failed) ? failed : undefined);
      }
    },
    async ping() {
      await query("select 1");
    },
    close: () => pool.end(),
  };
}
