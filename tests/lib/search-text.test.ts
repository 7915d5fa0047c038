/**
 * The search's handling of text outside plain ASCII words, in the query (parseQuery) and in the snippet
 * (buildSnippet): format characters, compatibility forms, CJK next to Latin, words joined by
 * punctuation, and the date range the database can hold. Inputs from an outside review, with variants.
 */
import { parseQuery } from "../../lib/search/query";
import { buildSnippet, leadSnippet, SNIPPET_CHARS } from "../../lib/search/snippet";
import { canonicalStemWords } from "../../lib/search/stem-classes";

/** The marked parts of a snippet, as text. */
const marked = (body: string, stems: string[], subs: string[] = [], symbols: string[] = []) => {
  const { text, highlights } = buildSnippet(body, stems, subs, symbols);
  const chars = [...text];
  return highlights.map(([a, b]) => chars.slice(a, b).join(""));
};

describe("parseQuery", () => {
  // From an outside review: a second `from:` or `in:` silently replaced the first.
  it.each([
    ["from:alice from:bob deploy", "from"],
    ["in:dev in:random lunch", "in"],
    ["deploy from:alice in:dev from:carol", "from"],
    ['in:"two words" lunch in:"other room"', "in"],
    ["from:@alice from:Bob deploy", "from"],
  ])("refuses two different names in %j (%s)", (raw, field) => {
    expect(() => parseQuery(raw)).toThrow(expect.objectContaining({ code: "bad_request", reason: "search_operator_repeated", field }));
  });

  it.each([
    ["from:alice from:ALICE deploy", { from: "ALICE" }],
    ["from:alice from:@alice deploy", { from: "alice" }],
    ["from:alice from:ａｌｉｃｅ deploy", { from: "alice" }],
    ["in:dev in:#DEV lunch", { room: "DEV" }],
  ])("takes the same name twice in %j as one", (raw, want) => {
    expect(parseQuery(raw)).toMatchObject(want);
  });

  it.each([
    ["deploy -staging", { words: ["deploy"] }, { words: ["staging"] }],
    ['deploy -"sounds good"', { words: ["deploy"] }, { phrases: ["sounds good"] }],
    ["天気 -雨", { runs: ["天気"] }, { chars: ["雨"] }],
    ["天気 －会議室", { runs: ["天気"] }, { runs: ["会議室"] }],
    ["release \u2212beta", { words: ["release"] }, { words: ["beta"] }],
    ["cpp -C++ -F#", { words: ["cpp"] }, { symbols: [{ text: "C++", words: "C" }, { text: "F#", words: "F" }] }],
    ["from:alice -lunch", { words: [], from: "alice" }, { words: ["lunch"] }],
    ["review -deploy-failed", { words: ["review"] }, { phrases: ["deploy failed"] }],
    ["ship -mp3", { words: ["ship"] }, { phrases: ["mp3"] }],
  ])("reads the terms of %j after a - as what it leaves out", (raw, kept, excluded) => {
    const q = parseQuery(raw);
    const { from, ...terms } = kept as { from?: string; words: string[] };
    expect(q).toMatchObject({ ...terms, ...(from ? { from } : {}) });
    expect(q.excluded).toMatchObject(excluded);
  });

  it.each([
    ["e-mail", ["e mail"]],
    ["budget -5", ["budget", "-5"]],
    ["--verbose flag", ["--verbose", "flag"]],
    ["deploy - staging", ["deploy", "staging"]],
  ])("keeps a - that stands before no letter or quote as text: %j", (raw, terms) => {
    const q = parseQuery(raw);
    expect([...q.words, ...q.phrases]).toEqual(terms);
    expect(Object.values(q.excluded).flat()).toEqual([]);
  });

  it.each(["-deploy", '-"sounds good"', "-天気 -雨", "－会議"])("refuses a query %j that only leaves out", (raw) => {
    expect(() => parseQuery(raw)).toThrow(expect.objectContaining({ code: "bad_request", reason: "search_only_excluded" }));
  });

  it.each([
    ["deploy -from:bob", "from"],
    ["deploy -in:dev", "in"],
    ["deploy -has:link", "has"],
    ["deploy -before:2026-01-01", "before"],
    ["deploy -AFTER:2026-01-01", "after"],
  ])("refuses an operator left out in %j", (raw, field) => {
    expect(() => parseQuery(raw)).toThrow(expect.objectContaining({ code: "bad_request", reason: "search_operator_excluded", field }));
  });

  it("counts the terms left out toward the most a query may have", () => {
    expect(() => parseQuery("a1 b2 c3 d4 e5 f6 -g7 -h8 -i9 -j10 -k11 -l12 -m13")).toThrow(expect.objectContaining({ reason: "search_too_many_terms" }));
  });

  it("keeps every before: and after: bound: the narrowest range", () => {
    const q = parseQuery("lunch before:2026-12-03 before:2020-01-01 after:2019-01-01 after:2019-06-01");
    expect(q.before?.toISOString()).toBe("2020-01-01T00:00:00.000Z");
    expect(q.after?.toISOString()).toBe("2019-06-01T00:00:00.000Z");
    const r = parseQuery("lunch before:2020-01-01 before:2026-12-03 after:2019-06-01 after:2019-01-01");
    expect([r.before?.toISOString(), r.after?.toISOString()]).toEqual(["2020-01-01T00:00:00.000Z", "2019-06-01T00:00:00.000Z"]);
  });

  it.each([
    ["de\u200Bploy", "deploy"],
    ["dep\u00ADloy", "deploy"],
    ["\u202Edeploy\u202C", "deploy"],
    ["\uFEFFdeploy", "deploy"],
    ["deploy\u2060ment", "deployment"],
  ])("drops format characters inside a word: %j is %j", (raw, word) => {
    expect(parseQuery(raw).words).toEqual([word]);
  });

  it.each([
    ['"天気 良い"', ["天気良い"]],
    ['"打ち合わせ　会議室"', ["打ち合わせ会議室"]],
    ["天気 良い", ["天気", "良い"]],
    ['"天気" "良い"', ["天気", "良い"]],
  ])("keeps the CJK runs of one quoted phrase together and in order: %s", (raw, runs) => {
    expect(parseQuery(raw).runs).toEqual(runs);
  });

  it.each([
    ["C++", [{ text: "C++", words: "C" }], []],
    ["c#", [{ text: "c#", words: "c" }], []],
    ["F# code", [{ text: "F#", words: "F" }], ["code"]],
    ["C++17", [{ text: "C++17", words: "C 17" }], []],
    ["Ｃ＋＋", [{ text: "C++", words: "C" }], []],
    ["C⁺⁺", [{ text: "C++", words: "C" }], []],
    ["C+\u200B+", [{ text: "C++", words: "C" }], []],
  ])("keeps a word with a + or # run attached whole, to be checked on the text: %j", (raw, symbols, words) => {
    const q = parseQuery(raw);
    expect(q.symbols).toEqual(symbols);
    expect(q.words).toEqual(words);
  });

  it.each(["c ++", "+1 deploy", "#general", "node.js", "a.b", "天気+"])("has no such token in %j", (raw) => {
    expect(parseQuery(raw).symbols).toEqual([]);
  });

  it.each([
    ["deploy-failed", [], ["deploy failed"]],
    ["deploy-failed alerts", ["alerts"], ["deploy failed"]],
    ["State-of-the-Art", [], ["State of the Art"]],
    ["ｅ－ｍａｉｌ", [], ["e mail"]],
    ["re-run/e-mail", [], ["re run", "e mail"]],
    ["follow-up check-in", ["follow-up check-in"], []],
    ["2026-01-31 x86-64 -5", ["2026-01-31 x86-64 -5"], []],
    ["follow-", ["follow-"], []],
  ])("looks for a word with a hyphen between letters as the phrase of its parts: %j", (raw, words, phrases) => {
    const q = parseQuery(raw);
    expect(q.words.join(" ").split(" ").filter(Boolean)).toEqual(words.join(" ").split(" ").filter(Boolean));
    expect(q.phrases).toEqual(phrases);
  });

  it("checks a quoted phrase with such a token whole, and finds it by its plain words", () => {
    const q = parseQuery('"write C++ daily"');
    expect(q.phrases).toEqual(["write C daily"]);
    expect(q.symbolPhrases).toEqual(["write C++ daily"]);
  });

  it.each(["\u3164", "\uFFA0", "\u115F", "\u1160", "\u3164\u3164 \u200B", '"\u3164"', "before:2026-01-01 \u3164"])(
    "finds nothing to search for in %j: Hangul fillers are invisible letters",
    (raw) => {
      expect(() => parseQuery(raw)).toThrow(expect.objectContaining({ reason: "search_empty" }));
    },
  );

  it("takes from: or in: alone as a search (that person's or room's messages), but not dates alone", () => {
    expect(parseQuery("from:alice \u3164")).toMatchObject({ from: "alice", words: [], runs: [], chars: [], has: [] });
    expect(parseQuery("in:general after:2026-01-01")).toMatchObject({ room: "general", words: [] });
    expect(parseQuery("", { from: "bob" })).toMatchObject({ from: "bob" });
    for (const raw of ["before:2026-01-01", "after:2026-01-01 before:2026-02-01"]) {
      expect(() => parseQuery(raw)).toThrow(expect.objectContaining({ reason: "search_empty" }));
    }
  });

  it.each([
    ["257 ASCII letters", "a".repeat(257)],
    ["1,001 ASCII letters", "a".repeat(1001)],
    ["300 emoji (600 UTF-16 units)", "😀".repeat(300)],
    ["a request line's worth", "x".repeat(20_000)],
    ["100 compatibility forms that NFKC makes 400 characters", "㍿".repeat(100)],
  ])("refuses a query that is too long the documented way: %s", (_, raw) => {
    expect(() => parseQuery(raw)).toThrow(expect.objectContaining({ reason: "search_too_long", limit: 256 }));
  });

  it.each([
    ["254 emoji, a space and a word: 256 code points", "😀".repeat(254) + " x"],
    ["400 code points of half-width kana with voiced marks, which NFKC composes into 200", "ﾃﾞ".repeat(200)],
  ])("accepts %s", (_, raw) => {
    expect(() => parseQuery(raw)).not.toThrow();
  });

  it.each([
    ["ㅋㅋ", ["ᄏᄏ"], []],
    ["ㅠㅠ 회의", ["ᅲᅲ", "회의"], []],
    ["ㅋ", [], ["ᄏ"]],
    ["ﾡﾡ", ["ᄀᄀ"], []],
  ])("reads Hangul jamo as CJK characters (NFKC): %j", (raw, runs, chars) => {
    const q = parseQuery(raw);
    expect(q.runs).toEqual(runs);
    expect(q.chars).toEqual(chars);
    expect(q.words).toEqual([]);
  });

  it("still breaks words at control characters", () => {
    expect(parseQuery("deploy\u0007build").words).toEqual(["deploy", "build"]);
  });

  it.each(["before:0000-01-01", "after:0000-12-31T23:59:59Z", "after:0001-01-01T00:30:00+01:00"])(
    "refuses %s: an instant before the year 1 in UTC",
    (raw) => {
      expect(() => parseQuery(`deploy ${raw}`)).toThrow(/between the years 0001 and 9999/);
    },
  );

  it("refuses a date parameter before the year 1 too", () => {
    expect(() => parseQuery("deploy", { before: "0000-06-01" })).toThrow(/between the years 0001 and 9999/);
  });

  it.each(["2026-11-30T19:37:58.6145Z", "2026-11-30T19:37:58.123456789+09:00", "0001-01-01", "9999-12-31T23:59:59Z"])("accepts %s", (raw) => {
    expect(parseQuery(`deploy after:${raw}`).after).toBeInstanceOf(Date);
  });
});

