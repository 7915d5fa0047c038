/**
 * Search documents built by the message writer in JavaScript (lib/search/document.ts, migration 30) must
 * be the database's own search_document() text for text, on PGlite and PostgreSQL (whose Snowball
 * stemmers differ): a document that differs would hide its message from searches for its words. Texts
 * the builder cannot read with certainty go to the database (null), and the insert trigger builds those.
 */
import type { Database, Queryable } from "../../lib/db";
import { buildSearchDocument, checkSearchDocuments, englishStem, PROBE_TEXTS, type StemmerVariant } from "../../lib/search/document";
import { call, connect, DATABASE_BACKENDS, startTestServer } from "../helpers/server";

jest.setTimeout(120_000);

/** A deterministic generator (mulberry32). */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Chat-like texts: English, Japanese (with and without 、。「」), mixed, some with links. */
function corpus(n: number): string[] {
  const rand = random(5);
  const en = "the a we it is of to deploy deployed deploying build release review merge meeting lunch server database query error fix bug docs notes added adding erred upped".split(" ");
  const ja = "今日は 明日の 天気 会議室 打ち合わせ 資料 確認 お願いします 了解です リリース デプロイ 設定 東京 大阪 問題 テスト".split(" ");
  const words = (xs: string[], k: number, sep: () => string) => Array.from({ length: 1 + Math.floor(rand() * k) }, () => xs[Math.floor(rand() * xs.length)]).join(sep());
  return Array.from({ length: n }, () => {
    const r = rand();
    const link = rand() < 0.1 ? " see https://example.com/x?y=1" : "";
    const enSep = () => (rand() < 0.1 ? ", " : rand() < 0.05 ? ". " : rand() < 0.05 ? "! " : " ");
    const jaSep = () => (rand() < 0.3 ? "、" : rand() < 0.1 ? "。" : "");
    return (r < 0.5 ? words(en, 30, enSep) : r < 0.85 ? `「${words(ja, 12, jaSep)}」` : `${words(en, 20, enSep)} ${words(ja, 8, jaSep)}`) + link;
  });
}

/** Random strings over the characters where PostgreSQL's parser has its own token kinds. */
function fuzz(n: number): string[] {
  const rand = random(17);
  const parts = [
    ..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
    ..." \t\n.,;:!?'\"()[]{}<>/\\@#$%^&*-_+=|~`",
    ..."今日天気会議室テストカタ한국中文ㅋㅠㄱㅏᄀ",
    ..."、。「」『』　ＡＢｃ１２！＃ｶﾀ",
    "https://", "www.", " the ", " of ", "C++", "3.14", "e-mail", "._", "..", "2E4", "1e5x",
  ];
  return Array.from({ length: n }, () => Array.from({ length: 1 + Math.floor(rand() * 40) }, () => parts[Math.floor(rand() * parts.length)]).join(""));
}

/** Words at the stemmer's edges: Porter2's exceptions, doubled consonants after a, e, o (where the two stemmers differ), i, u. */
function stemmerWords(): string[] {
  const words = "generously generous news skies dying lying tying idly gently early only singly inning outing canning herring earring proceed exceed succeed communism arsenal united universal past organs emerging later sky bias andes".split(" ");
  for (const v of "aeiou") for (const c of "bdfgmnprt") for (const end of ["ed", "ing", "edly", "ings"]) words.push(v + c + c + end);
  return [words.join(" "), ...words];
}


