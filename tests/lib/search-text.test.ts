/**
 * The search's handling of text outside plain ASCII words, in the query (parseQuery) and in the snippet
 * (buildSnippet): format characters, compatibility forms, CJK next to Latin, words joined by
 * punctuation, and the date range the database can hold. Inputs from an outside review, with variants.
 */
import { parseQuery } from "../../lib/search/query";
import { buildSnippet, SNIPPET_CHARS } from "../../lib/search/snippet";

/** The marked parts of a snippet, as text. */
const marked = (body: string, stems: string[], subs: string[] = []) => {
  const { text, highlights } = buildSnippet(body, stems, subs);
  const chars = [...text];
  return highlights.map(([a, b]) => chars.slice(a, b).join(""));
};

describe("parseQuery", () => {
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

  it("checks a quoted phrase with such a token whole, and finds it by its plain words", () => {
    const q = parseQuery('"write C++ daily"');
    expect(q.phrases).toEqual(["write C daily"]);
    expect(q.symbolPhrases).toEqual(["write C++ daily"]);
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
  ])("marks CJK substrings in %j, half-width forms too", (body, subs, want) => {
    expect(marked(body, [], subs)).toEqual(want);
  });

  it.each([161, 162, 400])("keeps a cut snippet of a %i-character message within the limit, ellipses included", (n) => {
    const body = "x".repeat(Math.floor(n / 2)) + " deploy " + "y".repeat(n - Math.floor(n / 2) - 8);
    const { text, highlights } = buildSnippet(body, ["deploy"], []);
    expect([...text].length).toBeLessThanOrEqual(SNIPPET_CHARS);
    expect(highlights).toHaveLength(1);
    expect([...text].slice(highlights[0][0], highlights[0][1]).join("")).toBe("deploy");
  });
});
