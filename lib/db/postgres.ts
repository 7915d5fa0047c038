import pg from "pg";
import type { Database, Queryable } from "./database";

/** How long a new connection may take, in ms (at most the query timeout, once one is set). */
const CONNECT_TIMEOUT_MS = 5000;

/**
 * PostgreSQL as this server uses it; `setQueryTimeout(ms)` starts timing every statement from then on
 * (openDatabase calls it once the migrations are done: a migration, or the wait for another instance's,
 * may take as long as it takes).
 */
export type PostgresDatabase = Database & { setQueryTimeout(ms: number): void };

/**
 * PostgreSQL through a connection pool. Once `setQueryTimeout(ms)` was called (ms > 0), a statement
 * PostgreSQL has not answered after `ms` milliseconds fails ("Query read timeout", which isServiceDown
 * reads as the database not answering: callers get `unavailable`, try again) and its connection is
 * dropped from the pool: a connection whose server went silent (a network partition, a failover that
 * left the socket open) otherwise waited for TCP to give up, about 15 minutes on Linux, with every
 * request that reached it. TCP keepalive finds such idle connections too.
 */
export async function openPostgres(url: string, opts: { max?: number } = {}): Promise<PostgresDatabase> {
  let queryTimeout = 0;
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
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
  /** A statement with the query timeout when one is set (node-postgres's `query_timeout`, per statement). */
  const statement = (sql: string, params?: unknown[]) => (queryTimeout > 0 ? { text: sql, values: params, query_timeout: queryTimeout } : { text: sql, values: params });
  const query = async <T>(sql: string, params?: unknown[]) => (await pool.query(statement(sql, params))).rows as T[];
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
        query: async <T>(sql: string, params?: unknown[]) => (await client.query(statement(sql, params))).rows as T[],
        exec: async (sql: string) => void (await client.query(sql)),
      };
      let failed: unknown;
      try {
        await client.query(statement("begin"));
        const result = await fn(tx);
        await client.query(statement("commit"));
        return result;
      } catch (err) {
        failed = err;
        // A connection that did not answer in time is dropped (below), which rolls the transaction back;
        // a rollback sent on it would only wait out the timeout again behind the unanswered statement.
        if (!(err instanceof Error && err.message === "Query read timeout")) await client.query(statement("rollback")).catch(() => undefined);
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
    setQueryTimeout(ms: number) {
      queryTimeout = ms;
      // Nor longer for a new connection (pg-pool reads its options at each connect): after a silent
      // partition the pool's connections are dropped one by one, and a statement then waits for a new one.
      if (ms > 0) pool.options.connectionTimeoutMillis = Math.min(CONNECT_TIMEOUT_MS, ms);
    },
  };
}
