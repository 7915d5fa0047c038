// Drops the throwaway PostgreSQL schemas earlier test runs left behind (see freshPostgresUrl). A schema's
// name carries when it was made (t_<ms since epoch, base 36>_<random>); only those older than
// STALE_AFTER_MS go, so a test run started beside another one (two checkouts, one database) leaves the
// other's schemas alone. Names of the earlier form (t_ and 12 hex digits) carry no time and always go.
const { Client } = require("pg");

const STALE_AFTER_MS = 2 * 60 * 60 * 1000;

module.exports = async () => {
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
