import { mkdirSync } from "node:fs";
import { Worker } from "node:worker_threads";
import type { Database, Queryable } from "./database";

/**
 * The worker's whole program, plain CommonJS so it runs the same from `dist/`, under tsx and under jest.
 * It owns the PGlite instance and answers requests in the order they arrive (PGlite runs one statement at
 * a time). Errors travel back with their PostgreSQL fields (`code`, `detail`, `constraint`, …).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { PGlite } = require(workerData.pglite);
const pack = (err) => {
  const out = { message: String((err && err.message) || err), name: (err && err.name) || "Error" };
  if (err && typeof err === "object") for (const k of Object.keys(err)) {
    const v = err[k];
    if (v === null || ["string", "number", "boolean"].includes(typeof v)) out[k] = v;
  }
  return out;
};
PGlite.create(workerData.dataDir).then(
  (pg) => {
    parentPort.on("message", (m) => {
      const run = m.op === "query" ? pg.query(m.sql, m.params).then((r) => r.rows)
        : m.op === "exec" ? pg.exec(m.sql).then(() => undefined)
        : pg.close().then(() => undefined);
      run.then((rows) => parentPort.postMessage({ id: m.id, rows }), (err) => parentPort.postMessage({ id: m.id, error: pack(err) }));
    });
    parentPort.postMessage({ id: 0 });
  },
  (err) => parentPort.postMessage({ id: 0, error: pack(err) }),
);
`;

type Reply = { id: number; rows?: unknown[]; error?: Record<string, unknown> & { message: string } };

const toError = (e: Reply["error"] & {}) => Object.assign(new Error(e.message), e);

/**
 * Embedded PostgreSQL (WASM) in `dataDir`, or in memory when dataDir is "memory://". PGlite runs in a
 * worker thread: its WASM executes on another core instead of blocking the event loop that serves the
 * sockets. One connection, so a transaction holds it: other queries wait until it commits or rolls back.
 */
export async function openPglite(dataDir: string): Promise<Database> {
  const memory = dataDir.startsWith("memory://");
  if (!memory) mkdirSync(dataDir, { recursive: true });
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { dataDir: memory ? undefined : dataDir, pglite: require.resolve("@electric-sql/pglite") },
  });
  const pending = new Map<number, { resolve: (rows: unknown[] | undefined) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let failed: Error | undefined;
  const failAll = (err: Error) => {
    failed ??= err;
    for (const p of pending.values()) p.reject(failed);
    pending.clear();
  };
  worker.on("message", (r: Reply) => {
    const p = pending.get(r.id);
    if (!p) return;
    pending.delete(r.id);
    if (r.error) p.reject(toError(r.error));
    else p.resolve(r.rows);
  });
  worker.on("error", (err) => failAll(err));
  worker.on("exit", (code) => failAll(new Error(`database worker exited (code ${code})`)));

  const send = (msg: { op: "query" | "exec" | "close"; sql?: string; params?: unknown[] }) =>
    new Promise<unknown[] | undefined>((resolve, reject) => {
      if (failed) return reject(failed);
      const id = nextId++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, ...msg });
    });
  // The worker answers id 0 once PGlite is open (or could not be).
  await new Promise((resolve, reject) => pending.set(0, { resolve, reject })).catch(async (err) => {
    await worker.terminate();
    throw err;
  });

  // While a transaction runs, queries from outside it wait (they would otherwise land inside it). The
  // check and the send happen in the same synchronous step, so nothing slips in between.
  let inTransaction = false;
  let transactionDone: Promise<void> = Promise.resolve();
  const direct: Queryable = {
    query: async <T>(sql: string, params?: unknown[]) => (await send({ op: "query", sql, params })) as T[],
    exec: async (sql: string) => void (await send({ op: "exec", sql })),
  };

  let closed = false;
  return {
    kind: "pglite",
    async query<T>(sql: string, params?: unknown[]) {
      while (inTransaction) await transactionDone;
      return direct.query<T>(sql, params);
    },
    async exec(sql: string) {
      while (inTransaction) await transactionDone;
      return direct.exec(sql);
    },
    async transaction(fn) {
      while (inTransaction) await transactionDone;
      inTransaction = true;
      let release = () => undefined as void;
      transactionDone = new Promise<void>((r) => (release = r));
      try {
        await direct.exec("begin");
        try {
          const result = await fn(direct);
          await direct.exec("commit");
          return result;
        } catch (err) {
          await direct.exec("rollback").catch(() => undefined);
          throw err;
        }
      } finally {
        inTransaction = false;
        release();
      }
    },
    async ping() {
      if (closed) throw new Error("database closed");
      await send({ op: "query", sql: "select 1" });
    },
    async close() {
      if (closed) return;
      closed = true;
      while (inTransaction) await transactionDone;
      await send({ op: "close" }).catch(() => undefined);
      await worker.terminate();
    },
  };
}
