import { stem } from "porter2";
import type { Database } from "../db";
import { CJK, CJK_RUN, cutLongRuns, MARKS_BETWEEN_CJK, splitNumberEndingWord } from "./query";
import { ENGLISH_STOP_WORDS } from "./stop-words";

/**
 * A message's search document built in JavaScript, on the Node side of the write: exactly the tsvector
 * that `search_document(body)` (migrations 7-28, SQL) computes inside the database, for the text this
 * module can read with certainty, so the database thread does not spend its time tokenizing. Everything
 * else is left to SQL (`null`), which stays the one definition (the query side, edits and the backfill
 * all use it).
 *
 * What `search_document()` does, and what is reproduced here:
 *  - the body is NFKC-normalised when it holds a non-ASCII character; the link marker `'~has link'` is
 *    added when that text matches `(https?://|www\.)\S` (case-insensitive);
 *  - `search_fold()`: a run of `* _ ~` and backticks between two CJK characters is dropped (migration 35);
 *    `/ @ < > \ = ? & # | ~ + :` become spaces, and a dot between an ASCII letter or
 *    digit and an ASCII letter; a space goes between ASCII letters and a number with a dot right after
 *    them ("v2.3.1", migration 38; such text is left to SQL here, see UNSURE), and between the letters
 *    and the number that end a word unless the letters are a stop word ("Python3", migration 51:
 *    splitNumberEndingWord); last, a space after every 128 characters of a run of ASCII letters, digits,
 *    `_ . -` (migration 62: cutLongRuns);
 *  - English words: the folded text with every run of CJK characters (`search_cjk_class()`) as one space,
 *    through `to_tsvector('english')`: PostgreSQL's default parser, then the Snowball English stemmer and
 *    stop words (`english_stem`) for words of ASCII letters, and the `simple` dictionary (lower case) for
 *    numbers and words that mix letters and digits; every token takes the next position, stop words too;
 *  - the pairs (`search_pairs()`, migration 28): each English lexeme with the one before it, when that one
 *    is at most 4 positions back: `'a ~ b'` at distance 1, `'a ~d b'` at distance d;
 *  - CJK bigrams: in the folded text with every run of non-CJK characters as one space (trimmed), each
 *    two adjacent CJK characters at position i (their index, from 1), moved up by the English part's
 *    largest position (`tsvector || tsvector`).
 *
 * What is left to SQL (`null`): a body longer than `MAX_CHARS`; any character other than printable
 * ASCII, tab and line breaks, CJK characters, the ideographic space, 、。「」『』 and the full-width ASCII
 * forms; a hyphen next to a letter or digit (hyphenated words, signed numbers); a dot before a letter,
 * digit, dot or underscore, or after a digit (numbers, versions, file names); a digit, e and a digit
 * ("2e4", a number to the parser); control characters; a word longer than 64 characters; a lexeme with
 * more than 256 positions (the tsvector's limit, `MAXNUMPOS`).
 *
 * Whether the database's parser, stemmer and stop words behave as assumed is checked when the server
 * starts (`checkSearchDocuments`) on probe texts; the build is used only when all of them agree.
 */

/** Longest body built here, in UTF-16 code units: below PostgreSQL's 2,047-byte lexeme and 16,383 position limits with room to spare. */
export const MAX_CHARS = 2000;

