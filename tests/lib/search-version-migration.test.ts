/**
 * Migration 38: ASCII letters are parted from a number with a dot right after them (`search_fold()`), so
 * "v2.3.1" is the words "v" and "2.3.1": the documents of messages stored before it that hold one are
 * rebuilt in the migration, and no other document changes.
 */
import type { Database } from "../../lib/db";
import { MIGRATIONS } from "../../lib/db/migrations";
import { foundByWords, migratedTo, postBodies, searchDocuments } from "../helpers/migrations";

describe("migration 38 (a version after letters)", () => {
  let db: Database;
  beforeAll(async () => {
    db = await migratedTo(37);
  }, 120_000);
  afterAll(() => db?.close());

  const found = (words: string) => foundByWords(db, words);

  it("rebuilds the documents of messages with a number right after letters, and only those", async () => {
    const bodies = ["Deploying v2.3.1 now", "needs py3.11 or newer", "ｖ２．３．１ の リリース", "released 2.3.1 today", "node20 and v2 only", "see Next.js 3.14"];
    await postBodies(db, "yui", bodies);
    const before = await searchDocuments(db);
    expect(await found("2.3.1")).toEqual(["released 2.3.1 today"]);

    // Migration 38 alone: later ones fold further (migration 51 splits "node20"), and rebuild in the background.
    await db.exec(MIGRATIONS.find((m) => m.id === 38)!.sql);
    const after = await searchDocuments(db);
    expect(await found("2.3.1")).toEqual(["Deploying v2.3.1 now", "ｖ２．３．１ の リリース", "released 2.3.1 today"]);
    expect(await found("3.11")).toEqual(["needs py3.11 or newer"]);
    expect(await found("v 2.3.1")).toEqual(["Deploying v2.3.1 now", "ｖ２．３．１ の リリース"]);
    // Each document is what search_document() gives now; those without such a number did not change.
    for (const body of bodies) {
      const [now] = await db.query<{ doc: string }>("select d.doc::text as doc from search_document($1) d", [body]);
      expect(after.get(body)).toBe(now.doc);
    }
    for (const body of ["released 2.3.1 today", "node20 and v2 only", "see Next.js 3.14"]) expect(after.get(body)).toBe(before.get(body));
  });
});
