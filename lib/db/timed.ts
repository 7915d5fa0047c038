import { performance } from "node:perf_hooks";
import type { Database, Queryable } from "./database";

/**
 * `db` with every statement timed: `observe(seconds)` is called once per `query` and `exec` (inside
 * transactions too), whether the statement succeeded or failed, with the time the caller waited for it.
 * A transaction's own BEGIN/COMMIT are not statements of the caller and are not timed. Applied once in
 * server.ts, so no call site knows about it.
 */
export function timeQueries(db: Database, observe: (seconds: number) => void): Database {
  const timed = (q: Queryable): Queryable => ({
    async query<T>(sql: string, params?: unknown[]) {
      const start = performance.now();
      try {
        return await q.query<T>(sql, params);
      } finally {
        observe((performance.now() - start) / 1000);
      }
    },
    async exec(sql: string) {
      const start = performance.now();
      try {
        await q.exec(sql);
      } finally {
        observe((performance.now() - start) / 1000);
      }
    },
  });
  return {
    ...timed(db),
    kind: db.kind,
    transaction: (fn) => db.transaction((tx) => fn(timed(tx))),
    ping: () => db.ping(),
    close: () => db.close(),
  };
}
