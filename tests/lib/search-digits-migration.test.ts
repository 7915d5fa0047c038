/**
 * Migration 51: a word of ASCII letters ending in a number ("Python3") is the letters and the number
 * (`search_fold()`). The migration changes no stored document (it stays quick at boot); it leaves a mark,
 * and the background backfill rebuilds the documents that may hold such a word, newest first.
 */
import type { Database } from "../../lib/db";
import { createLogger } from "../../lib/log";
import { migrate } from "../../lib/db/migrations";
import { startSearchBackfill } from "../../lib/search/backfill";
import { foundByWords, migratedTo, postBodies, searchDocuments } from "../helpers/migrations";

describe("migration 51 (a word ending in a number)", () => {
  let db: Database;
  beforeAll(async () => {
    db = await migratedTo(50);
  }, 120_000);
  afterAll(() => db?.close());

  const found = (words: string) => foundByWords(db, words);

  it("leaves the documents as they were, marks where the rebuild starts, and the backfill rebuilds those with such a word", async () => {
    const bodies = ["Python3 rewrite done", "iOS17で落ちる", "stored on S3", "hash a1b2c3", "nothing numbered here", "see x86-64 builds"];
    await postBodies(db, "kei", bodies);
    const before = await searchDocuments(db);
    expect(await found("python")).toEqual([]);
    expect(await migrate(db)).toContain(51);
    expect(await searchDocuments(db)).toEqual(before);
    const [mark] = await db.query<{ next_before: string; max: string }>("select next_before::text, (select max(id) + 1 from messages)::text as max from search_digits_backfill");
    expect(mark.next_before).toBe(mark.max);
    await startSearchBackfill(db, createLogger({ level: "silent" }), { batch: 2 }).done;
    expect(await db.query("select * from search_digits_backfill")).toEqual([]);
    expect(await found("python")).toEqual(["Python3 rewrite done"]);
    expect(await found("io")).toEqual(["iOS17で落ちる"]);
    const after = await searchDocuments(db);
    for (const body of bodies) {
      const [now] = await db.query<{ doc: string }>("select d.doc::text as doc from search_document($1) d", [body]);
      expect(after.get(body)).toBe(now.doc);
    }
    // Those without such a word are as they were.
    for (const body of ["stored on S3", "hash a1b2c3", "nothing numbered here", "see x86-64 builds"]) expect(after.get(body)).toBe(before.get(body));
  });
});