describe.each(DATABASE_BACKENDS)("search documents built in JavaScript, on %s", (backend, open) => {
  let db: Database | undefined;
  let variant: StemmerVariant;
  beforeAll(async () => {
    db = await open();
    if (!db) process.stdout.write(`skipping ${backend} JavaScript search document tests: DATABASE_URL is not set\n`);
  });
  afterAll(() => db?.close());

  /** Each of `texts` with its document from the database (`sql`) and from buildSearchDocument (`js`, null when it left it to the database). */
  const bothDocuments = (db: Database, texts: string[]) =>
    db.query<{ body: string; sql: string; js: string | null }>(
      `select p.body, (select d.doc::text from search_document(p.body) d) as sql, p.js::tsvector::text as js
         from unnest($1::text[], $2::text[]) as p(body, js)`,
      [texts, texts.map((t) => buildSearchDocument(t, variant))],
    );

  it("are accepted on this database after the startup check", async () => {
    if (!db) return;
    const checked = await checkSearchDocuments(db);
    expect(checked.mismatch).toBeUndefined();
    expect(checked.build).not.toBeNull();
    variant = checked.variant!;
    expect(["porter2", "keep-short-double"]).toContain(variant);
    expect(PROBE_TEXTS.every((t) => checked.build!(t) !== null)).toBe(true);
  });

  it("equal search_document() text for text, for chat-like text, random text and the stemmer's edges", async () => {
    if (!db) return;
    const groups = { corpus: corpus(3000), fuzz: fuzz(3000), stemmer: stemmerWords() };
    for (const [name, texts] of Object.entries(groups)) {
      const rows = await bothDocuments(db, texts);
      const built = rows.filter((r) => r.js !== null);
      expect({ name, differ: built.filter((r) => r.js !== r.sql) }).toEqual({ name, differ: [] });
      // A control that the comparison compares something: most texts are built here.
      const share = built.length / rows.length;
      expect({ name, enough: share >= (name === "fuzz" ? 0.3 : 0.95) }).toEqual({ name, enough: true });
    }
  });

  it("leave to the database what its parser reads as other tokens, and what is too long or outside the known characters", async () => {
    if (!db) return;
    // Each is a kind found by comparing the two: hyphenated words and signed numbers, numbers, versions
    // and file names around a dot, "2E4" read as a number, long texts, other scripts and symbols.
    const left = ["e-mail", "x -5", "3.14", "1.2.3", "v1.2", "www._x", "x..y", "it._", "2E4xs", "x.5", ".net", "a".repeat(2001), `${"b".repeat(65)} c`, "café", "Привет", "🎉 party", "zero\u200bwidth", "x\u0007y"];
    for (const text of left) expect({ text, doc: buildSearchDocument(text, variant) }).toEqual({ text, doc: null });
    // Still indexed, by the database: a hyphenated word is found by its parts.
    const [{ found }] = await db.query<{ found: boolean }>("select d.doc @@ to_tsquery('english', 'mail') as found from search_document('e-mail') d");
    expect(found).toBe(true);
  });

  // An outside trial: 4,000 characters of "_a" took the parser 130 ms (its time grows with the square of a
  // run of letters and digits joined by _ - .), and 120 such messages stalled everyone's sends for 15 s.
  it("hand the parser no run of letters, digits, _ . - longer than 128 characters, and agree on where such a run is cut (migration 62)", async () => {
    if (!db) return;
    const texts = [
      "_a".repeat(1001) + "x", "_a".repeat(999) + "x", "1_".repeat(999) + "b", "a_".repeat(2000), "ab_".repeat(1333), "1_".repeat(2000), "a-1.".repeat(1000), "a_1-".repeat(1000), "a-b_".repeat(1000),
      "x".repeat(60) + "_" + "y".repeat(60) + "_" + "z".repeat(60), "build_step_".repeat(14) + "done", "ab_".repeat(42) + "ab", "ab_".repeat(43),
      "q_".repeat(64) + " after", "q_".repeat(64) + "q after", "＿ａ".repeat(500), "設定_" + "ab_".repeat(60) + "終わり", "see " + "w_".repeat(150) + ", then more words",
    ];
    const [{ longest }] = await db.query<{ longest: number }>(
      "select max(length(r[1]))::int as longest from unnest($1::text[]) t, regexp_matches(search_fold(t), '([A-Za-z0-9_.-]+)', 'g') r",
      [texts],
    );
    expect(longest).toBeLessThanOrEqual(128);
    const rows = await bothDocuments(db, texts);
    // (Over 2,000 characters, or with a hyphen next to a letter, the database builds it: js is null.)
    const built = rows.filter((r) => r.js !== null);
    expect(built.filter((r) => r.js !== r.sql)).toEqual([]);
    expect(built.length).toBeGreaterThanOrEqual(10);
    // Cut inside a word: the document holds its pieces ("build_s" + " " + "tep_"), the same on both sides.
    const [{ doc }] = await db.query<{ doc: string }>("select d.doc::text as doc from search_document($1) d", ["build_step_".repeat(14) + "done"]);
    expect(doc).toMatch(/'tep'/);
  });

  it("are stored by the insert trigger as the writer gave them; the database builds those it did not give", async () => {
    if (!db) return;
    const [room] = await db.query<{ id: string }>("insert into rooms (name, kind) values ('js-docs', 'public') returning id::text as id");
    const [user] = await db.query<{ id: string }>("insert into users (name, name_key, kind) values ('js-docs', 'js-docs', 'user') returning id::text as id");
    const post = async (bodies: string[], docs?: (string | null)[]) => {
      const params: unknown[] = [bodies.map(() => room.id), bodies.map(() => user.id), bodies.map(() => "js-docs"), bodies, bodies.map(() => null), bodies.map(() => null)];
      if (docs) params.push(docs);
      const [{ r }] = await db!.query<{ r: { new: [string][] } }>(
        `select post_messages($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::jsonb[]${docs ? ", $7::text[]" : ""}) as r`,
        params,
      );
      return r.new.map((row) => row[0]);
    };
    const docOf = async (id: string) => (await db!.query<{ doc: string }>("select doc::text as doc from message_search where message_id = $1", [id]))[0]?.doc;
    // A document the builder could never make ('zzzgiven' for "first body") shows that the given one is stored.
    const given = await post(["first body", "e-mail second", "first body"], ["'zzzgiven':1", null, "'zzzgiven':1"]);
    expect(await docOf(given[0])).toBe("'zzzgiven':1");
    expect(await docOf(given[2])).toBe("'zzzgiven':1");
    const [{ sql }] = await db.query<{ sql: string }>("select d.doc::text as sql from search_document('e-mail second') d");
    expect(await docOf(given[1])).toBe(sql);
    // Without documents (the 6-argument call, an older writer) the database builds every one; the setting
    // does not outlive the call.
    const plain = await post(["first body"]);
    const [{ first }] = await db.query<{ first: string }>("select d.doc::text as first from search_document('first body') d");
    expect(await docOf(plain[0])).toBe(first);
    const [{ setting }] = await db.query<{ setting: string | null }>("select nullif(current_setting('hibiki.search_documents', true), '') as setting");
    expect(setting).toBeNull();
  });

  it("are stored with the attachments' names, in batches given whole, in part or not at all, duplicates too (migration 44)", async () => {
    if (!db) return;
    const [room] = await db.query<{ id: string }>("insert into rooms (name, kind) values ('js-docs-44', 'public') returning id::text as id");
    const [user] = await db.query<{ id: string }>("insert into users (name, name_key, kind) values ('js-docs-44', 'js-docs-44', 'user') returning id::text as id");
    /** The stored documents of `room`'s messages with these bodies, by body (a body twice: both its documents). */
    const docsOf = async (bodies: string[]) => {
      const rows = await db!.query<{ body: string; doc: string }>(
        "select m.body, s.doc::text as doc from messages m join message_search s on s.message_id = m.id where m.room_id = $1 and m.body = any($2::text[]) order by m.id",
        [room.id, bodies],
      );
      const out: Record<string, string[]> = {};
      for (const r of rows) (out[r.body] ??= []).push(r.doc);
      return out;
    };
    /** The database's own document of `body` (the tokenizer, search_document()). */
    const tokenized = async (body: string) => (await db!.query<{ doc: string }>("select d.doc::text as doc from search_document($1) d", [body]))[0].doc;
    const store = (bodies: string[], docs: (string | null)[] | null) =>
      db!.query("select store_messages($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::text[])", [
        bodies.map(() => room.id), bodies.map(() => user.id), bodies.map(() => "js-docs-44"), bodies, bodies.map(() => null), bodies.map(() => null), docs,
      ]);

    // Attachments' names follow the document, given or not: two rows of one insert, one body given.
    // (Inserted directly, as an import would: the writer's claim of an unknown upload would refuse them.)
    const files = JSON.stringify({ attachments: [{ id: "none", name: "walrus-plan.pdf" }] });
    await db.transaction(async (tx) => {
      await tx.query("select set_config('hibiki.search_documents', $1, true)", [JSON.stringify({ "walrus notes": "'zzzgiven':1" })]);
      await tx.query(
        `insert into messages (id, room_id, seq, author_id, author, body, extra)
         values (nextval('message_ids'), $1, 1001, $2, 'js-docs-44', 'walrus notes', $3::jsonb), (nextval('message_ids'), $1, 1002, $2, 'js-docs-44', 'sea lion notes', $3::jsonb)`,
        [room.id, user.id, files],
      );
    });
    const [{ given, own }] = await db.query<{ given: string; own: string }>(
      `select ($2::tsvector || search_attachment_document($1::jsonb))::text as given,
              ((select d.doc from search_document('sea lion notes') d) || search_attachment_document($1::jsonb))::text as own`,
      [files, "'zzzgiven':1"],
    );
    expect(given).toContain("walrus");
    expect(await docsOf(["walrus notes", "sea lion notes"])).toEqual({ "walrus notes": [given], "sea lion notes": [own] });

    // Whole, in part, none (an array of nulls, or no array): each document is the given one or the database's own.
    const bodies = (tag: string) => [`deploy the build ${tag}`, `e-mail me ${tag}`, `今日は天気 ${tag}`, `review later ${tag}`];
    const whole = bodies("w");
    await store(whole, ["'zzzwhole':1", "'zzzwhole':2", "'zzzwhole':3", "'zzzwhole':4"]);
    expect(await docsOf(whole)).toEqual({ [whole[0]]: ["'zzzwhole':1"], [whole[1]]: ["'zzzwhole':2"], [whole[2]]: ["'zzzwhole':3"], [whole[3]]: ["'zzzwhole':4"] });
    const part = bodies("p");
    await store(part, [null, "'zzzpart':1", null, "'zzzpart':2"]);
    expect(await docsOf(part)).toEqual({ [part[0]]: [await tokenized(part[0])], [part[1]]: ["'zzzpart':1"], [part[2]]: [await tokenized(part[2])], [part[3]]: ["'zzzpart':2"] });
    for (const [tag, docs] of [["n", [null, null, null, null]], ["x", null]] as const) {
      const none = bodies(tag);
      await store(none, docs === null ? null : [...docs]);
      expect(await docsOf(none)).toEqual(Object.fromEntries(await Promise.all(none.map(async (b) => [b, [await tokenized(b)]]))));
    }
    // The same body twice in a batch, given once and not at all: every copy gets the document.
    const twice = ["same text twice", "same text twice", "other text twice", "other text twice"];
    await store(twice, ["'zzztwice':1", "'zzztwice':1", null, null]);
    const other = await tokenized("other text twice");
    expect(await docsOf(twice)).toEqual({ "same text twice": ["'zzztwice':1", "'zzztwice':1"], "other text twice": [other, other] });
  });

  it("are not built when the search insert trigger is disabled (nothing is indexed then)", async () => {
    if (!db) return;
    await db.exec("alter table messages disable trigger message_search_insert");
    try {
      const checked = await checkSearchDocuments(db);
      expect(checked.build).toBeNull();
      expect(checked.mismatch).toMatch(/trigger is disabled/);
    } finally {
      await db.exec("alter table messages enable trigger message_search_insert");
    }
  });
});

