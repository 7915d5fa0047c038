import { AppError } from "../errors";
import { nameKey } from "../text/skeleton";
import { countChars, INVISIBLE as SHOWS_NOTHING } from "../text/unicode";
import { hasValue, type HasValue } from "./has";
import { ENGLISH_STOP_WORDS, onlyStopWords } from "./stop-words";

/**
 * A search query as typed in the search box, parsed into what the database needs.
 *
 * Syntax: words, `"exact phrases"` (an unterminated quote runs to the end; “curly” and 「corner」 quotes
 * are quotes too), and the operators
 * `from:name`, `in:room` (`in:"two words"`), `before:date`, `after:date` (ISO 8601 date or date-time,
 * `before` exclusive, `after` inclusive) and `has:link` / `has:file` / `has:image` (a file whose sniffed type is an image). Anything else with a colon is a
 * word. `from:` and `in:` name one user and one room (another name again: `search_operator_repeated`);
 * several `before:` or `after:` all hold (the narrowest range). Query syntax of the database (`&`, `|`,
 * `!`, `:*`, `\`) has no meaning: the text is only ever passed as plain text.
 */
export type ParsedQuery = {
  /** Latin-script words, for the English stemmer (stop words are dropped there). */
  words: string[];
  /**
   * Latin-script parts of quoted phrases, and hyphenated words typed bare, as the phrase of their parts
   * (`follow-up` is "follow up", see HYPHEN_BETWEEN_LETTERS). A word in `numberWords` is kept whole here
   * ("buy mp3 player"); splitNumberEndingWord gives the words the document holds for it.
   */
  phrases: string[];
  /**
   * Words with a run of `+` or `#` attached after a letter or digit (`C++`, `c#`, `F#`, `C++17`), as
   * typed (NFKC, format characters dropped), each with its plain words (`C`, folded as `words` are). The
   * plain words are what the index is asked for; the whole token is then checked on each candidate's
   * text (`search_symbol_tsquery()`, migration 26), so `C++` does not find every "c".
   */
  symbols: { text: string; words: string }[];
  /** Quoted phrases holding such a token, as typed: their Latin part is among `phrases`, and the whole phrase is checked the same way. */
  symbolPhrases: string[];
  /**
   * Words of ASCII letters ending in a number, as typed (lowercase: `mp3`, `ipv6`, `x86`). They stay whole
   * in `phrases` (a bare one is a phrase of its own), and wherever the query has one, at any place in a
   * phrase, it is looked for in each of the forms a document can hold it in: the phrase of the two ("mp 3",
   * as migration 51 writes such a word standing alone), the whole word (a document not yet rebuilt), or
   * the whole word as the first part of a hyphenated word ("mp3-player", "ipv6-only": the parser indexes
   * the hyphenated word, then each part at the next positions, and search_fold() leaves them).
   */
  numberWords: string[];
  /**
   * Quoted phrases of CJK text written in several runs with spaces or punctuation between them, at least
   * one of two or more characters (`"サーバー、デプロイ"`, `"회의실에서 만나요"`, `"잘 부탁드립니다"`): each
   * phrase's runs, in order. The phrase is among `runs` as one run ("サーバーデプロイ"); it also finds these
   * runs one after the other with one break between each, as the text it was copied from has them: the
   * index is asked for the runs of two or more characters at their distances, and a phrase with a
   * one-character run (which has no bigram in the index) is among `runPhrases` too.
   */
  splitRuns: string[][];
  /**
   * Quoted CJK phrases of several runs of which one or more is a single character (`"잘 부탁드립니다"`,
   * `"잘 해"`): each phrase's runs, in order. Checked on each candidate's text, folded as its document is
   * (search_fold(), its other characters as one space): it holds the runs joined, or one after the other
   * with one break between each. A phrase of single characters only has nothing for the index: it is
   * looked for as single characters are (see `chars`), in the newest messages.
   */
  runPhrases: string[][];
  /**
   * A query of English stop words only (`can't`, `don't`, `"to be or not to be"`), which the index holds
   * none of (the stemmer drops them): each bare word's parts (`can't` is ["can", "t"]) and each quoted
   * phrase's words, in order. Looked for in the text of the newest messages, as single CJK characters are,
   * as those words in that order with nothing but non-letters between. Empty when the query has any
   * other term; `words` and `phrases` are then empty.
   */
  stopWords: string[][];
  /** Runs of two or more CJK characters: found as exact substrings. */
  runs: string[];
  /** Single CJK characters: found by a bounded scan of recent messages. */
  chars: string[];
  has: HasValue[];
  /**
   * What the query leaves out: each `-term` (a word, `-"a phrase"`, `-天気`, `-C++`), parsed as such a term
   * is, into the same fields. A message holding any one of them is not found (its words in their
   * English forms, as a search finds them: `-deploy` leaves out "deployed" too). English stop words
   * alone leave nothing out. See EXCLUDE.
   */
  excluded: Terms;
  from?: string;
  room?: string;
  before?: Date;
  after?: Date;
};