describe("buildSnippet", () => {
  it.each([
    ["ＦＵＬＬＷＩＤＴＨ text and ｶﾀｶﾅ", ["fullwidth"], [], ["ＦＵＬＬＷＩＤＴＨ"]],
    ["Ｗａｌｒｕｓ ｆｕｌｌ", ["walrus"], [], ["Ｗａｌｒｕｓ"]],
    ["ﬁle ligature walrus", ["file"], [], ["ﬁle"]],
    ["Ⅻ roman walrus", ["xii"], [], ["Ⅻ"]],
    ["日本語とEnglishのmixed文章", ["english", "mix"], [], ["English", "mixed"]],
    ["Next.jsの設定を変更", ["next.js"], ["設定"], ["Next.js", "設定"]],
    ["kebab-case-name here", ["case"], [], ["case"]],
    ["mail foo@bar.com now", ["foo@bar.com"], [], ["foo@bar.com"]],
    ["zero\u200Bwidth joiner", ["zerowidth"], [], ["zero\u200Bwidth"]],
  ])("marks the folded match in %j", (body, stems, subs, want) => {
    expect(marked(body, stems, subs)).toEqual(want);
  });

  it.each([
    ["ｶﾀｶﾅ and ﾃｽﾄ", ["カタカナ"], ["ｶﾀｶﾅ"]],
    ["今日は良い天気です", ["天気"], ["天気"]],
    ["ＡＢ会議室ＣＤ", ["会議"], ["会議"]],
    // Half-width kana with voiced sound marks: NFKC makes "ﾃﾞ" one character, "デ" (the search finds it).
    ["ﾃﾞﾌﾟﾛｲ完了、ｶﾞｲﾄﾞを参照", ["デプロイ", "ガイド"], ["ﾃﾞﾌﾟﾛｲ", "ｶﾞｲﾄﾞ"]],
    ["ﾊﾟｽﾜｰﾄﾞ", ["パ"], ["ﾊﾟ"]],
  ])("marks CJK substrings in %j, half-width forms too", (body, subs, want) => {
    expect(marked(body, [], subs)).toEqual(want);
  });

  it.each([
    ["**新機能**のリリースは来週です", "新機能のリリース", [[2, 12]]],
    ["`設定`ファイル", "設定ファイル", [[1, 8]]],
    ["~~旧~~新 *a*の", "旧新", [[2, 6]]],
    ["新機能 **の** リリース", "機能の", []],
    ["𠮷**野家**の牛丼 and ~~𠮷~~野", "𠮷野家の牛丼", [[0, 10]]],
    ["𠮷**野家**の牛丼 and ~~𠮷~~野", "𠮷野", [[0, 4], [17, 21]]],
  ])("marks a CJK run across the emphasis marks within it: %j", (body, run, highlights) => {
    expect(buildSnippet(body, [], [run]).highlights).toEqual(highlights);
  });

  // Searches cut a snippet for each of up to 50 results on the event loop: a 4,000-character word of
  // 2,000 parts took 250 ms, each part's offset counted again from the word's start (quadratic; ten
  // times the text, a hundred times the time).
  it("marks the parts of a word of thousands of parts in one pass", () => {
    const { text, highlights } = buildSnippet("b-a-".repeat(10_000), ["a"], []);
    expect(text.startsWith("b-a-b-a-")).toBe(true);
    expect(highlights.slice(0, 2)).toEqual([[2, 3], [6, 7]]);
  });

  it("cuts a long message around a match in half-width kana with voiced sound marks", () => {
    const { text, highlights } = buildSnippet("あ".repeat(300) + "ﾊﾟｽﾜｰﾄﾞを変更しました", [], ["パスワード"]);
    expect([...text].length).toBeLessThanOrEqual(SNIPPET_CHARS);
    expect(highlights.map(([a, b]) => [...text].slice(a, b).join(""))).toEqual(["ﾊﾟｽﾜｰﾄﾞ"]);
  });

  it.each([
    ["car cars cardboard careful Car", ["car"], ["car", "cars", "Car"]],
    ["deploy deploybot deployed redeploy", ["deploy"], ["deploy", "deployed"]],
    ["get files.example.com/pub now", ["file"], ["files"]],
    ["see usr/local/bin/thing", ["usr", "local"], ["usr", "local"]],
    ["we added adding add ad", ["add"], ["added", "adding", "add"]],
    ["error 404 and 4040", ["404"], ["404"]],
  ])("marks the words that stem to the query's stems in %j, not longer words that merely start with one", (body, stems, want) => {
    expect(marked(body, stems)).toEqual(want);
  });

  it.each([
    // From an outside review: `C++` marked the end of "ABC++", which the search does not find for it.
    ["Ｃ＋＋ and C++ and c++17 and ABC++ and c +++", ["C++"], ["Ｃ＋＋", "C++", "c++"]],
    ["abc++ x++ c+++ c++ ++c c++", ["c++"], ["c++", "c++"]],
    ["C# and F# and AC# and c## and c#", ["c#"], ["C#", "c#"]],
    ["学習C++と日本語C#", ["C++", "C#"], ["C++", "C#"]],
    // An underscore separates words for the database's parser as for SYMBOL_TOKEN.
    ["C+\u200B+ split by a zero-width space, x_c++ apart", ["C++"], ["C+\u200B+", "c++"]],
  ])("marks a C++-like token in %j only where the text has that whole token", (body, symbols, want) => {
    expect(marked(body, [], [], symbols)).toEqual(want);
  });

  // From an outside trial: cuts fell inside a family emoji (a bare U+200D after "…"), between the two
  // regional indicators of a flag (every 🇯🇵 after it read as 🇵🇯), and between a letter and its marks.
  const FAMILY = "👨\u200d👩\u200d👧\u200d👦";
  const graphemes = (text: string) => [...new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(text)].map((g) => g.segment);
  it.each([
    ["a family emoji before the match", FAMILY.repeat(40) + " zebrafish here", "zebrafish", FAMILY],
    ["family emoji after the match", "kiwifruit " + FAMILY.repeat(40), "kiwifruit", FAMILY],
    ["flags on both sides", "🇯🇵".repeat(101) + " xy lychee " + "🇰🇷".repeat(101), "lychee", "🇯🇵"],
    ["flags, the match one character later", "🇯🇵".repeat(101) + " x lychee " + "🇰🇷".repeat(101), "lychee", "🇰🇷"],
    ["letters with two combining marks", "e\u0302\u0303 ".repeat(70) + "quokka sighting " + "o\u0308 ".repeat(60), "quokka", "e\u0302\u0303"],
    ["emoji with a skin tone", "👍🏽".repeat(80) + " dingo " + "👍🏽".repeat(80), "dingo", "👍🏽"],
  ])("cuts a long snippet between user-perceived characters: %s", (_, body, word, unit) => {
    const { text, highlights } = buildSnippet(body, [word], []);
    expect([...text].length).toBeLessThanOrEqual(SNIPPET_CHARS);
    expect([...text].slice(highlights[0][0], highlights[0][1]).join("")).toBe(word);
    const inner = text.replace(/^…/, "").replace(/…$/, "");
    // Every cluster of the snippet is one of the body's, whole: no lone joiner, mark or half a flag.
    const whole = new Set(graphemes(body));
    for (const g of graphemes(inner)) expect(whole.has(g)).toBe(true);
    // (A flag cut in half leaves the rest paired wrongly: 🇵🇯, not one of the body's clusters.)
    expect(graphemes(inner).some((g) => g === unit)).toBe(true);
  });

  // From an outside trial: `can't` also marked the lone "t" of "don’t".
  it.each([
    ["I don’t know — CAN’T say", [["can", "t"]], ["CAN’T"]],
    ["can t be, can-t, cant, I can't", [["can", "t"]], ["can t", "can-t", "can't"]],
    ["to be or not to be, that is", [["to", "be", "or", "not", "to", "be"]], ["to be or not to be"]],
    ["it is done; it's done", [["it"], ["is"]], ["it", "is", "it"]],
  ])("marks a stop-word query's words in %j only where they stand in order", (body, sequences, want) => {
    const { text, highlights } = buildSnippet(body, [], [], [], sequences);
    expect(highlights.map(([a, b]) => [...text].slice(a, b).join(""))).toEqual(want);
  });

  // From an outside trial: a 1,000-character message's snippet began "…t amet Lorem ipsum".
  it.each([
    ["Latin words on both sides", "Lorem ipsum dolor sit amet ".repeat(20) + "the pelican landed " + "consectetur adipiscing elit ".repeat(20), "pelican"],
    ["punctuation at the cut", "alpha, beta; gamma. ".repeat(25) + "the pelican landed " + "delta (epsilon) zeta! ".repeat(25), "pelican"],
    ["the match near the start", "intro pelican " + "words and more words ".repeat(30), "pelican"],
    ["the match near the end", "words and more words ".repeat(30) + "pelican", "pelican"],
  ])("cuts a long snippet where words start and end: %s", (_, body, word) => {
    const { text, highlights } = buildSnippet(body, [word], []);
    expect([...text].length).toBeLessThanOrEqual(SNIPPET_CHARS);
    expect([...text].slice(highlights[0][0], highlights[0][1]).join("")).toBe(word);
    const inner = text.replace(/^…/, "").replace(/…$/, "");
    // The snippet's first and last words are whole words of the body.
    const first = inner.match(/^[\p{L}\p{N}]+/u)?.[0];
    const last = inner.match(/[\p{L}\p{N}]+$/u)?.[0];
    expect(first).toBeDefined();
    expect(last).toBeDefined();
    const words = new Set(body.split(/[^\p{L}\p{N}]+/u));
    expect([first, words.has(first!)]).toEqual([first, true]);
    expect([last, words.has(last!)]).toEqual([last, true]);
  });

  it("cuts a word too long to reach its edge where it was: a 300-letter word keeps its match", () => {
    const body = "x".repeat(300) + " pelican " + "y".repeat(300);
    const { text, highlights } = buildSnippet(body, ["pelican"], []);
    expect([...text].length).toBeLessThanOrEqual(SNIPPET_CHARS);
    expect([...text].slice(highlights[0][0], highlights[0][1]).join("")).toBe("pelican");
  });

  it("ends the start of a long message (no match marked) between user-perceived characters", () => {
    const body = "x" + FAMILY.repeat(60);
    const { text } = leadSnippet(body);
    expect(text.endsWith(FAMILY + "…")).toBe(true);
    expect([...text].length).toBeLessThanOrEqual(SNIPPET_CHARS);
  });

  it.each([161, 162, 400])("keeps a cut snippet of a %i-character message within the limit, ellipses included", (n) => {
    const body = "x".repeat(Math.floor(n / 2)) + " deploy " + "y".repeat(n - Math.floor(n / 2) - 8);
    const { text, highlights } = buildSnippet(body, ["deploy"], []);
    expect([...text].length).toBeLessThanOrEqual(SNIPPET_CHARS);
    expect(highlights).toHaveLength(1);
    expect([...text].slice(highlights[0][0], highlights[0][1]).join("")).toBe("deploy");
  });
});

describe("canonicalStemWords", () => {
  it.each([
    [["add"], ["add"], ["add"]],
    [["Added adding"], ["add add"], ["add"]],
    [["ad campaign", "two ads"], ["ad campaign", "two ad"], ["ad"]],
    [["erred"], ["err"], ["err"]],
    [["the job erred", "added column"], ["the job err", "add column"], ["err", "add"]],
    [["deploy", "meeting notes", "天気"], ["deploy", "meeting notes", "天気"], []],
    [["upped inned"], ["upped inned"], []],
    [["off of at"], ["off of at"], []],
    [["mp3 adding3 a1b2"], ["mp3 adding3 a1b2"], []],
  ])("writes the words of %j whose stems the stemmers disagree on as their canonical stem", (texts, out, stems) => {
    expect(canonicalStemWords(texts)).toEqual({ texts: out, stems });
  });
});
