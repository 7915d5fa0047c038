/**
 * The search document of a message (search_document(), the one tokenizer behind the insert and edit
 * triggers and the backfill) is what every stored index row and every query has to agree on. Migration 20
 * rewrote it for speed; these tests hold it to migration 13's definition (of the text as migration 25 folds
 * it), text for text, on PGlite and
 * PostgreSQL, and check that indexing keeps following inserts and deletes without the foreign key that
 * migration 20 removed.
 */
import type { Database } from "../../lib/db";
import { MIGRATIONS } from "../../lib/db/migrations";
import { DATABASE_BACKENDS } from "../helpers/server";

jest.setTimeout(120_000);

/** Migration 13's search_document(), created beside the current one as search_document_m13(). */
function migration13Tokenizer(): string {
  const sql = MIGRATIONS.find((m) => m.id === 13)?.sql ?? "";
  const m = /create or replace function search_document\(p_body text\)[\s\S]*?\$fn\$;/.exec(sql);
  if (!m) throw new Error("migration 13 no longer defines search_document()");
  return m[0].replace("function search_document(", "function search_document_m13(");
}

/** Texts at every branch of the tokenizer: scripts, widths, links, lengths, separators, query syntax. */
const EDGE_CASES = [
  "",
  " ",
  "hello",
  "The deployed builds were failing, then passing",
  "www.example.com",
  "WWW.Example.COM/path",
  "wwww.example",
  "see http://a.b and HTTPS://C.D",
  "https:// nothing after it",
  "ftp://files.example.com",
  "a://b",
  "://",
  "www.",
  "天気",
  "天",
  "今日は良い天気です",
  "天ぷらと気分",
  "Next.jsの設定",
  "ｆｕｌｌ ﾃｽﾄ",
  "ＡＢＣ　ｗｗｗ．ｅｘａｍｐｌｅ．ｃｏｍ",
  "１２３ and ｄｅｐｌｏｙｅｄ",
  "東京都 https://example.jp/東京",
  "한국어 텍스트 검색",
  "中文测试文本",
  "𠀋𡈽の字",
  "コーヒー・ショップ",
  "人々と〇",
  "🎉 party time 🎉",
  "Crème brûlée, naïve café",
  "Привет мир",
  "O'Reilly's books",
  "a & | !b :* \\ 'quoted' \"double\"",
  "tab\there\nnewline\r\nend",
  "2026-11-30 12:00 a@b.com",
  "会議室の予約、明日14時〜 meeting room booked",
  "あ い う え お",
  "x".repeat(3000),
  "天気予報".repeat(4500),
  `${"long english words ".repeat(400)}最後に日本語`,
];

/** Mixed English/Japanese texts like the bench corpus (deterministic). */
function corpus(n: number): string[] {
  const en = "the a deploy deployed build release review merge meeting lunch server database query error fix bug docs notes".split(" ");
  const ja = "今日は 明日の 天気 会議室 打ち合わせ 資料 確認 お願いします 了解です リリース デプロイ 設定 東京 大阪 問題 テスト".split(" ");
  let seed = 11;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const words = (xs: string[], k: number, sep: string) => Array.from({ length: 1 + Math.floor(rand() * k) }, () => xs[Math.floor(rand() * xs.length)]).join(sep);
  return Array.from({ length: n }, () => {
    const r = rand();
    const link = rand() < 0.1 ? " https://example.com/x" : "";
    return (r < 0.5 ? words(en, 30, " ") : r < 0.85 ? words(ja, 12, rand() < 0.3 ? "、" : "") : `${words(en, 20, " ")} ${words(ja, 8, "")}`) + link;
  });
}