describe("englishStem", () => {
  it("gives Porter2's stems, and keeps a, e or o before a doubled consonant as the newer Snowball does", () => {
    expect(["deploying", "generously", "skies", "added", "erred", "offing", "upped", "inned", "igging"].map((w) => englishStem(w, "porter2"))).toEqual([
      "deploy", "generous", "sky", "ad", "er", "of", "up", "in", "ig",
    ]);
    expect(["deploying", "generously", "skies", "added", "erred", "offing", "upped", "inned", "igging", "abbed", "onned"].map((w) => englishStem(w, "keep-short-double"))).toEqual([
      "deploy", "generous", "sky", "add", "err", "off", "up", "in", "ig", "abb", "onn",
    ]);
  });
});

describe("the server's message writer", () => {
  it("sends each post's document built here with its batch, and the message is found by its words", async () => {
    // Every store_messages call the server makes (the writer's batch, migration 45), with its parameters (startServer's wrapDatabase hook).
    const calls: unknown[][] = [];
    const recording = (q: Queryable): Queryable => ({
      query: (sql, params) => (/store_messages\(/.test(sql) && calls.push(params ?? []), q.query(sql, params)),
      exec: (sql) => q.exec(sql),
    });
    const server = await startTestServer(
      { guestAccess: true },
      { wrapDatabase: (db) => ({ ...db, ...recording(db), transaction: (fn) => db.transaction((tx) => fn(recording(tx))) }) },
    );
    try {
      const socket = await connect(server.url, { name: "writer-guest" });
      await call(socket, "join-room", "general");
      const text = "Deploying the build 今日は天気";
      await call(socket, "send-message-to-room", { room: "general", message: text });
      const mine = calls.find((params) => (params[3] as string[]).includes(text));
      expect(mine).toHaveLength(7);
      const variant = (await checkSearchDocuments(server.db)).variant!;
      expect((mine![6] as (string | null)[])[(mine![3] as string[]).indexOf(text)]).toBe(buildSearchDocument(text, variant));
      const [{ found }] = await server.db.query<{ found: number }>(
        "select count(*)::int as found from messages m join message_search s on s.message_id = m.id where m.body = $1 and s.doc @@ to_tsquery('english', 'deploy & 天気')",
        [text],
      );
      expect(found).toBe(1);
      socket.disconnect();
    } finally {
      await server.close();
    }
  });
});
