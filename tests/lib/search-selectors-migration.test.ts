/**
 * Migration 39: variation selectors and the other default-ignorable marks are dropped by `search_fold()`
 * as format characters are: the documents of messages stored before it with one after a character that
 * can be part of a word are rebuilt in the migration, and no other document changes.
 */
import type { Database } from "../../lib/db";
import { migrate } from "../../lib/db/migrations";
import { migratedTo, postBodies, searchDocuments } from "../helpers/migrations";

describe("migration 39 (variation selectors)", () => {
  let db: Database;
  beforeAll(async () => {
    db = await migratedTo(38);
  }, 120_000);
  afterAll(() => db?.close());

  const found = async (words: string, runs: string[] = []) =>
    (
      await db.query<{ body: string }>(
        "select m.body from message_search s join messages m on m.id = s.message_id where s.doc @@ search_tsquery($1, '{}', $2::text[], '{}') order by m.id",
        [words, runs],
      )
    ).map((r) => r.body);

  it("rebuilds the documents of messages with a selector inside a word or a CJK run, and only those", async () => {
    const bodies = ["葛\u{E0100}飾区で打ち合わせ", "deploy\uFE0F done", "walrus\u034Fnine", "thanks ❤\uFE0F team", "1\uFE0F\u20E3 first item", "plain deploy text"];
    await postBodies(db, "yui", bodies);
    const before = await searchDocuments(db);
    expect(await found("", ["葛飾"])).toEqual([]);
    expect(await found("deploy")).toEqual(["plain deploy text"]);

    expect(await migrate(db)).toContain(39);
    const after = await searchDocuments(db);
    expect(await found("", ["葛飾"])).toEqual(["葛\u{E0100}飾区で打ち合わせ"]);
    expect(await found("deploy")).toEqual(["deploy\uFE0F done", "plain deploy text"]);
    expect(await found("walrusnine")).toEqual(["walrus\u034Fnine"]);
    // Each document is what search_document() gives now; those where dropping changes nothing did not change.
    for (const body of bodies) {
      const [now] = await db.query<{ doc: string }>("select d.doc::text as doc from search_document($1) d", [body]);
      expect(after.get(body)).toBe(now.doc);
    }
    for (const body of ["thanks ❤\uFE0F team", "plain deploy text"]) expect(after.get(body)).toBe(before.get(body));
  });
});
