/**
 * Migration 35: a run of Markdown emphasis marks between two CJK characters no longer splits the run
 * (`search_fold()`): the documents of messages stored before it that hold such a mark are rebuilt in
 * the migration, and no other document changes.
 */
import type { Database } from "../../lib/db";
import { migrate } from "../../lib/db/migrations";
import { migratedTo, postBodies, searchDocuments } from "../helpers/migrations";

describe("migration 35 (emphasis marks between CJK characters)", () => {
  let db: Database;
  beforeAll(async () => {
    db = await migratedTo(34);
  }, 120_000);
  afterAll(() => db?.close());

  const docs = () => searchDocuments(db);
  const found = async (run: string) =>
    (
      await db.query<{ body: string }>(
        "select m.body from message_search s join messages m on m.id = s.message_id where s.doc @@ search_tsquery('', '{}', array[$1], '{}') order by m.id",
        [run],
      )
    ).map((r) => r.body);

  it("rebuilds the documents of messages with marks between CJK characters, and only those", async () => {
    const bodies = [
      "**新機能**のリリースは来週です",
      "`設定`ファイルを確認",
      "~~旧仕様~~新仕様で",
      "＊＊重要＊＊なお知らせ",
      "新機能 **の** リリース",
      "**bold** deployed the build",
      "今日は良い天気です",
    ];
    await postBodies(db, "yui", bodies);
    const before = await docs();
    expect(await found("新機能のリリース")).toEqual([]);

    expect(await migrate(db)).toContain(35);
    const after = await docs();
    expect(after.get("**新機能**のリリースは来週です")).toContain("'能の'");
    expect(await found("新機能のリリース")).toEqual(["**新機能**のリリースは来週です"]);
    expect(await found("設定ファイル")).toEqual(["`設定`ファイルを確認"]);
    expect(await found("旧仕様新仕様")).toEqual(["~~旧仕様~~新仕様で"]);
    expect(await found("重要なお知らせ")).toEqual(["＊＊重要＊＊なお知らせ"]);
    // Each document is what search_document() gives now; those without such a mark did not change.
    for (const body of bodies) {
      const [now] = await db.query<{ doc: string }>("select d.doc::text as doc from search_document($1) d", [body]);
      expect(after.get(body)).toBe(now.doc);
    }
    // Marks with a space beside them stay word breaks.
    expect(after.get("新機能 **の** リリース")).toBe(before.get("新機能 **の** リリース"));
    expect(after.get("**bold** deployed the build")).toBe(before.get("**bold** deployed the build"));
    expect(after.get("今日は良い天気です")).toBe(before.get("今日は良い天気です"));
  });
});