/** The parts of a query that are looked for in the text (ParsedQuery's first fields), as `excluded` holds them too. */
export type Terms = Pick<ParsedQuery, "words" | "phrases" | "symbols" | "symbolPhrases" | "numberWords" | "splitRuns" | "runPhrases" | "runs" | "chars">;

const noTerms = (): Terms => ({ words: [], phrases: [], symbols: [], symbolPhrases: [], numberWords: [], splitRuns: [], runPhrases: [], runs: [], chars: [] });

/** Whether `t` holds anything to look for in a text. */
export const hasTerms = (t: Terms): boolean => Object.values(t).some((v) => v.length > 0);

/**
 * A `-` before a word or a quoted phrase at the start of a term: what follows is left out (as in Slack's,
 * Mattermost's and most web search boxes). Only before a letter (`-deploy`, `-天気`, `-C++`) or a quote
 * (`-"sounds good"`): `-5`, `--verbose`, `-` alone and `e-mail` stay text. The full-width `－` is `-`
 * after NFKC; the minus sign U+2212 and the small and full-width hyphen-minus forms are `-` here too.
 */
export const EXCLUDE = /^-(?=[\p{L}"])/u;
const MINUS_SIGNS = /(?<=^|\s)[\u2212\ufe63](?=[\p{L}"])/gu;

/** Longest query accepted, in code points (after NFKC). */
export const MAX_QUERY_CHARS = 256;
/** Most search terms (words, phrases, CJK runs and characters together) in one query. */
export const MAX_TERMS = 12;

/**
 * One CJK character (Han, kana, Hangul syllables and jamo; the same classes as `search_cjk_class()` in
 * SQL, migration 31). Hangul jamo are written alone in Korean chat (ㅋㅋ, ㅠㅠ); NFKC turns the
 * compatibility jamo (U+3131–318E) into the conjoining ones (U+1100–11FF), so both blocks are here.
 * The Hangul fillers (U+115F, U+1160, U+3164) are not: they are invisible (default-ignorable).
 */
export const CJK =
  "\\u1100-\\u115e\\u1161-\\u11ff\\u3005\\u3007\\u3040-\\u30ff\\u3131-\\u3163\\u3165-\\u318e\\u3400-\\u4dbf\\u4e00-\\u9fff\\ua960-\\ua97c" +
  "\\uac00-\\ud7c6\\ud7cb-\\ud7fb\\uf900-\\ufaff\\uff66-\\uff9f\\u{20000}-\\u{2fa1f}";
export const CJK_RUN = new RegExp(`[${CJK}]+`, "gu");
/**
 * A run of Markdown emphasis marks (`*`, `_`, `~`, backtick) between two CJK characters, in text after
 * NFKC: dropped before folding, so "**新機能**のリリース" is one run, "新機能のリリース", as a reader sees it
 * (`search_fold()`, migration 35). Elsewhere the marks are word breaks.
 */
export const MARKS_BETWEEN_CJK = new RegExp(`(?<=[${CJK}])[*_~\`]+(?=[${CJK}])`, "gu");
/**
 * A token with a `+`/`#` run attached after a letter or digit that is not CJK (the document reads its
 * English words with CJK runs as spaces): `C++`, `C#`, `F#`, `i++`; not `+1`, `c ++` or `#general`.
 */
export const SYMBOL_TOKEN = new RegExp(`(?:(?![${CJK}])[\\p{L}\\p{N}\\p{M}])+[+#]+`, "gu");
const CJK_ANY = new RegExp(`[${CJK}]`, "u");
/**
 * Format characters (zero-width space and joiners, bidi controls, soft hyphen, BOM): dropped, as Unicode
 * word segmentation ignores them inside a word (UAX #29, WB4), so "de\u200Bploy" is "deploy". So are the
 * invisible marks that are default-ignorable too (migration 39): variation selectors (U+FE00-FE0F, and
 * U+E0100-E01EF after a kanji: "葛\u{E0100}飾" is "葛飾"), the combining grapheme joiner, the Mongolian
 * free variation selectors and the Khmer inherent vowels. The document side drops the same set
 * (`search_fold()` in SQL).
 */
export const FORMAT_CHARS = /[\p{Cf}\u034f\u17b4\u17b5\u180b-\u180d\u180f\ufe00-\ufe0f\u{e0100}-\u{e01ef}]/gu;
/** Control, private-use, unassigned and surrogate code points: word breaks. */
const INVISIBLE = /[\p{Cc}\p{Co}\p{Cn}\p{Cs}]/gu;
const TOKEN = /(-?[a-z]+):(?:"([^"]*)"?|(\S*))|(-?)"([^"]*)"?|(\S+)/giu;
/** The operators: `-` before one of them is refused (search_operator_excluded), not read as text. */
const OPERATORS = new Set(["from", "in", "before", "after", "has"]);
/**
 * Quotation marks other than `"` that people type as phrase quotes: the curly ones phones and macOS put in
 * place of `"` as one types (“ ” „ ‟), and Japanese corner brackets (「 」 『 』). Each is a `"` of the
 * query syntax. (NFKC already turns the full-width ＂ into `"`.)
 */
const OTHER_QUOTES = /[\u201c\u201d\u201e\u201f\u300c\u300d\u300e\u300f]/g;

/** Whether `raw` (starting `YYYY-MM-DD`) names a day the calendar has: `Date` rolls 2026-02-30 over to March 2. */
function calendarDay(raw: string): boolean {
  const [y, m, d] = raw.slice(0, 10).split("-").map(Number);
  return m >= 1 && m <= 12 && d >= 1 && d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/**
 * An ISO 8601 date (`2026-01-31`, UTC midnight) or date-time (`2026-01-31T09:30`, seconds and any number
 * of fraction digits optional, `Z` or an offset; JavaScript keeps milliseconds). `bad_request` for
 * anything else, a day the calendar lacks, or an instant outside the years 0001–9999 in UTC (PostgreSQL
 * has no year 0, and the search compares in UTC).
 */
function parseDate(raw: string, op: string): Date {
  const ok = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/.test(raw) && calendarDay(raw);
  const date = new Date(raw.length === 10 ? `${raw}T00:00:00Z` : raw);
  if (!ok || Number.isNaN(date.getTime())) throw new AppError("bad_request", `${op}: wants a date like 2026-01-31`, { reason: "search_date" });
  const year = date.getUTCFullYear();
  if (year < 1 || year > 9999) throw new AppError("bad_request", `${op}: wants a date between the years 0001 and 9999`, { reason: "search_date" });
  return date;
}

/**
 * The query side of `search_fold()` (migration 25), for words and phrases: the characters that join a
 * host, address, path, URL or tag into one token of PostgreSQL's parser become spaces, and so does a dot
 * between an ASCII letter or digit and an ASCII letter, so `docs.example.com` and `Next.js` are looked
 * for as the words the document holds; and ASCII letters are parted from a number with a dot right after
 * them (migration 38, splitNumberAfterLetters), so `2.3.1` finds "v2.3.1", where the words are "v" and
 * "2.3.1", and from the number that ends a word (migration 51, splitNumberEndingWord), so `python` finds
 * "Python3". (NFKC and format characters are handled for the whole query.)
 * A `+`/`#` run attached to a word (`C++`) is kept apart, before folding: see `ParsedQuery.symbols`.
 */
export const foldSearchText = (text: string): string => splitNumberEndingWord(splitNumberAfterLetters(foldJoiners(text)));

/**
 * Latin letters with a stroke, ligatures and the sharp s, which have no decomposition, as the letters
 * written for them where they are not typed (German, Danish, Polish, Croatian, Icelandic, Turkish):
 * `strasse` finds "Straße", `oresund` "Øresund", `lodz` "Łódź" (migration 55's `search_fold()` maps the same).
 */
const LETTER_FOLDS: Record<string, string> = { ß: "ss", ẞ: "SS", æ: "ae", Æ: "AE", œ: "oe", Œ: "OE", ø: "o", Ø: "O", ł: "l", Ł: "L", đ: "d", Đ: "D", ħ: "h", Ħ: "H", ı: "i", þ: "th", Þ: "TH" };
const LETTER_FOLD = new RegExp(`[${Object.keys(LETTER_FOLDS).join("")}]`, "gu");

/**
 * Accents dropped (migration 55): the combining diacritical marks (U+0300–U+036F) after compatibility
 * decomposition, composed again (NFKD, the marks out, NFKC), so `café` is `cafe` and `Zürich` `Zurich`,
 * and the letters of LETTER_FOLDS written out (ß is ss), as `search_fold()` reads the documents. Marks of
 * other blocks stay (kana's voiced sound marks). For text already NFKC; ASCII is returned as it is.
 */
export const foldAccents = (text: string): string =>
  /[^\x01-\x7f]/.test(text) ? text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(LETTER_FOLD, (c) => LETTER_FOLDS[c]).normalize("NFKC") : text;

/** foldSearchText without splitNumberAfterLetters: a bare word's number stays with its letters until splitHyphenated makes it a phrase. */
const foldJoiners = (text: string): string => text.replace(/[/@<>\\=?&#|~+:]/g, " ").replace(/(?<=[A-Za-z0-9])\.(?=[A-Za-z])/g, " ");

/** ASCII letters and a number with a dot right after them ("v2.3.1", "py3.11"): one token to PostgreSQL's parser. */
const NUMBER_AFTER_LETTERS = /([A-Za-z])([0-9]+\.[0-9])/g;
/** A space between the letters and the number, as `search_fold()` puts it (migration 38): "v 2.3.1". */
const splitNumberAfterLetters = (text: string): string => text.replace(NUMBER_AFTER_LETTERS, "$1 $2");

/**
 * A word of ASCII letters that ends in a number ("Python3", "iOS17", "ES2015", "node20"): one token to
 * PostgreSQL's parser ("numword"), so neither `python` nor `ios` found it. The letters must start the
 * word and the number end it (not before a letter, a digit, or a dot and a digit: "a1b2", "2fa", hashes
 * and versions stay as they were), and no hyphen may join it to more ("x86-64", "iOS17-beta": hyphenated
 * words, which the parser indexes whole and by their parts).
 */
const NUMBER_ENDING_WORD = /(?<![A-Za-z0-9-])([A-Za-z]+)([0-9]+)(?![A-Za-z0-9-]|\.[0-9])/g;

/**
 * A space between the letters and the number of such a word, as `search_fold()` puts it (migration 51):
 * "Python3" is the words "Python" and "3", found by `python` and by `python3` (the phrase "python 3").
 * Not when the letters are an English stop word ("S3", "a1", "at5"): the document would keep only the
 * number, which any message with that number matches.
 */
export const splitNumberEndingWord = (text: string): string =>
  text.replace(NUMBER_ENDING_WORD, (word: string, letters: string, digits: string) => (ENGLISH_STOP_WORDS.has(letters.toLowerCase()) ? word : `${letters} ${digits}`));

/**
 * Longest run of ASCII letters, digits, `_`, `.` and `-` that the folded text hands PostgreSQL's parser
 * in one piece (migration 62).
 */
export const MAX_RUN_CHARS = 128;
const LONG_RUN = new RegExp(`[A-Za-z0-9_.-]{${MAX_RUN_CHARS}}`, "g");

/**
 * A space after every MAX_RUN_CHARS characters of a run of ASCII letters, digits, `_`, `.` and `-`, as
 * `search_fold()` puts it last (migration 62): PostgreSQL's default text search parser takes time that
 * grows with the square of such a run's length (it looks ahead for a host, file or hyphenated word from
 * each of its parts): 2,000 characters of `_a` took 130 ms, 4,000 of `a-1.` 35 ms (an outside trial sent
 * 4,000-character messages of them to stall everyone's sends). Cut, a 4,000-character message costs
 * 2-3 ms whatever it holds. A word of such a run is found by the same cut on the query's side (`text`
 * folded as a query, lib/search/query.ts), unless the run it stands in is longer in the message. A
 * text shorter than a run is returned as it is (most messages: no pass over them on the writer's path).
 */
export const cutLongRuns = (text: string): string => (text.length < MAX_RUN_CHARS ? text : text.replace(LONG_RUN, "$& "));

/** A hyphen between two letters (`deploy-failed`, `e-mail`, `state-of-the-art`). */
const HYPHEN_BETWEEN_LETTERS = /(?<=\p{L})-(?=\p{L})/u;

/**
 * The words of a bare term's Latin part, with its hyphenated words apart as the phrases of their parts.
 * PostgreSQL's parser indexes a hyphenated word as the whole (`deploy-failed`) and then each part at the
 * next positions (`deploy`, `failed`), and the same words written apart ("deploy failed") as the parts
 * alone; so `deploy-failed` typed into the search box is looked for as the phrase "deploy failed", which
 * finds both spellings, where the whole word finds only the hyphenated one. Not when its first or last
 * part is a stop word (`follow-up`, `check-in`): the phrase would lose that part (a phrase cannot start
 * or end at a stop word) and find every "follow", so such a word stays whole, as do hyphens next to
 * digits (dates, `x86-64`, `-5`: numbers to the parser). A number with a dot right after letters
 * (`v2.3.1`) is likewise the phrase of the two ("v 2.3.1", as the document holds them), unless the
 * letters are a stop word; a word ending in a number (`Python3`) is a phrase of its own, kept whole
 * (see ParsedQuery.numberWords).
 */
function splitHyphenated(latin: string): { words: string[]; phrases: string[] } {
  const words: string[] = [];
  const phrases: string[] = [];
  const isStop = (part: string) => ENGLISH_STOP_WORDS.has(part.toLowerCase().replace(/[^\p{L}\p{N}]/gu, ""));
  for (const piece of latin.split(" ")) {
    const numbered = splitNumberEndingWord(splitNumberAfterLetters(piece));
    if (numbered !== piece) {
      // A word ending in a number stays whole: it is one of ParsedQuery.numberWords.
      (isStop(numbered.split(" ")[0]) ? words : phrases).push(splitNumberAfterLetters(piece));
      continue;
    }
    const parts = piece.split(HYPHEN_BETWEEN_LETTERS);
    if (parts.length > 1 && !isStop(parts[0]) && !isStop(parts[parts.length - 1])) phrases.push(parts.join(" "));
    else words.push(piece);
  }
  return { words, phrases };
}

/** Splits free text into its Latin part (CJK replaced by spaces) and its CJK runs. */
function splitScripts(text: string): { latin: string; runs: string[] } {
  const runs = text.match(CJK_RUN) ?? [];
  return { latin: text.replace(CJK_RUN, " ").replace(/\s+/g, " ").trim(), runs };
}

/**
 * Parses `raw`, with `filters` given apart from it (they act like, and win over, the same operators in the
 * text); `bad_request` for a query that is too long, has too many terms, a bad date, or nothing
 * to search for (only invisible characters, or only dates). `from:` or `in:` alone is a search: that
 * person's or room's messages. Stop words alone are not an error: the search then finds nothing.
 */
export function parseQuery(raw: unknown, filters: { room?: string; from?: string; before?: string; after?: string } = {}): ParsedQuery {
  if (typeof raw !== "string") throw new AppError("bad_request", "q must be a string");
  const tooLong = () => new AppError("bad_request", `the query must be at most ${MAX_QUERY_CHARS} characters`, { reason: "search_too_long", limit: MAX_QUERY_CHARS });
  // NFKC composes at most 4 code points into one (a Greek letter with three marks), so a longer text is
  // too long whatever it becomes: refused as such before it is normalised.
  if (countChars(raw) > 4 * MAX_QUERY_CHARS) throw tooLong();
  const text = raw.normalize("NFKC").replace(FORMAT_CHARS, "").replace(INVISIBLE, " ").replace(OTHER_QUOTES, '"').replace(MINUS_SIGNS, "-").trim();
  if (countChars(text) > MAX_QUERY_CHARS) throw tooLong();
  const q: ParsedQuery = { ...noTerms(), stopWords: [], has: [], excluded: noTerms() };
  const query = q;
  // `q` here: where the term goes (the query's own fields, or what it leaves out).
  const addText = (typed: string, phrase: boolean, q: Terms) => {
    const excluding = q !== query;
    // Words and phrases without their accents (operators' names keep theirs: `from:José` is José).
    const part = foldAccents(typed);
    const split = splitScripts(cutLongRuns(foldSearchText(part)));
    const { latin } = split;
    // A quoted phrase of CJK text only: its runs are one run, in order ("天気 良い" is "天気良い"), as
    // the words of an English phrase must be adjacent and in order. CJK text is written without spaces.
    const joined = phrase && !/[\p{L}\p{N}]/u.test(latin.replace(SHOWS_NOTHING, "")) && split.runs.length > 1;
    const single = joined && singleCharRuns(split.runs);
    const runs = !joined ? split.runs : single ? [] : [split.runs.join("")];
    // Written apart, the runs are found apart too ("サーバー、デプロイ" as copied from a message). A run of
    // one character has no entry in the index (else "天 気はどう" would find "元気はどう"): such a phrase is
    // checked on the text.
    if (joined && !single) q.splitRuns.push(split.runs);
    if (joined && split.runs.some((run) => [...run].length === 1)) q.runPhrases.push(split.runs);
    // A term needs a letter or digit a reader can see: a Hangul filler (U+3164, U+FFA0) is a letter to
    // Unicode but default-ignorable, like a zero-width space (lib/text/unicode.ts).
    if (latin && /[\p{L}\p{N}]/u.test(latin.replace(SHOWS_NOTHING, ""))) {
      const symbol = [...part.matchAll(SYMBOL_TOKEN)].length > 0;
      const joinersParted = cutLongRuns(splitScripts(foldJoiners(part)).latin);
      // Its words ending in a number stay whole (they are numberWords), unless the phrase holds a C++-like token.
      // A phrase left out that holds such a token is checked whole only (its plain words would leave out more).
      if (phrase && !(symbol && excluding)) q.phrases.push(symbol ? latin : splitNumberAfterLetters(joinersParted));
      if (phrase && symbol) q.symbolPhrases.push(part.trim());
      if (!phrase && symbol) q.symbols.push({ text: part, words: latin });
      if (!symbol) {
        for (const m of joinersParted.matchAll(NUMBER_ENDING_WORD)) {
          const word = m[0].toLowerCase();
          if (!ENGLISH_STOP_WORDS.has(m[1].toLowerCase()) && !q.numberWords.includes(word)) q.numberWords.push(word);
        }
      }
      if (!phrase && !symbol) {
        const { words, phrases } = splitHyphenated(joinersParted);
        if (words.length) q.words.push(words.join(" "));
        q.phrases.push(...phrases);
      }
    }
    for (const run of runs) ([...run].length >= 2 ? q.runs : q.chars).push(run);
  };
  for (const m of text.matchAll(TOKEN)) {
    const [, op, quoted, bare, minus, phrase, word] = m;
    if (op !== undefined) {
      const value = (quoted ?? bare ?? "").trim();
      const name = op.toLowerCase();
      if (name.startsWith("-") && OPERATORS.has(name.slice(1))) {
        throw new AppError("bad_request", `${name.slice(1)}: cannot be left out with -`, { reason: "search_operator_excluded", field: name.slice(1) });
      }
      if (name === "from" && value) q.from = once("from", q.from, value.replace(/^@/, ""));
      else if (name === "in" && value) q.room = once("in", q.room, value.replace(/^#/, ""));
      else if (name === "before" && value) q.before = earliest(q.before, parseDate(value, "before"));
      else if (name === "after" && value) q.after = latest(q.after, parseDate(value, "after"));
      else if (name === "has" && hasValue(value)) q.has.push(hasValue(value)!);
      else if (EXCLUDE.test(m[0])) addText(m[0].slice(1), false, q.excluded);
      else addText(m[0], false, q);
    } else if (phrase !== undefined) {
      if (phrase.trim()) addText(phrase, true, minus ? q.excluded : q);
    } else if (word !== undefined) {
      if (EXCLUDE.test(word)) addText(word.slice(1), false, q.excluded);
      else addText(word, false, q);
    }
  }
  // Filters given apart from the text (the API's parameters) win over the same operator in it.
  if (filters.room) q.room = filters.room;
  if (filters.from) q.from = filters.from;
  if (filters.before) q.before = parseDate(filters.before, "before");
  if (filters.after) q.after = parseDate(filters.after, "after");
  const count = (t: Terms) => [...t.words, ...t.symbols.map((s) => s.words)].reduce((n, w) => n + w.split(" ").length, 0) + t.phrases.length + t.runs.length + t.chars.length + t.runPhrases.filter(singleCharRuns).length;
  const terms = count(q) + q.has.length;
  // `from:` or `in:` alone lists that person's or room's messages, newest first (dates may narrow it).
  if (terms === 0 && q.from === undefined && q.room === undefined) {
    if (hasTerms(q.excluded)) throw new AppError("bad_request", "add a word to search for: -word only leaves messages out", { reason: "search_only_excluded" });
    throw new AppError("bad_request", "type something to search for", { reason: "search_empty" });
  }
  if (terms + count(q.excluded) > MAX_TERMS) throw new AppError("bad_request", `a search may have at most ${MAX_TERMS} terms`, { reason: "search_too_many_terms", limit: MAX_TERMS });
  return withStopWordsOnly(q);
}

/**
 * `q` with its words and phrases as `stopWords` when they are all English stop words and nothing else is
 * searched for (filters aside): `can't` would otherwise find nothing at all, the index holding none.
 */
function withStopWordsOnly(q: ParsedQuery): ParsedQuery {
  const others = q.runs.length + q.chars.length + q.symbols.length + q.symbolPhrases.length + q.splitRuns.length + q.runPhrases.length + q.numberWords.length + q.has.length;
  if (others > 0 || q.words.length + q.phrases.length === 0) return q;
  const found = [...q.words.flatMap((w) => w.split(" ").filter(Boolean)), ...q.phrases].map(onlyStopWords);
  if (found.some((w) => w === null)) return q;
  // Each distinct sequence once (`to be or not to be` typed bare is "to", "be", "or", "not").
  const stopWords = [...new Map((found as string[][]).map((w) => [w.join(" "), w])).values()];
  return { ...q, words: [], phrases: [], stopWords };
}

/**
 * The value of a `from:` or `in:` operator met again in one query: the same name (the same UTS #39 key,
 * lib/text/skeleton.ts, by which users and rooms are found) is kept; another is refused
 * (`search_operator_repeated`, `field` the operator): a message has one author and one room, and taking
 * only one of two names would search for something the person did not ask for.
 */
function once(operator: "from" | "in", previous: string | undefined, value: string): string {
  if (previous === undefined || nameKey(previous) === nameKey(value)) return value;
  throw new AppError("bad_request", `${operator}: can be given once in a search`, { reason: "search_operator_repeated", field: operator });
}

/** Several `before:` bounds: the earliest holds them all. */
const earliest = (a: Date | undefined, b: Date) => (a && a < b ? a : b);
/** Several `after:` bounds: the latest holds them all. */
const latest = (a: Date | undefined, b: Date) => (a && a > b ? a : b);

/** True when every one of a phrase's CJK runs is a single character (`"잘 해"`): nothing the index holds. */
export const singleCharRuns = (runs: string[]): boolean => runs.every((run) => [...run].length === 1);

/** True when `text` holds a CJK character. */
export const hasCjk = (text: string): boolean => CJK_ANY.test(text);
