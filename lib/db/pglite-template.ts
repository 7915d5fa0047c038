import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { migrate } from "./migrations";
import { openPglite } from "./pglite";

/**
 * The migrated cluster a first start copies instead of creating one (prepareNewPgliteDir, lib/db/index.ts):
 * a gzip tarball in PGlite's own `dumpDataDir()` format, next to this module, named after the PGlite
 * version that wrote it, so that a build with another PGlite (another PostgreSQL) never loads it.
 * Written by `npm run build` (scripts/build.mjs runs this module).
 */
export function pgliteTemplateFile(): string {
  return path.join(__dirname, `pglite-${pgliteVersion()}-template.tar.gz`);
}

/** The installed PGlite's version, from its package.json (which the package does not export, so found by walking up). */
function pgliteVersion(): string {
  for (let dir = path.dirname(require.resolve("@electric-sql/pglite")); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
    if (pkg.name === "@electric-sql/pglite" && pkg.version) return pkg.version;
  }
  throw new Error("could not find @electric-sql/pglite's package.json");
}

/**
 * pgliteTemplateFile() when it exists (a build made it), undefined otherwise (the TypeScript sources, a
 * partial build, a PGlite whose version cannot be read): a first start then runs initdb as before.
 */
export function existingPgliteTemplate(): string | undefined {
  try {
    const file = pgliteTemplateFile();
    return existsSync(file) ? file : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Creates a cluster in a temporary dir, applies every migration (MIGRATIONS), and writes it as a gzip
 * tarball to `file` (about 5 MB; the cluster is about 40 MB on disk, 16 of them the first WAL segment).
 * Runs PGlite's initdb and the migrations in this process, which is why it is meant for a build step,
 * not for a server. Rejects with PGlite's or the migration's error; `file` is then not written. The file
 * appears whole or not at all (written beside it, then renamed): a process starting meanwhile never
 * reads half of one.
 */
export async function writePgliteTemplate(file: string = pgliteTemplateFile()): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "hibiki-pglite-template-"));
  try {
    const db = await openPglite(dir, { createHere: true });
    try {
      await migrate(db);
    } finally {
      await db.close();
    }
    // Opened again directly (not through the worker) for PGlite's dumpDataDir(); nothing is written meanwhile.
    const { PGlite } = require("@electric-sql/pglite") as typeof import("@electric-sql/pglite");
    const pg = await PGlite.create(dir);
    try {
      const tarball = await pg.dumpDataDir("gzip");
      const partial = `${file}.${process.pid}.partial`;
      writeFileSync(partial, Buffer.from(await tarball.arrayBuffer()));
      renameSync(partial, file);
    } finally {
      await pg.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  writePgliteTemplate().then(
    () => process.exit(0),
    (err) => {
      process.stderr.write(`could not write the PGlite template: ${(err && err.message) || err}\n`);
      process.exit(1);
    },
  );
}