describe.each(DATABASE_BACKENDS)("search documents on %s", (backend, open) => {
  let db: Database | undefined;
  beforeAll(async () => {
    db = await open();
    if (!db) process.stdout.write(`skipping ${backend} search document tests: DATABASE_URL is not set\n`);
  });
  afterAll(() => db?.close());

  // Migration 25 builds the document from the folded body (search_fold()) and decides the link marker on
  // the body in NFKC; otherwise the tokens are migration 13's, plus the pairs of migration 23.
  it("are exactly migration 13's documents of the folded text plus the adjacent-word pairs, for edge cases and a mixed corpus", async () => {
    if (!db) return;
    await db.exec(migration13Tokenizer());
    const texts = [...EDGE_CASES, ...corpus(2000)];
    // Pairs (migrations 23 and 28) are the lexemes holding " ~ " or " ~2 " … " ~4 "; without them, a document is migration 13's.
    const differ = await db.query<{ t: string; before: string; now: string }>(
      `select b.t, o.doc::text as before, n.doc::text as now
         from unnest($1::text[]) as b(t)
         cross join lateral (select case when normalize(b.t, NFKC) ~* '(https?://|www\\.)\\S' then f.doc || '''~has link'''::tsvector else f.doc end as doc
                               from search_document_m13(search_fold(b.t)) f) o
         cross join lateral search_document(b.t) n
        where o.doc is distinct from ts_delete(n.doc, array(select l from unnest(tsvector_to_array(n.doc)) l where l ~ ' ~[0-9]? '))`,
      [texts],
    );
    expect(differ).toEqual([]);
    // The edge cases do reach every kind of lexeme (a control that the comparison compares something).
    const [kinds] = await db.query<{ link: number; bigram: number; english: number }>(
      `select count(*) filter (where d.doc @@ '''~has link'''::tsquery)::int as link,
              count(*) filter (where d.doc @@ '''天気'''::tsquery)::int as bigram,
              count(*) filter (where d.doc @@ to_tsquery('english', 'deploy'))::int as english
         from unnest($1::text[]) as b(t) cross join lateral search_document(b.t) d`,
      [EDGE_CASES],
    );
    expect(kinds).toEqual({ link: 6, bigram: 3, english: 2 });
  });

  it("pairs each English lexeme with the one just before it (across up to three stop words), and holds nothing a word, bigram or marker could be", async () => {
    if (!db) return;
    const pairs = async (t: string) =>
      (await db!.query<{ l: string }>(`select l from search_document($1) d, unnest(tsvector_to_array(d.doc)) l where l ~ ' ~[0-9]? ' order by l`, [t])).map((r) => r.l);
    // Stems, in text order; a dropped stop word leaves a gap, which the pair names by its distance
    // ("let ~2 check"); punctuation leaves none.
    expect(await pairs("Pull requests, merged. Let me check the builds")).toEqual(["check ~2 build", "let ~2 check", "merg ~ let", "pull ~ request", "request ~ merg"]);
    // Three stop words between two words still pair them; four do not.
    expect(await pairs("deploy and then it shipped")).toEqual(["deploy ~4 ship"]);
    expect(await pairs("deploy and then it was shipped")).toEqual([]);
    expect(await pairs("the end of the day")).toEqual(["end ~3 day"]);
    // Around CJK text (replaced by a space, as for the English lexemes) and beside a link (folded into its
    // words by migration 25); CJK bigrams are no pairs.
    expect(await pairs("deploy 天気予報 tomorrow https://example.com")).toEqual(["deploy ~ tomorrow", "exampl ~ com", "https ~ exampl", "tomorrow ~ https"]);
    expect(await pairs("天気予報")).toEqual([]);
    // "~has link" typed as text is the words "has" (a stop word) and "link" (search_fold makes "~" a
    // space): not the link marker.
    const [marker] = await db.query<{ link: boolean; word: boolean }>(
      `select d.doc @@ '''~has link'''::tsquery as link, d.doc @@ '''link'''::tsquery as word from search_document('~has link') d`,
    );
    expect(marker).toEqual({ link: false, word: true });
    // Words of 1,100 letters reach the parser cut into pieces of at most 128 (migration 62): their pieces are
    // paired as words are (no error), the last one with the word after it.
    const long = await pairs(`${"x".repeat(1100)} ${"y".repeat(1100)} zed`);
    expect(long.some((p) => / ~ zed$/.test(p))).toBe(true);
    for (const p of long) for (const lexeme of p.split(/ ~\d* /)) expect(lexeme.length).toBeLessThanOrEqual(128);
  });

  it("follows inserts and deletes of messages: every stored message has its row, a deleted one none", async () => {
    if (!db) return;
    const [room] = await db.query<{ id: string }>("insert into rooms (name, kind) values ('doc-room', 'public') returning id::text as id");
    const [user] = await db.query<{ id: string }>("insert into users (name, name_key, kind) values ('doc-user', 'doc-user', 'user') returning id::text as id");
    const bodies = ["deploy the build", "天気予報を確認", "https://example.com ok"];
    await db.query("select post_messages($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::jsonb[])", [
      bodies.map(() => room.id),
      bodies.map(() => user.id),
      bodies.map(() => "doc-user"),
      bodies,
      bodies.map(() => null),
      bodies.map(() => null),
    ]);
    const indexed = await db.query<{ body: string; same: boolean }>(
      `select m.body, s.doc = d.doc as same from messages m
         join message_search s on s.message_id = m.id cross join lateral search_document(m.body) d
        where m.room_id = $1 order by m.id`,
      [room.id],
    );
    expect(indexed).toEqual(bodies.map((body) => ({ body, same: true })));
    await db.query("delete from messages where room_id = $1 and body <> 'deploy the build'", [room.id]);
    const left = await db.query<{ n: number }>("select count(*)::int as n from message_search where room_id = $1", [room.id]);
    expect(left).toEqual([{ n: 1 }]);
    // A room's deletion cascades to its messages, and from them to their search rows.
    await db.query("delete from rooms where id = $1", [room.id]);
    expect(await db.query("select 1 from message_search where room_id = $1", [room.id])).toEqual([]);
  });
});
