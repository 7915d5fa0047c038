/**
 * A first start on a new PGlite data dir: the compiled build creates and migrates it in a short-lived
 * child process (lib/db/index.ts, prepareNewPgliteDir), so the server's own process only opens a migrated
 * one; what that saves in memory is measured by `npm run bench`'s `idle` scenario, not here. Runs the
 * production build's modules (dist/, which `npm test` builds), as `node dist/server.js` does.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { openPglite } from "@/lib/db/pglite";
import { migrate, MIGRATIONS } from "@/lib/db/migrations";
import { prepareNewPgliteDir as fromSources, type openDatabase } from "@/lib/db";

const ROOT = path.resolve(__dirname, "..", "..");
const COMPILED = path.join(ROOT, "dist", "lib", "db", "index.js");

describe("a new PGlite data dir on a first start", () => {
  let dir: string;
  beforeAll(() => {
    if (!existsSync(COMPILED)) throw new Error("no production build: run `npm run build` (npm test does)");
    dir = mkdtempSync(path.join(tmpdir(), "hibiki-first-start-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(
    "is created and migrated by a child process of the compiled build; opening it then applies nothing",
    async () => {
      const compiled = require(COMPILED) as { prepareNewPgliteDir: typeof fromSources };
      const data = path.join(dir, "data");
      expect(await compiled.prepareNewPgliteDir(data)).toBe("child");
      expect(existsSync(path.join(data, "PG_VERSION"))).toBe(true);
      // Opened as the server opens it: every migration is there already.
      const db = await openPglite(data);
      try {
        const ids = (await db.query<{ id: number }>("select id from schema_migrations order by id")).map((r) => Number(r.id));
        expect(ids).toEqual(MIGRATIONS.map((m) => m.id).sort((a, b) => a - b));
        expect(await migrate(db)).toEqual([]);
      } finally {
        await db.close();
      }
      // Once there, it is left as it is.
      expect(await compiled.prepareNewPgliteDir(data)).toBe("exists");
      expect(await compiled.prepareNewPgliteDir("memory://")).toBe("exists");
    },
    180_000,
  );

  it("is left to the caller when running from the TypeScript sources, which a plain node cannot load", async () => {
    expect(await fromSources(path.join(dir, "not-created"))).toBe("in-process");
    expect(existsSync(path.join(dir, "not-created", "PG_VERSION"))).toBe(false);
  });

  it(
    "is what the server's openDatabase does first: its failure comes back with the child's reason",
    async () => {
      // The child's own error message is the sign that openDatabase went through it (openPglite's
      // in-process path words it otherwise).
      const compiled = require(COMPILED) as { openDatabase: typeof openDatabase };
      const file = path.join(dir, "a-file");
      writeFileSync(file, "not a directory");
      await expect(compiled.openDatabase({ dataDir: path.join(file, "data") })).rejects.toThrow(
        /could not create and migrate the PGlite data dir .*a-file\/data: .*(ENOTDIR|not a directory)/i,
      );
    },
    60_000,
  );
});
