import { execFile } from "node:child_process";
import { chmodSync, existsSync, lstatSync, readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createDirectory } from "../files/directories";
import { lockDataDir, type DataDirLock } from "./data-dir-lock";
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { Database, Queryable } from "./database";
import { DEFAULT_CHECKPOINT_POLICY, withCheckpoints, type CheckpointPolicy } from "./pglite-checkpoints";

/**
 * The worker's whole program, plain CommonJS so it runs the same from `dist/`, under tsx and under jest.
 * It owns the PGlite instance and answers requests in the order they arrive (PGlite runs one statement at
 * a time). Errors travel back with their PostgreSQL fields (`code`, `detail`, `constraint`, …).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { PGlite } = require(workerData.pglite);
const options = { startParams: [...PGlite.defaultStartParams, ...workerData.settings.flatMap((s) => ["-c", s])] };
if (workerData.wasmModule) options.pgliteWasmModule = workerData.wasmModule;
if (workerData.template) options.loadDataDir = new Blob([require("node:fs").readFileSync(workerData.template)]);
const pack = (err) => {
  const out = { message: String((err && err.message) || err), name: (err && err.name) || "Error" };
  if (err && typeof err === "object") for (const k of Object.keys(err)) {
    const v = err[k];
    if (v === null || ["string", "number", "boolean"].includes(typeof v)) out[k] = v;
  }
  return out;
};
PGlite.create(workerData.dataDir, options).then(
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

/**
 * PostgreSQL settings (`-c name=value` on PGlite's command line, after PGlite's own defaults).
 *
 * - `shared_buffers=16MB` (PostgreSQL's and PGlite's default: 128MB). PGlite zeroes its shared
 *   memory at start, so all of it is resident from the first second, idle or not: in a process that
 *   only opens PGlite, 310 MiB of RSS with 128MB, 188 with 32MB, 178 with 16MB. Pages that do not fit
 *   are read from the data files through the kernel's page cache, which keeps them in memory the kernel
 *   can give back. The CPU cost of ingest batches and history pages on a 1M-message data dir did not
 *   change (bench/README.md, "Idle footprint").
 * - `wal_init_zero=off`: a new 16 MB WAL segment is created without writing 16 MB of zeroes into it
 *   first. Through PGlite's file system layer that write stopped the only database thread for 60-85 ms,
 *   every few thousand messages (each time the WAL crossed into a segment not yet recycled by a
 *   checkpoint), with every acknowledgement queued behind it: with search indexing on, the ingest
 *   bench's ack p99 at 1,000-2,500 msg/s fell from 65-120 ms to 24-39 ms (bench/README.md, "Search
 *   indexing on the write path"). PostgreSQL's documentation gives the setting for file systems where
 *   zero-filling gains nothing; what it costs is that a full disk is found when WAL is written, not when
 *   the segment is created: either way the write fails and nothing acknowledged is lost.
 * - `gin_pending_list_limit=512kB` (PostgreSQL's default: 4MB): the search index's new entries are merged
 *   from its pending list into the index by the insert that takes the list past this size, inside its
 *   commit. PGlite has no autovacuum to do it in the background and runs one statement at a time, so a
 *   4 MB merge (about 5,500 messages) stopped the only database thread for 45-65 ms; 512 kB merges eight
 *   times as often for an eighth of the time (migration 29, which set it on the index until migration 53
 *   left the size to each database: PostgreSQL keeps 4 MB and merges in the background,
 *   lib/db/gin-pending-list.ts).
 */
export const PGLITE_SETTINGS: readonly string[] = ["shared_buffers=16MB", "wal_init_zero=off", "gin_pending_list_limit=512kB"];

/**
 * A new cluster is made whole or not at all, whatever stops the process making it: it is created in a
 * directory of its own inside the data dir (`stageFor`, emptied first: what a stopped try left), then its
 * entries are moved into the data dir, `PG_VERSION` last (`intoPlace`): a data dir is taken for an
 * existing cluster by that file alone (openPglite, prepareNewPgliteDir). Unpacked straight into the data
 * dir, a first start stopped half-way (an operator trial: SIGTERM twice) left a cluster PGlite could not
 * open ("PGlite failed to initialize properly"). Same file system, so each move is a rename. A data dir
 * that holds a cluster already is refused ("Database already exists", as PGlite says). `exitWith(err)`
 * writes a failure's message (as text, whatever was thrown) to stderr for the parent and exits 1. Plain
 * CommonJS, shared by the child scripts (CREATE_SOURCE here, PREPARE_SOURCE in index.ts).
 */
