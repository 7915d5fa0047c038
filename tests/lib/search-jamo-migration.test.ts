/**
 * Migration 31 makes Hangul jamo CJK characters for search (`search_cjk_class()`): the documents of
 * messages stored before it that hold a jamo are rebuilt in the migration, and no other document changes.
 */
import type { Database } from "../../lib/db";
import { migrate } from "../../lib/db/migrations";
import { migratedTo, postBodies, searchDocuments } from "../helpers/migrations";

describe("migration 31 (Hangul jamo in search documents)", () => {
  let db: Database;
  beforeAll(async () => {
    db = await migratedTo(30);
  }, 120_000);
  afterAll(() => db?.close());

  const docs = () => searchDocuments(db);

  it("rebuilds the documents of messages holding jamo, and only those", async () => {
    const bodies = ["ㅋㅋㅋ 진짜 웃기다", "ﾡﾡ half-width", "회의 deploy ㅠㅠ", "deployed the build", "今日は良い天気です"];
    await postBodies(db, "minji", bodies);
    const before = await docs();
    // Before: the jamo were one English-style word.
    expect(before.get("ㅋㅋㅋ 진짜 웃기다")).toContain("'ᄏᄏᄏ'");

    expect(await migrate(db)).toContain(31);
    const after = await docs();
    // Bigrams within each run of CJK characters, at their character positions (the spaces count).
    expect(after.get("ㅋㅋㅋ 진짜 웃기다")).toBe("'ᄏᄏ':1,2 '기다':9 '웃기':8 '진짜':5");
    expect(after.get("ﾡﾡ half-width")).toContain("'ᄀᄀ'");
    expect(after.get("회의 deploy ㅠㅠ")).toContain("'ᅲᅲ'");
    // Each rebuilt document is what search_document() gives now; the others did not change.
    for (const body of bodies) {
      const [now] = await db.query<{ doc: string }>("select d.doc::text as doc from search_document($1) d", [body]);
      expect(after.get(body)).toBe(now.doc);
    }
    expect(after.get("deployed the build")).toBe(before.get("deployed the build"));
    expect(after.get("今日は良い天気です")).toBe(before.get("今日は良い天気です"));
    // A query for two jamo finds the message.
    const [hit] = await db.query<{ n: number }>(
      "select count(*)::int as n from message_search where doc @@ search_tsquery('', '{}', array['ㅋㅋ'], '{}')",
    );
    expect(hit.n).toBe(1);
  });
});
