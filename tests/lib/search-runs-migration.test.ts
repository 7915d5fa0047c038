/**
 * Migration 62: `search_fold()` ends by putting a space after every 128 characters of a run of ASCII
 * letters, digits, `_ . -` (PostgreSQL's parser takes time that grows with the square of such a run). The
 * migration changes no stored document; it leaves a mark, and the background backfill rebuilds the
 * documents that hold such a run, newest first.
 */
import type { Database } from "../../lib/db";
import { createLogger } from "../../lib/log";
import { migrate } from "../../lib/db/migrations";
import { startSearchBackfill } from "../../lib/search/backfill";
import { parseQuery } from "../../lib/search/query";
import { foundByWords, migratedTo, postBodies, searchDocuments } from "../helpers/migrations";

describe("migration 62 (long runs)", () => {
  let db: Database;
  beforeAll(async () => {
    db = await migratedTo(61);
  }, 120_000);
  afterAll(() => db?.close());

  const found = (words: string) => foundByWords(db, words);
  /** The longest run of letters, digits, _ . - that search_fold() makes of `text`. */
  const longestRun = async (text: string) =>
    (await db.query<{ n: number }>("select coalesce(max(length(r[1])), 0)::int as n from regexp_matches(search_fold($1), '([A-Za-z0-9_.-]+)', 'g') r", [text]))[0].n;

  it("leaves the documents as they were, marks where the rebuild starts, and the backfill rebuilds those with a long run", async () => {
    const long = [`${"build_step_".repeat(14)}done`, `${"_a".repeat(200)} zebra`, `ＡＢ＿${"ｃｄ＿".repeat(50)}`];
    const plain = ["a short_snake_case name", `${"ab_".repeat(42)}ab exactly 128`, "今日は天気"];
    await postBodies(db, "ren", [...long, ...plain]);
    const before = await searchDocuments(db);
    expect(await longestRun(long[1])).toBe(400);
    expect(await found("tep")).toEqual([]);
    expect(await migrate(db)).toContain(62);
    expect(await searchDocuments(db)).toEqual(before);
    const [mark] = await db.query<{ next_before: string; max: string }>("select next_before::text, (select max(id) + 1 from messages)::text as max from search_runs_backfill");
    expect(mark.next_before).toBe(mark.max);
    for (const text of [...long, ...plain]) expect(await longestRun(text)).toBeLessThanOrEqual(128);
    // Runs of at most 128 characters are as they were: the cut changes nothing there.
    expect(await longestRun(plain[1])).toBe(128);
    // New documents are cut at once.
    await postBodies(db, "ren-later", [`${"x_".repeat(70)}later`]);
    const [later] = await db.query<{ doc: string }>("select s.doc::text as doc from message_search s join messages m on m.id = s.message_id where m.body like 'x_x_%'");
    const [fresh] = await db.query<{ doc: string }>("select d.doc::text as doc from search_document($1) d", [`${"x_".repeat(70)}later`]);
    expect(later.doc).toBe(fresh.doc);
    await startSearchBackfill(db, createLogger({ level: "silent" }), { batch: 2 }).done;
    expect(await db.query("select * from search_runs_backfill")).toEqual([]);
    // "build_step_" × 14 is cut after 128 characters, in the 12th "step": its pieces are words now.
    expect(await found("tep")).toEqual([long[0]]);
    expect(await found("zebra")).toEqual([long[1]]);
    const after = await searchDocuments(db);
    for (const body of [...long, ...plain]) {
      const [now] = await db.query<{ doc: string }>("select d.doc::text as doc from search_document($1) d", [body]);
      expect(after.get(body)).toBe(now.doc);
    }
    for (const body of plain) expect(after.get(body)).toBe(before.get(body));
    // The query's run is cut where the message's is: the whole run as a quoted phrase finds it (its words
    // adjacent across the cut), as does the run typed bare.
    for (const typed of [`"${long[0]}"`, long[0]]) {
      const q = parseQuery(typed);
      const rows = await db.query<{ body: string }>(
        "select m.body from message_search s join messages m on m.id = s.message_id where s.doc @@ search_tsquery($1, $2::text[], '{}', '{}') order by m.id",
        [q.words.join(" "), q.phrases],
      );
      expect({ typed, found: rows.map((r) => r.body) }).toEqual({ typed, found: [long[0]] });
    }
  });
});