export const STAGED_SOURCE = `
function stageFor(dataDir) {
  const fs = require("node:fs"), path = require("node:path");
  if (fs.existsSync(path.join(dataDir, "PG_VERSION"))) throw new Error("Database already exists in " + dataDir);
  const stage = path.join(dataDir, ".new-cluster");
  fs.rmSync(stage, { recursive: true, force: true });
  fs.mkdirSync(stage, { recursive: true, mode: 0o700 });
  return stage;
}
function intoPlace(stage, dataDir) {
  const fs = require("node:fs"), path = require("node:path");
  const names = fs.readdirSync(stage).filter((n) => n !== "PG_VERSION").concat("PG_VERSION");
  for (const name of names) {
    const to = path.join(dataDir, name);
    // Left by a move that was stopped half-way: this cluster's entry of that name replaces it.
    fs.rmSync(to, { recursive: true, force: true });
    fs.renameSync(path.join(stage, name), to);
  }
  fs.rmdirSync(stage);
}
function exitWith(err) {
  process.stderr.write(err && typeof err.message === "string" ? err.message : require("node:util").inspect(err));
  process.exit(1);
}
`;

/**
 * Creates the cluster in a new data dir and exits (argv: PGlite's module path, the data dir, the settings
 * as JSON, and a template tarball to unpack instead of running initdb, or ""). Runs as a short-lived
 * process of its own: see openPglite().
 */
const CREATE_SOURCE = `
const [pglite, dataDir, settings, template] = process.argv.slice(1);
const { PGlite } = require(pglite);
const startParams = [...PGlite.defaultStartParams, ...JSON.parse(settings).flatMap((s) => ["-c", s])];
const options = { startParams };
if (template) options.loadDataDir = new Blob([require("node:fs").readFileSync(template)]);
${STAGED_SOURCE}
let stage;
Promise.resolve().then(() => PGlite.create((stage = stageFor(dataDir)), options)).then((pg) => pg.close()).then(() => intoPlace(stage, dataDir)).then(
  () => process.exit(0),
  exitWith,
);
`;

let compiled: Promise<WebAssembly.Module> | undefined;

/**
 * PGlite's PostgreSQL program (its 9 MB `pglite.wasm`), compiled once per process and shared by every
 * worker this process starts: V8 compiles a WebAssembly module for each instance it is given as bytes
 * (about 1 s of CPU on background threads here), while a compiled `WebAssembly.Module` is handed to a
 * worker thread as it is, compiled code included (structured clone shares it). Used for in-memory
 * databases, which a process opens many of in turn (the test suites' servers: 2.4 s of CPU per server's
 * start became 1.2 s). A server's data dir is opened once; its worker compiles the program itself, so
 * this process keeps no second reference to it (an idle server measured 10-30 MiB more RSS with one).
 */
function compiledPglite(): Promise<WebAssembly.Module> {
  compiled ??= readFile(path.join(path.dirname(require.resolve("@electric-sql/pglite")), "pglite.wasm")).then((bytes) => WebAssembly.compile(bytes));
  return compiled;
}

type Reply = { id: number; rows?: unknown[]; error?: Record<string, unknown> & { message: string } };

const toError = (e: Reply["error"] & {}) => Object.assign(new Error(e.message), e);

/**
 * Options of openPglite(): the checkpoint policy (see CheckpointPolicy) and where a failed checkpoint is
 * reported; `createHere`: a new cluster is created by this process's own worker instead of a child
 * process, for a process that exits soon after (prepareNewPgliteDir's child, lib/db/index.ts); with
 * `template` (a gzip tarball of a cluster, PGlite's `dumpDataDir()` format: lib/db/pglite-template.ts) the new
 * cluster is that one unpacked instead of a new one from initdb. `template` with a dir that holds a cluster
 * already is refused by PGlite ("Database already exists"). A "memory://" database is always new: with
 * `template` it starts as that cluster (no `createHere` needed; nothing outlives the process anyway).
 */
