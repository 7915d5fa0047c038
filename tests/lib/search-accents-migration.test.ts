/**
 * Migration 55: accents are ignored (`search_fold()` drops the combining diacritical marks after NFKD).
 * The migration changes no stored document (it stays quick at boot); it leaves a mark, and the background
 * backfill rebuilds the documents that hold such a mark, newest first.
 */
import type { Database } from "../../lib/db";
import { createLogger } from "../../lib/log";
import { migrate } from "../../lib/db/migrations";
import { startSearchBackfill } from "../../lib/search/backfill";
import { foundByWords, migratedTo, postBodies, searchDocuments } from "../helpers/migrations";

describe("migration 55 (accents)", () => {
  let db: Database;
  beforeAll(async () => {
    db = await migratedTo(54);
  }, 120_000);
  afterAll(() => db?.close());

  const found = (words: string) => foundByWords(db, words);

  it("leaves the documents as they were, marks where the rebuild starts, and the backfill rebuilds those with an accent", async () => {
    const accented = ["Naïve résumé at the Café Zürich", "crème brûlée", "Ｃａｆé のメニュー", "Hauptstraße und Øresund"];
    const plain = ["the cafe downstairs", "ガイドを見て", "nothing accented here"];
    await postBodies(db, "emi", [...accented, ...plain]);
    const before = await searchDocuments(db);
    expect(await found("zurich")).toEqual([]);
    expect(await migrate(db)).toContain(55);
    expect(await searchDocuments(db)).toEqual(before);
    const [mark] = await db.query<{ next_before: string; max: string }>("select next_before::text, (select max(id) + 1 from messages)::text as max from search_accents_backfill");
    expect(mark.next_before).toBe(mark.max);
    // New documents are folded at once.
    await postBodies(db, "emi-later", ["Señor Muñoz arrives"]);
    expect(await found("senor munoz")).toEqual(["Señor Muñoz arrives"]);
    await startSearchBackfill(db, createLogger({ level: "silent" }), { batch: 2 }).done;
    expect(await db.query("select * from search_accents_backfill")).toEqual([]);
    expect(await found("zurich")).toEqual(["Naïve résumé at the Café Zürich"]);
    expect(await found("cafe")).toEqual(["Naïve résumé at the Café Zürich", "Ｃａｆé のメニュー", "the cafe downstairs"]);
    expect(await found("creme brulee")).toEqual(["crème brûlée"]);
    expect(await found("hauptstrasse oresund")).toEqual(["Hauptstraße und Øresund"]);
    const after = await searchDocuments(db);
    for (const body of [...accented, ...plain]) {
      const [now] = await db.query<{ doc: string }>("select d.doc::text as doc from search_document($1) d", [body]);
      expect(after.get(body)).toBe(now.doc);
    }
    // Those without an accent are as they were (kana keep their voiced sound marks).
    for (const body of plain) expect(after.get(body)).toBe(before.get(body));
  });
});
