import { existsSync } from "node:fs";
import path from "node:path";
import type { Database } from "./database";
import { migrate } from "./migrations";
import { createDirectory } from "../files/directories";
import { lockDataDir, type DataDirLock } from "./data-dir-lock";
import { createCluster, openPglite, runScript, STAGED_SOURCE, type DataDirModes } from "./pglite";
import { existingPgliteTemplate } from "./pglite-template";
import type { PostgresDatabase } from "./postgres";

export type { Database, Queryable } from "./database";

/**
 * PostgreSQL when `databaseUrl` is set, embedded PGlite in `dataDir` otherwise; migrated before use.
 * `onCheckpointError`: where PGlite's periodic checkpoint reports a failure (see openPglite).
 * A new PGlite data dir is made by a short-lived process first (prepareNewPgliteDir); `onPrepared` is told
 * how ("template", "child", "in-process") and how long it took (ms), when a new one was made;
 * `onDataDirModes` what restrictDataDirModes() changed before PGlite opened it. A PGlite data dir is
 * locked for this process first (lockDataDir): another process holding it rejects with
 * DataDirInUseError; `onLockCompromised` hears of a lock lost while held. A "memory://" database starts
 * as the build's migrated cluster too when there is one (existingPgliteTemplate): about 4 s of initdb
 * and migrations become about 1 s of unpacking, for each test server.
 */