export type PgliteOptions = {
  checkpoints?: CheckpointPolicy;
  onCheckpointError?: (err: unknown) => void;
  createHere?: boolean;
  template?: string;
  /** Told what restrictDataDirModes() did to the data dir before it was opened. */
  onDataDirModes?: (result: DataDirModes) => void;
  /**
   * The data dir's lock (lockDataDir), when the caller took it already; otherwise openPglite takes it
   * (not for "memory://", nor with createHere: a child process creating the dir for a parent that holds
   * it). Either way close() releases it.
   */
  lock?: DataDirLock;
  /** Told that the data dir's lock was lost while held (see lockDataDir). */
  onLockCompromised?: (err: Error) => void;
};

/** What restrictDataDirModes() did: entries whose mode it narrowed, and those it could not (path: error code). */
export type DataDirModes = { restricted: number; failed: string[] };

/**
 * Gives the PGlite data dir PostgreSQL's own permissions: the dir and the dirs in it 0700, its files 0600,
 * so no other user of the machine can read or change the database (PostgreSQL refuses to start on a data
 * dir with wider ones; PGlite does not check, and its file layer writes new files as 0666 whatever the
 * umask, the ones a first start unpacks included: an outside check found 1,063 of 1,071 world-writable).
 * `files/` (uploads, lib/files/storage.ts) is left as it is: the 0700 data dir already closes it to
 * others. Symbolic links are not followed. A dir with any group or other bit and a file others may write
 * are changed (the files PostgreSQL writes while it runs are 0644 by the umask, and nobody else can
 * enter the dirs they are in); an entry that cannot be changed (another owner) is reported in `failed`,
 * not thrown: the server still starts.
 */
