import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import type { Database, Queryable } from "./database";

/** Embedded PostgreSQL (WASM) in `dataDir`, or in memory when dataDir is "memory://". */
export async function openPglite(dataDir: string): Promise<Database> {
  if (!dataDir.startsWith("memory://")) mkdirSync(dataDir, { recursive: true });
  const pg = await PGlite.create(dataDir.startsWith("memory://") ? undefined : dataDir);
  const wrap = (q: Pick<PGlite, "query" | "exec">): Queryable => ({
    async query<T>(sql: string, params?: unknown[]) {
      const res = await q.query<T>(sql, params as unknown[]);
      return res.rows;
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
  });
  const root = wrap(pg);
  let closed = false;
  return {
    kind: "pglite",
    query: root.query,
    exec: root.exec,
    transaction: (fn) => pg.transaction((tx) => fn(wrap(tx))),
    async ping() {
      if (closed) throw new Error("database closed");
      await pg.query("select 1");
    },
    async close() {
      if (closed) return;
      closed = true;
      await pg.close();
    },
  };
}