export async function openDatabase(opts: {
  databaseUrl?: string;
  /** PostgreSQL: DATABASE_QUERY_TIMEOUT_MS, set once the migrations are done (see openPostgres); 0 or absent: none. */
  queryTimeoutMs?: number;
  dataDir: string;
  onCheckpointError?: (err: unknown) => void;
  onPrepared?: (how: "template" | "child" | "in-process", ms: number) => void;
  onDataDirModes?: (result: DataDirModes) => void;
  /** Told that the PGlite data dir's lock was lost while held (see lockDataDir). */
  onLockCompromised?: (err: Error) => void;
  /** Told that the PGlite data dir's lock is held at the start: the open waits up to `waitMs` for it (see lockDataDir). */
  onLockWait?: (waitMs: number) => void;
}): Promise<Database> {
  // A PGlite data dir is this process's from before it is created until close() (see lockDataDir).
  let lock: DataDirLock | undefined;
  try {
    lock = opts.databaseUrl || opts.dataDir.startsWith("memory://") ? undefined : await lockNewOrExistingDir(opts.dataDir, opts.onLockCompromised, opts.onLockWait);
  } catch (err) {
    throw new DatabaseOpenError(opts, err);
  }
  let db: Database;
  try {
    if (!opts.databaseUrl) {
      const t0 = performance.now();
      const how = await prepareNewPgliteDir(opts.dataDir);
      if (how !== "exists") opts.onPrepared?.(how, Math.round(performance.now() - t0));
    }
    db = opts.databaseUrl
      ? // node-postgres is loaded only when it is used (a PGlite server does without its memory).
        await (require("./postgres") as typeof import("./postgres")).openPostgres(opts.databaseUrl)
      : await openPglite(opts.dataDir, {
          onCheckpointError: opts.onCheckpointError,
          onDataDirModes: opts.onDataDirModes,
          lock,
          template: opts.dataDir.startsWith("memory://") ? existingPgliteTemplate() : undefined,
        });
  } catch (err) {
    await lock?.release().catch(() => undefined);
    throw new DatabaseOpenError(opts, err);
  }
  try {
    await migrate(db);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  if (opts.queryTimeoutMs && "setQueryTimeout" in db) (db as PostgresDatabase).setQueryTimeout(opts.queryTimeoutMs);
  return db;
}

/**
 * The database could not be opened (before any migration): the message names the setting that chose it
 * and where (`DATABASE_URL`: PostgreSQL's host, port and database, never its user or password;
 * `DATA_DIR`: the embedded database's directory), then what went wrong: `cannot open PostgreSQL at
 * 127.0.0.1:5999/hibiki (DATABASE_URL): connect ECONNREFUSED 127.0.0.1:5999`. `code` is the cause's
 * (ECONNREFUSED, PostgreSQL's SQLSTATE such as 3D000, ENOENT), `cause` the error itself.
 */
export class DatabaseOpenError extends Error {
  readonly setting: "DATABASE_URL" | "DATA_DIR";
  readonly code: string | undefined;
  constructor(opts: { databaseUrl?: string; dataDir: string }, cause: unknown) {
    const setting = opts.databaseUrl ? "DATABASE_URL" : "DATA_DIR";
    const where = opts.databaseUrl ? `PostgreSQL at ${postgresAddress(opts.databaseUrl)}` : `the embedded database in ${opts.dataDir}`;
    const e = cause as (Error & { code?: string; errors?: Error[] }) | undefined;
    // A connection refused on every address is an AggregateError with an empty message of its own.
    const detail = e?.message || e?.errors?.[0]?.message || e?.code || String(cause);
    super(`cannot open ${where} (${setting}): ${detail}`, { cause });
    this.name = "DatabaseOpenError";
    this.setting = setting;
    this.code = e?.code ?? (e?.errors?.[0] as { code?: string } | undefined)?.code;
  }
}

/** A PostgreSQL URL's host, port and database, for messages (no user, no password, no options). */
function postgresAddress(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname || "(local socket)"}:${u.port || 5432}${u.pathname}`;
  } catch {
    return "(unparsable URL)";
  }
}

/**
 * Creates the cluster in `argv[2]` and opens it with openPglite (module at argv[1]; in this process, which
 * exits right after), unpacked from the template tarball at argv[4] when it is not empty, migrates it
 * (module at argv[3]: with a template of this build, nothing is left to apply), closes it.
 */
const PREPARE_SOURCE = `
const [pglite, dataDir, migrations, template] = process.argv.slice(1);
${STAGED_SOURCE}
let stage;
Promise.resolve().then(() => require(pglite).openPglite((stage = stageFor(dataDir)), { createHere: true, template: template || undefined }))
  .then((db) => require(migrations).migrate(db).finally(() => db.close()))
  .then(() => intoPlace(stage, dataDir))
  .then(
    () => process.exit(0),
    exitWith,
  );
`;

/**
 * Creates and migrates a new PGlite data dir (no PG_VERSION yet) in a short-lived process of its own,
 * so that this process only ever opens a migrated one. Applying every migration to a new cluster is
 * what made a first start larger than a restart: about 50 MiB more resident for the life of the
 * process (PGlite's WebAssembly memory grows and never shrinks; measured with `npm run bench`'s `idle`
 * scenario, bench/README.md "Idle footprint").
 *
 * The build leaves a migrated cluster next to the compiled modules (lib/db/pglite-template.ts, written by
 * `npm run build`); the child unpacks it instead of running initdb and every migration: a first start
 * then takes about as long as a restart, and the child's peak memory is a restart's instead of initdb's.
 *
 * Resolves to what was done: "template" (unpacked from the build's template by a child process, which
 * then applied any migration the template lacks), "child" (no template: created by initdb and migrated
 * by a child process), both children being the same Node binary running this build's compiled
 * pglite.js and migrations.js; "exists" (a data dir that is already there, or "memory://"); or
 * "in-process" when this module runs from the TypeScript sources (tsx, the tests), which a plain `node`
 * cannot load, and there is no template: the caller then creates and migrates it as before (from the
 * sources with a template, a child process only unpacks it and the caller migrates: "template"; the
 * tests' template is the one next to lib/db/pglite-template.ts, made by their global setup). Rejects with the
 * child's error output when it fails (for example a migration's error); the data dir may then hold a
 * cluster that is not fully migrated, which the next open migrates as usual. `template`: the tarball to
 * unpack (undefined: the build's, if it made one), null for none.
 */
export function prepareNewPgliteDir(dataDir: string, template?: string | null): Promise<"template" | "child" | "exists" | "in-process"> {
  if (dataDir.startsWith("memory://") || existsSync(path.join(dataDir, "PG_VERSION"))) return Promise.resolve("exists");
  const pglite = require.resolve("./pglite");
  const migrations = require.resolve("./migrations");
  // Looked up only for a new dir: every other start returns above without touching the disk for it.
  if (template === undefined) template = existingPgliteTemplate() ?? null;
  // From the TypeScript sources the child could not load the migrations: it only unpacks a template
  // (which needs nothing but PGlite), and the caller applies what the template lacks.
  if (path.extname(pglite) !== ".js" || path.extname(migrations) !== ".js") {
    return template ? createCluster(dataDir, template).then(() => "template") : Promise.resolve("in-process");
  }
  const failure = `could not create and migrate the PGlite data dir ${dataDir}`;
  return runScript(PREPARE_SOURCE, [pglite, dataDir, migrations, template ?? ""], 600_000, failure).then(() => (template ? "template" : "child"));
}

/**
 * Makes `dataDir` if it is not there yet, then takes its lock (lockDataDir). A dir that cannot be made
 * rejects with "could not create the PGlite data dir <dataDir>: <reason>".
 */
async function lockNewOrExistingDir(dataDir: string, onCompromised?: (err: Error) => void, onWait?: (waitMs: number) => void): Promise<DataDirLock> {
  await createDirectory(dataDir).catch((err: Error) => {
    throw Object.assign(new Error(`could not create the PGlite data dir ${dataDir}: ${err.message}`), { code: (err as NodeJS.ErrnoException).code });
  });
  return lockDataDir(dataDir, { onCompromised, onWait });
}