export function restrictDataDirModes(dataDir: string): DataDirModes {
  const result: DataDirModes = { restricted: 0, failed: [] };
  const fail = (file: string, err: unknown) => result.failed.push(`${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  const narrow = (file: string, current: number, mode: number, wider: number) => {
    if ((current & wider) === 0) return;
    try {
      chmodSync(file, mode);
      result.restricted++;
    } catch (err) {
      fail(file, err);
    }
  };
  const walk = (dir: string, top: boolean) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch (err) {
      return fail(dir, err);
    }
    for (const name of names) {
      if (top && name === "files") continue;
      const file = path.join(dir, name);
      const st = lstatSync(file, { throwIfNoEntry: false });
      if (!st || st.isSymbolicLink()) continue;
      if (!st.isDirectory()) {
        narrow(file, st.mode, 0o600, 0o022);
        continue;
      }
      narrow(file, st.mode, 0o700, 0o077);
      walk(file, false);
    }
  };
  const top = lstatSync(dataDir, { throwIfNoEntry: false });
  if (top) narrow(dataDir, top.mode, 0o700, 0o077);
  walk(dataDir, true);
  return result;
}

/**
 * Embedded PostgreSQL (WASM) in `dataDir`, or in memory when dataDir is "memory://". PGlite runs in a
 * worker thread: its WASM executes on another core instead of blocking the event loop that serves the
 * sockets. One connection, so a transaction holds it: other queries wait until it commits or rolls back.
 * A data dir gets checkpoints by `opts.checkpoints` (DEFAULT_CHECKPOINT_POLICY), which PGlite's
 * single-user mode would not take on its own (see CheckpointPolicy).
 */
export async function openPglite(dataDir: string, opts: PgliteOptions = {}): Promise<Database> {
  const memory = dataDir.startsWith("memory://");
  if (!memory) await createDirectory(dataDir);
  const lock = memory || opts.createHere ? undefined : (opts.lock ?? (await lockDataDir(dataDir, { onCompromised: opts.onLockCompromised })));
  try {
    const db = await openLocked(dataDir, memory, { ...opts, lost: lock?.lost });
    return lock ? releasingOnClose(db, lock) : db;
  } catch (err) {
    await lock?.release().catch(() => undefined);
    throw err;
  }
}

/** `db`, whose close() also releases `lock` (after the database has closed). */
function releasingOnClose(db: Database, lock: DataDirLock): Database {
  return { ...db, close: () => db.close().finally(() => lock.release()) };
}

async function openLocked(dataDir: string, memory: boolean, opts: PgliteOptions & { lost?: Promise<Error> }): Promise<Database> {
  // Creating a cluster runs initdb (a second WebAssembly program) before PostgreSQL, and what both used
  // stays resident (about 450 MiB more, idle) for as long as the process lives, even after the worker
  // that ran them exits (the memory V8 used to compile them stays with the C allocator). So a new data
  // dir is created by a short-lived process of its own, and this one only ever opens an existing one
  // (unless it is such a process itself: `createHere`).
  if (!memory && !opts.createHere && !existsSync(path.join(dataDir, "PG_VERSION"))) await createCluster(dataDir);
  if (memory) return startWorker(undefined, opts.template);
  if (!opts.createHere) {
    const modes = restrictDataDirModes(dataDir);
    opts.onDataDirModes?.(modes);
  }
  return withCheckpoints(await startWorker(dataDir, opts.createHere ? opts.template : undefined, opts.lost), opts.checkpoints ?? DEFAULT_CHECKPOINT_POLICY, opts.onCheckpointError);
}

/**
 * Creates the cluster in the new data dir `dataDir` in a child process (CREATE_SOURCE, by runScript):
 * PGlite's initdb, or `template` (a tarball of a cluster: lib/db/pglite-template.ts) unpacked. Needs only
 * PGlite itself, so it runs from the TypeScript sources too. Rejects with the child's error output.
 */
export function createCluster(dataDir: string, template?: string): Promise<void> {
  const args = [require.resolve("@electric-sql/pglite"), dataDir, JSON.stringify(PGLITE_SETTINGS), template ?? ""];
  return runScript(CREATE_SOURCE, args, 300_000, `could not create the PGlite data dir ${dataDir}`);
}

/**
 * Runs `source` (CommonJS, `process.argv.slice(1)` is `args`) in a short-lived child process of the same
 * Node binary, for work whose memory must not stay in this process. Resolves when it exits with 0; rejects
 * with `failure: <its error output>` otherwise, or after `timeoutMs`.
 */
export function runScript(source: string, args: string[], timeoutMs: number, failure: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // NODE_OPTIONS is left out: a test runner's loader flags have nothing to do with this script.
    const env = { ...process.env, NODE_OPTIONS: "" };
    // The script dies with this process: one left running (its parent stopped during a first start) went on
    // writing a new data dir that the next start, finding the dir's lock free, opened beside it.
    const stopChild = () => void child.kill("SIGKILL");
    const child = execFile(process.execPath, ["-e", source, ...args], { env, timeout: timeoutMs, maxBuffer: 1 << 20 }, (err, _stdout, stderr) => {
      process.off("exit", stopChild);
      if (err) reject(new Error(`${failure}: ${stderr.trim() || err.message}`));
      else resolve();
    });
    process.once("exit", stopChild);
  });
}

/**
 * One worker thread owning one PGlite instance on dataDir (in memory when undefined); a new cluster there
 * is unpacked from `template` (a tarball's path) when given. Once `lost` settles (the data dir's lock was
 * lost: another process may be writing to it), the worker is stopped at once, without a checkpoint or a
 * clean shutdown that would write over that process's files, and every query after it fails.
 */
async function startWorker(dataDir: string | undefined, template?: string, lost?: Promise<Error>): Promise<Database> {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    // In-memory databases only: a process that opens one opens many (a test suite's servers); a data dir
    // is opened once per process, and its worker compiling the program itself keeps nothing of it here.
    workerData: { dataDir, template, pglite: require.resolve("@electric-sql/pglite"), settings: PGLITE_SETTINGS, wasmModule: dataDir === undefined ? await compiledPglite() : undefined },
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
  void lost?.then((err) => {
    failAll(new Error(`the database stopped: the data dir's lock was lost (${err.message}); another process may be using the data dir`));
    void worker.terminate();
  });

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
