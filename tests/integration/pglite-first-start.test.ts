/**
 * A first start on a new PGlite data dir: the compiled build unpacks the build's migrated template (or,
 * without one, creates and migrates a cluster) in a short-lived child process (lib/db/index.ts,
 * prepareNewPgliteDir), so the server's own process only opens a migrated one; what that saves in time
 * and memory is measured by `npm run bench`'s `idle` scenario, not here. Runs the production build's
 * modules (dist/, which `npm test` builds), as `node dist/server.js` does.
 */
import { existsSync, lstatSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { openPglite } from "@/lib/db/pglite";
import { migrate, MIGRATIONS } from "@/lib/db/migrations";
import { prepareNewPgliteDir as fromSources, type openDatabase } from "@/lib/db";

const ROOT = path.resolve(__dirname, "..", "..");
const COMPILED = path.join(ROOT, "dist", "lib", "db", "index.js");
const TEMPLATE = path.join(ROOT, "dist", "lib", "db", "pglite-template.js");

describe("a new PGlite data dir on a first start", () => {
  let dir: string;
  beforeAll(() => {
    if (!existsSync(COMPILED)) throw new Error("no production build: run `npm run build` (npm test does)");
    dir = mkdtempSync(path.join(tmpdir(), "hibiki-first-start-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Every migration id in the data dir, and its cluster's system identifier (unique to each initdb). */
  async function inspect(data: string) {
    const db = await openPglite(data);
    try {
      const ids = (await db.query<{ id: number }>("select id from schema_migrations order by id")).map((r) => Number(r.id));
      const [{ system_identifier: systemIdentifier }] = await db.query<{ system_identifier: string }>(
        "select system_identifier::text from pg_control_system()",
      );
      // Opened as the server opens it: nothing is left to apply.
      return { ids, systemIdentifier, applied: await migrate(db) };
    } finally {
      await db.close();
    }
  }
  const allIds = () => MIGRATIONS.map((m) => m.id).sort((a, b) => a - b);
  /**
   * Entries of a data dir (uploads' files/ aside) that let others than the owner in: a dir others may
   * enter, read or write, or a file others may write (files PostgreSQL writes while running are 0644 by
   * the umask, inside dirs nobody else may enter).
   */
  const widerThanOwner = (data: string): string[] =>
    [data, ...readdirSync(data, { recursive: true, encoding: "utf8" }).filter((f) => !f.startsWith("files")).map((f) => path.join(data, f))].filter((f) => {
      const st = lstatSync(f);
      return (st.mode & (st.isDirectory() ? 0o077 : 0o022)) !== 0;
    });

  it(
    "is unpacked from the build's migrated template by a child process of the compiled build",
    async () => {
      const compiled = require(COMPILED) as { prepareNewPgliteDir: typeof fromSources };
      const template = require(TEMPLATE) as { existingPgliteTemplate: () => string | undefined };
      // `npm run build` wrote it, named after the installed PGlite.
      expect(template.existingPgliteTemplate()).toMatch(/pglite-\d+\.\d+\.\d+.*-template\.tar\.gz$/);
      const a = path.join(dir, "from-template-a");
      const b = path.join(dir, "from-template-b");
      expect(await compiled.prepareNewPgliteDir(a)).toBe("template");
      expect(await compiled.prepareNewPgliteDir(b)).toBe("template");
      const [ia, ib] = [await inspect(a), await inspect(b)];
      expect(ia.ids).toEqual(allIds());
      expect(ia.applied).toEqual([]);
      expect(ib.ids).toEqual(allIds());
      // Opened as the server opens it: no other user of the machine can read or change it.
      expect(widerThanOwner(a)).toEqual([]);
      // Both are copies of one cluster: initdb would have given each its own identifier.
      expect(ib.systemIdentifier).toBe(ia.systemIdentifier);
      // Nothing that must be an installation's own comes with it: secrets (session signing, VAPID keys)
      // and accounts are made by each server on its first start.
      const db = await openPglite(a);
      try {
        const [counts] = await db.query<Record<string, number>>(
          "select (select count(*) from settings)::int as settings, (select count(*) from users)::int as users, (select count(*) from sessions)::int as sessions",
        );
        expect(counts).toEqual({ settings: 0, users: 0, sessions: 0 });
      } finally {
        await db.close();
      }
      // Once there, it is left as it is.
      expect(await compiled.prepareNewPgliteDir(a)).toBe("exists");
      expect(await compiled.prepareNewPgliteDir("memory://")).toBe("exists");
    },
    180_000,
  );

  it(
    "without a template is created by initdb and migrated by a child process; opening it then applies nothing",
    async () => {
      const compiled = require(COMPILED) as { prepareNewPgliteDir: typeof fromSources };
      const data = path.join(dir, "data");
      expect(await compiled.prepareNewPgliteDir(data, null)).toBe("child");
      expect(existsSync(path.join(data, "PG_VERSION"))).toBe(true);
      const fresh = await inspect(data);
      expect(fresh.ids).toEqual(allIds());
      expect(fresh.applied).toEqual([]);
      // A cluster of its own, not the template's.
      const other = path.join(dir, "from-template-c");
      expect(await compiled.prepareNewPgliteDir(other)).toBe("template");
      expect((await inspect(other)).systemIdentifier).not.toBe(fresh.systemIdentifier);
    },
    180_000,
  );

  it(
    "from the TypeScript sources, which a plain node cannot load, is unpacked from a template by a child process, else left to the caller",
    async () => {
      expect(await fromSources(path.join(dir, "not-created"), null)).toBe("in-process");
      expect(existsSync(path.join(dir, "not-created", "PG_VERSION"))).toBe(false);
      // The tests' template (their global setup makes it from the sources' migrations).
      const unpacked = path.join(dir, "from-sources-template");
      expect(await fromSources(unpacked)).toBe("template");
      const { ids, applied } = await inspect(unpacked);
      expect(ids).toEqual(allIds());
      expect(applied).toEqual([]);
    },
    180_000,
  );

  it(
    "is what the server's openDatabase does first, which says how a new data dir was made (the server logs it)",
    async () => {
      const compiled = require(COMPILED) as { openDatabase: typeof openDatabase };
      const told: unknown[][] = [];
      const modes: unknown[] = [];
      const data = path.join(dir, "opened");
      const db = await compiled.openDatabase({ dataDir: data, onPrepared: (...args) => told.push(args), onDataDirModes: (r) => modes.push(r) });
      await db.close();
      expect(told).toEqual([["template", expect.any(Number)]]);
      // What was unpacked was world-writable (PGlite's file layer): narrowed before the server opened it.
      expect(modes).toEqual([{ restricted: expect.any(Number), failed: [] }]);
      expect((modes[0] as { restricted: number }).restricted).toBeGreaterThan(100);
      expect(widerThanOwner(data)).toEqual([]);
      // An existing data dir: nothing to tell.
      const again = await compiled.openDatabase({ dataDir: data, onPrepared: (...args) => told.push(args), onDataDirModes: (r) => modes.push(r) });
      await again.close();
      expect(told).toHaveLength(1);
      expect(modes[1]).toEqual({ restricted: 0, failed: [] });
    },
    180_000,
  );

  it(
    "in memory (\"memory://\", every test server's) starts as the template too: migrated before any migration runs",
    async () => {
      const template = (require(TEMPLATE) as { existingPgliteTemplate: () => string | undefined }).existingPgliteTemplate();
      const fromTemplate = await openPglite("memory://", { template });
      try {
        const ids = (await fromTemplate.query<{ id: number }>("select id from schema_migrations order by id")).map((r) => Number(r.id));
        expect(ids).toEqual(allIds());
        expect(await migrate(fromTemplate)).toEqual([]);
      } finally {
        await fromTemplate.close();
      }
      // Without one it is initdb's empty cluster, as before.
      const bare = await openPglite("memory://");
      try {
        await expect(bare.query("select id from schema_migrations")).rejects.toThrow(/schema_migrations/);
      } finally {
        await bare.close();
      }
    },
    120_000,
  );

  it(
    "is what the server's openDatabase does first: a data dir that cannot be made is refused with the reason, naming it",
    async () => {
      // The data dir is made (and locked, lockDataDir) before the child creates the cluster in it.
      const compiled = require(COMPILED) as { openDatabase: typeof openDatabase };
      const file = path.join(dir, "a-file");
      writeFileSync(file, "not a directory");
      await expect(compiled.openDatabase({ dataDir: path.join(file, "data") })).rejects.toThrow(
        /could not create the PGlite data dir .*a-file\/data: .*(ENOTDIR|not a directory)/i,
      );
    },
    60_000,
  );
});
