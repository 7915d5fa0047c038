// Drops the throwaway PostgreSQL schemas earlier test runs left behind (see freshPostgresUrl). A schema's
// name carries when it was made (t_<ms since epoch, base 36>_<random>); only those older than
// STALE_AFTER_MS go, so a test run started beside another one (two checkouts, one database) leaves the
// other's schemas alone. Names of the earlier form (t_ and 12 hex digits) carry no time and always go.
const { Client } = require("pg");
const { copyFileSync, renameSync, statSync } = require("node:fs");
const path = require("node:path");

const STALE_AFTER_MS = 2 * 60 * 60 * 1000;

module.exports = async () => {
  await ensurePgliteTemplate();
  if (!process.env.DATABASE_URL) return;
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  const { rows } = await client.query("select nspname from pg_namespace where nspname ~ '^t_([0-9a-f]{12}|[0-9a-z]+_[0-9a-f]{8})$'");
  const now = Date.now();
  for (const { nspname } of rows) {
    const made = /^t_([0-9a-z]+)_/.exec(nspname);
    if (made && now - parseInt(made[1], 36) < STALE_AFTER_MS) continue;
    await client.query(`drop schema if exists ${nspname} cascade`);
  }
  await client.end();
};

// Every test server's in-memory PGlite starts as a migrated cluster unpacked from a template
// (openDatabase, lib/db/index.ts) instead of running initdb and every migration: seconds per server.
// Under jest the modules are the sources, so the template is the one next to lib/db/pglite-template.ts
// (not committed), made here from the sources' migrations whenever it is missing or older than them.
async function ensurePgliteTemplate() {
  const { pgliteTemplateFile, writePgliteTemplate } = require("../../lib/db/pglite-template");
  const file = pgliteTemplateFile();
  const mtime = (f) => {
    try {
      return statSync(f).mtimeMs;
    } catch {
      return -1;
    }
  };
  const sources = ["migrations.ts", "pglite.ts", "pglite-template.ts"].map((f) => mtime(path.join(__dirname, "..", "..", "lib", "db", f)));
  const newest = Math.max(...sources);
  if (mtime(file) > newest) return;
  // A build made after the sources last changed wrote the same cluster (npm test builds first).
  const built = path.join(__dirname, "..", "..", "dist", "lib", "db", path.basename(file));
  if (mtime(built) > newest) {
    const partial = `${file}.${process.pid}.partial`;
    copyFileSync(built, partial);
    renameSync(partial, file);
    return;
  }
  await writePgliteTemplate(file);
}