const EMPHASIS_MARK = /[*_~`]/;
const NON_CJK_RUN = new RegExp(`[^${CJK}]+`, "gu");
/** Characters this module reads, before NFKC. */
const READABLE = new RegExp(`^[\\t\\n\\r\\x20-\\x7e${CJK}\\u3000-\\u3002\\u300c-\\u300f\\uff01-\\uff5e]*$`, "u");
/** Japanese punctuation kept by NFKC: word breaks to PostgreSQL's parser, like ASCII punctuation (checked at startup). */
const JA_PUNCTUATION = /[\u3001\u3002\u300c-\u300f]/g;
/** After folding: what the parser reads as something other than words and numbers between blanks. */
const UNSURE = /[A-Za-z0-9]-|-[A-Za-z0-9]|\.[A-Za-z0-9._]|[0-9]\.|[0-9][eE][0-9]/;
const LINK = /(https?:\/\/|www\.)\S/i;
const TOKEN = /[A-Za-z0-9]+/g;
const LETTERS = /^[A-Za-z]+$/;
const MAX_POSITIONS = 256;
/** Longest word built here (longer ones are rare and go to SQL, whatever the stemmer does with them). */
const MAX_TOKEN_CHARS = 64;

export { ENGLISH_STOP_WORDS };

/**
 * How the database's Snowball English stemmer differs from Porter2 as the `porter2` package has it.
 * The newer one (PGlite 0.5's) keeps the double consonant of a three-letter stem made of a, e or o and
 * that consonant: "added" → "add", "erred" → "err", "offing" → "off" (Porter2, PostgreSQL 15: "ad",
 * "er", "of"), while "upped", "inned" still give "up", "in". Found by comparing 275,537 words (an
 * English word list and every vowel, doubled consonant and -ed/-ing ending) with
 * `ts_lexize('english_stem', …)`: no difference left on either database.
 */
export type StemmerVariant = "porter2" | "keep-short-double";

/** The English stem of a lower-case ASCII word, as `english_stem` gives it (not for stop words). */
export function englishStem(word: string, variant: StemmerVariant): string {
  const s = stem(word);
  if (variant === "keep-short-double" && s.length === 2 && word.length > 3 && /^[aeo][bdfgmnprt]$/.test(s) && word.startsWith(s + s[1])) {
    return s + s[1];
  }
  return s;
}

function lexemeLiteral(lexeme: string, positions: number[] | null): string {
  const quoted = `'${lexeme.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
  return positions ? `${quoted}:${positions.join(",")}` : quoted;
}

/**
 * The search document of `body` as tsvector input text (`'deploy':2 'friday':4 …`), equal as a tsvector
 * to `search_document(body)` on a database whose stemmer is `variant`; or `null` when the body is
 * outside what this module reads (see the module comment), for the database to tokenize.
 */
