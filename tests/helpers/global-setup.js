// Drops the throwaway PostgreSQL schemas earlier test runs left behind (see freshPostgresUrl).
const { Client } = require("pg");

module.exports = async () => {
  if (!process.env.DATABASE_URL) return;
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  const { rows } = await client.query("select nspname from pg_namespace where nspname ~ '^t_[0-9a-f]{12}$'");
  for (const { nspname } of rows) await client.query(`drop schema if exists ${nspname} cascade`);
  await client.end();
};