export function buildSearchDocument(body: string, variant: StemmerVariant): string | null {
  if (body.length > MAX_CHARS || !READABLE.test(body)) return null;
  const ascii = !/[^\x01-\x7f]/.test(body);
  const text = ascii ? body : body.normalize("NFKC");
  // The marks' rule (a lookbehind over the CJK class) only where a mark is: most messages have none.
  const unmarked = ascii || !EMPHASIS_MARK.test(text) ? text : text.replace(MARKS_BETWEEN_CJK, "");
  const folded = cutLongRuns(splitNumberEndingWord(unmarked.replace(/[/@<>\\=?&#|~+:]/g, " ").replace(/(?<=[A-Za-z0-9])\.(?=[A-Za-z])/g, " ")));
  const latin = ascii ? folded : folded.replace(CJK_RUN, " ").replace(JA_PUNCTUATION, " ");
  if (UNSURE.test(latin) || /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(latin) || /[^\x00-\x7f]/.test(latin)) return null;

  const positions = new Map<string, number[]>();
  const add = (lexeme: string, pos: number) => {
    const list = positions.get(lexeme);
    if (list) list.push(pos);
    else positions.set(lexeme, [pos]);
  };
  // English words, and the pairs of lexemes at most 4 positions apart (search_pairs()).
  const pairs = new Set<string>();
  let pos = 0;
  let last: string | null = null;
  let lastPos = 0;
  for (const [token] of latin.matchAll(TOKEN)) {
    if (token.length > MAX_TOKEN_CHARS) return null;
    pos += 1;
    const lower = token.toLowerCase();
    let lexeme: string;
    if (LETTERS.test(token)) {
      if (ENGLISH_STOP_WORDS.has(lower)) continue;
      lexeme = englishStem(lower, variant);
    } else {
      lexeme = lower;
    }
    add(lexeme, pos);
    if (last !== null && pos - lastPos <= 4) pairs.add(pos - lastPos === 1 ? `${last} ~ ${lexeme}` : `${last} ~${pos - lastPos} ${lexeme}`);
    last = lexeme;
    lastPos = pos;
  }
  // CJK bigrams, moved up by the English part's largest position (that of its last lexeme).
  if (!ascii) {
    const chars = Array.from(folded.replace(NON_CJK_RUN, " ").replace(/^ +| +$/g, ""));
    for (let i = 0; i + 1 < chars.length; i++) {
      if (chars[i] !== " " && chars[i + 1] !== " ") add(chars[i] + chars[i + 1], i + 1 + lastPos);
    }
  }
  const parts: string[] = [];
  for (const [lexeme, list] of positions) {
    if (list.length > MAX_POSITIONS) return null;
    parts.push(lexemeLiteral(lexeme, list));
  }
  // A pair holds spaces, so it is never also a word or a bigram.
  for (const pair of pairs) parts.push(lexemeLiteral(pair, null));
  if (LINK.test(text)) parts.push(lexemeLiteral("~has link", null));
  return parts.join(" ");
}

/**
 * Texts whose documents the server compares, at startup, between `buildSearchDocument` and the
 * database's `search_document()`: stems (and the stemmer variant's words), stop words, numbers, pairs,
 * CJK bigrams next to English words and Japanese punctuation, full-width forms, links.
 */
export const PROBE_TEXTS = [
  "Deploying the new build on Friday, after the review of pull request 42",
  "We added a fix; it erred once. The eggs are off, adding more tests: running, ran, generously",
  "let me check the logs and see what they say about it",
  "abc123 0x1F 007 1,000 2x5 $5 50% *bold* `code` _under_score_ (parens) [x] {y} don't it's",
  "See https://docs.example.com/path?q=1#frag and WWW.Example.ORG, mail bob@example.com <div> a|b ~x c+d",
  "今日は良い天気です。打ち合わせは会議室で、「資料」を確認してください『了解』",
  "Next.jsの設定を確認 React 18 と TypeScript の型",
  "ＡＢＣ　ｄｅｆ！ ｶﾀｶﾅ テスト123 ＃channel",
  "a a a b b b c the the of x y z",
  "ㅋㅋㅋ 진짜 웃기다 ㅠㅠ 회의실 OK",
  "Python3 and iOS17/18 on S3, a1 At5 ab12cd 2fa x86_64 sha256_sum deadbeef42 ES2015で node20、ｉＯＳ１７ ok",
  "**新機能**のリリースと`設定`ファイル、~~旧~~新 _注意_ *a*の *b* 表_",
  // Runs of more than 128 characters, cut (migration 62): inside a word, and beside CJK text.
  `${"build_step_".repeat(14)}done 設定_${"ab_".repeat(50)}end`,
];

/**
 * Decides whether message documents can be built in JavaScript on this database: checks that the
 * search insert trigger is enabled (a bench can disable it: nothing to build for then), finds the stemmer's
 * variant (`ts_lexize('english_stem', 'added')`), checks the stop words, and compares
 * `buildSearchDocument` with `search_document()` over `PROBE_TEXTS`. Returns the builder, or `null` when
 * any of them disagrees (the database then tokenizes everything, as before) together with the first
 * disagreement for the log. Throws only what the queries throw.
 */
export async function checkSearchDocuments(
  db: Database,
): Promise<{ build: ((body: string) => string | null) | null; variant: StemmerVariant | null; mismatch?: string }> {
  const [trigger] = await db.query<{ enabled: boolean }>(
    `select t.tgenabled <> 'D' as enabled from pg_trigger t join pg_class c on c.oid = t.tgrelid
      where c.relname = 'messages' and c.relnamespace = current_schema()::regnamespace and t.tgname = 'message_search_insert'`,
  );
  if (!trigger?.enabled) return { build: null, variant: null, mismatch: "the search insert trigger is disabled" };
  const [probe] = await db.query<{ added: string[] }>("select ts_lexize('english_stem', 'added') as added");
  const stemmed = probe?.added?.[0];
  const variant: StemmerVariant | null = stemmed === "ad" ? "porter2" : stemmed === "add" ? "keep-short-double" : null;
  if (!variant) return { build: null, variant: null, mismatch: `english_stem gives ${JSON.stringify(stemmed)} for "added"` };
  const words = [...ENGLISH_STOP_WORDS];
  const stops = await db.query<{ w: string; stop: boolean }>(
    "select w, coalesce(cardinality(ts_lexize('english_stem', w)) = 0, false) as stop from unnest($1::text[]) w",
    [[...words, "added", "review", "deploy"]],
  );
  const notStop = stops.find((r) => r.stop !== ENGLISH_STOP_WORDS.has(r.w));
  if (notStop) return { build: null, variant, mismatch: `stop word list differs at ${JSON.stringify(notStop.w)}` };
  const docs = PROBE_TEXTS.map((t) => buildSearchDocument(t, variant));
  const rows = await db.query<{ i: number; sql: string; js: string | null }>(
    `select p.i::int as i, (select d.doc::text from search_document(p.body) d) as sql, p.js::tsvector::text as js
       from unnest($1::text[], $2::text[]) with ordinality as p(body, js, i)`,
    [PROBE_TEXTS, docs],
  );
  const wrong = rows.find((r) => r.js === null || r.js !== r.sql);
  if (wrong) return { build: null, variant, mismatch: `probe ${wrong.i}: database ${wrong.sql}, JavaScript ${wrong.js ?? "(not built)"}` };
  return { build: (body) => buildSearchDocument(body, variant), variant };
}
