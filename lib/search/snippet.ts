import { ENGLISH_STOP_WORDS, englishStem } from "./document";
import { foldAccents, FORMAT_CHARS, hasCjk, MARKS_BETWEEN_CJK, SYMBOL_TOKEN } from "./query";
import type { Snippet } from "./types";

/** Longest snippet, in code points; a longer message is cut around its first match. */
export const SNIPPET_CHARS = 160;
const LEAD = 40;

/**
 * A word of Latin (or other non-CJK) script, as the English parser would see it, in the folded text
 * (where CJK characters are spaces): letters and digits, joined by the punctuation the parser keeps
 * inside one token (`Next.js`, `kebab-case`, `foo@bar.com`, `/usr/local`).
 */
const WORD = /[\p{L}\p{N}]+(?:['’._\-@/:+][\p{L}\p{N}]+)*/gu;
const PART = /[\p{L}\p{N}]+/gu;
/**
 * A number with a dot right after ASCII letters ("v2.3.1"): the document holds the part before the number
 * ("v") and the number ("2.3.1") as words of their own (migration 38).
 */
const NUMBER_AFTER_LETTERS = /([\p{L}\p{N}]*[a-z])([0-9]+(?:\.[0-9]+)+)/gu;

/**
 * A part of a word that is ASCII letters and then a number ("python3", folded): the document holds the
 * letters and the number as words of their own, unless the letters are a stop word or a hyphen joins
 * the part to more, or a dot and a digit follow it (migration 51).
 */
const NUMBER_ENDING_WORD = /^([a-z]+)([0-9]+)$/;

/** Most code points folded together as one piece (see fold): a base with a long run of marks is cut there. */
const MAX_PIECE = 32;
const COMPOSES = /^[\p{M}\u1160-\u11ff\ud7b0-\ud7ff]/u;

/**
 * `body` folded as the search document folds it (NFKC, lower case, format characters dropped), piece by
 * piece: `folded[k]` came from the code points `chars[from[k]]` .. `chars[to[k] - 1]`. A piece is one
 * code point, or several that NFKC composes into something else than their folds one by one (half-width
 * kana and their voiced sound marks: "ﾃﾞ" is "デ", not "テ" and a lone mark; compatibility jamo into a
 * Hangul syllable). A piece's fold may be empty (a format character) or longer than one ("ﬁ" → "fi").
 * Emphasis marks between CJK characters are dropped as the document drops them (MARKS_BETWEEN_CJK), so
 * "新機能のリリース" is found in "**新機能**のリリース", and its highlight covers the marks within.
 * Searching the joined folds and mapping back through `from`/`to` keeps highlights on the original text.
 */
function fold(chars: string[]): { text: string; from: number[]; to: number[] } {
  let text = "";
  const from: number[] = [];
  const to: number[] = [];
  const nfkc = chars.map((ch) => ch.normalize("NFKC"));
  for (let i = 0; i < chars.length; ) {
    let j = i + 1;
    let piece = nfkc[i];
    // Only a mark or a Hangul vowel or final jamo (after NFKC) composes with what comes before it.
    while (j < chars.length && j - i < MAX_PIECE && COMPOSES.test(nfkc[j])) {
      const joined = chars.slice(i, j + 1).join("").normalize("NFKC");
      if (joined === piece + nfkc[j]) break;
      piece = joined;
      j++;
    }
    for (const c of foldAccents(piece.replace(FORMAT_CHARS, "")).toLowerCase()) {
      text += c;
      from.push(i);
      to.push(j);
    }
    i = j;
  }
  return dropMarksBetweenCjk({ text, from, to });
}

/**
 * `folded` without the runs of emphasis marks that stand between two CJK characters, found by the
 * document's own rule (MARKS_BETWEEN_CJK). The marks are ASCII, so a match's length in code units is its
 * length in code points.
 */
function dropMarksBetweenCjk(folded: { text: string; from: number[]; to: number[] }) {
  const dropped = new Set<number>();
  let cp = 0;
  let unit = 0;
  for (const m of folded.text.matchAll(MARKS_BETWEEN_CJK)) {
    for (; unit < m.index; cp++) unit += folded.text.codePointAt(unit)! > 0xffff ? 2 : 1;
    for (let k = 0; k < m[0].length; k++) dropped.add(cp + k);
  }
  if (dropped.size === 0) return folded;
  const keep = (_: unknown, k: number) => !dropped.has(k);
  return { text: [...folded.text].filter(keep).join(""), from: folded.from.filter(keep), to: folded.to.filter(keep) };
}

/**
 * Whether the folded word `word` is one the document gives one of `stems` for: its English stem (the
 * canonical one, StemmerVariant "keep-short-double", as the query's stems are: see canonicalStemWords in
 * lib/search/stem-classes.ts, so `add` marks "added", not "ad") for a word of ASCII letters that is not a stop
 * word ("deployed" → "deploy", but not "deploybot"), the word itself otherwise (numbers, "c3po"), and for
 * words of other scripts, which the stemmer leaves alone or nearly, a word that starts with a stem.
 */
function matchesStem(word: string, stems: Set<string>): boolean {
  if (stems.has(word)) return true;
  if (/^[a-z]+$/.test(word)) return !ENGLISH_STOP_WORDS.has(word) && stems.has(englishStem(word, "keep-short-double"));
  if (/^[\x00-\x7f]*$/.test(word)) return false;
  for (const st of stems) if (word.startsWith(st)) return true;
  return false;
}

/**
 * The part of `body` to show for a result, with what matched marked. `stems` are the English lexemes of
 * the query (from the database's stemmer): a word is marked when it stems to one ("deploy" marks
 * "deployed" and "deploying", not "deploybot"; see matchesStem), or a part of it does (`case` marks
 * "case" in "kebab-case", `files` marks "files" in "files.example.com/pub", not the whole address).
 * `substrings` (CJK runs and characters, NFKC) are marked wherever they occur. `symbols` (`C++`, `c#`:
 * the query's SYMBOL_TOKENs, NFKC) are marked where the text has that whole token, as the search finds
 * them (migration 26): `C++` marks "C++" and the "c++" of "c++17", not the end of "ABC++" or of "c+++".
 * Matching is done on the text folded as the search document is (full-width "ＤＥＰＬＯＹ", half-width
 * "ｶﾀｶﾅ", "ﬁle" match), and the marks are placed on the original characters. The text is at most
 * SNIPPET_CHARS code points, "…" included. Offsets are code points, per {@link Snippet}. `sequences`
 * (a query of stop words only, `ParsedQuery.stopWords`) are marked where their words stand in that order
 * with only non-letters between, as the search finds them, each match as one mark ("can't").
 */
export function buildSnippet(body: string, stems: string[], substrings: string[], symbols: string[] = [], sequences: string[][] = []): Snippet {
  const chars = [...body];
  const folded = fold(chars);
  const fchars = [...folded.text];
  // Back to the original characters: a folded range [a, b) covers originals from[a] .. to[b - 1] - 1.
  const range = (a: number, b: number): [number, number] => [folded.from[a], folded.to[b - 1]];
  const ranges: [number, number][] = [];
  const latin = fchars.map((c) => (hasCjk(c) ? " " : c)).join("");
  // Code-unit index -> code-point index of the folded text, for the regex results.
  const cp = new Map<number, number>();
  for (let i = 0, u = 0; i <= fchars.length; u += fchars[i]?.length ?? 1, i++) cp.set(u, i);
  if (symbols.length > 0) {
    const wanted = new Set(symbols.map((t) => t.toLowerCase()));
    for (const m of latin.matchAll(SYMBOL_TOKEN)) {
      const at = cp.get(m.index)!;
      if (wanted.has(m[0])) ranges.push(range(at, at + [...m[0]].length));
    }
  }
  if (stems.length > 0) {
    const stemSet = new Set(stems);
    for (const m of latin.matchAll(WORD)) {
      const at = cp.get(m.index)!;
      if (matchesStem(m[0], stemSet)) {
        ranges.push(range(at, at + [...m[0]].length));
        continue;
      }
      // Code points before each part, counted on from the previous part: a word of thousands of parts
      // ("a-a-a-…") stays one pass, where counting from the word's start each time took 250 ms.
      let from = at;
      let seen = 0;
      for (const part of m[0].matchAll(PART)) {
        from += [...m[0].slice(seen, part.index)].length;
        seen = part.index;
        if (matchesStem(part[0], stemSet)) {
          ranges.push(range(from, from + [...part[0]].length));
          continue;
        }
        // A word of letters ending in a number ("python3"): the document holds the two (migration 51).
        const ending = NUMBER_ENDING_WORD.exec(part[0]);
        const end = part.index + part[0].length;
        const hyphened = m[0][part.index - 1] === "-" || m[0][end] === "-" || (m[0][end] === "." && /[0-9]/.test(m[0][end + 1] ?? ""));
        if (ending && !hyphened && !ENGLISH_STOP_WORDS.has(ending[1])) {
          const digitsAt = from + ending[1].length;
          if (matchesStem(ending[1], stemSet)) ranges.push(range(from, digitsAt));
          if (matchesStem(ending[2], stemSet)) ranges.push(range(digitsAt, digitsAt + ending[2].length));
        }
      }
      for (const num of m[0].matchAll(NUMBER_AFTER_LETTERS)) {
        const head = at + [...m[0].slice(0, num.index)].length;
        const number = head + [...num[1]].length;
        if (matchesStem(num[1], stemSet)) ranges.push(range(head, number));
        if (matchesStem(num[2], stemSet)) ranges.push(range(number, number + num[2].length));
      }
    }
  }
  for (const words of sequences) {
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${words.join("[^\\p{L}\\p{N}]+")}(?![\\p{L}\\p{N}])`, "gu");
    for (const m of latin.matchAll(pattern)) {
      const at = cp.get(m.index)!;
      ranges.push(range(at, at + [...m[0]].length));
    }
  }
  for (const sub of substrings) {
    const target = [...sub.toLowerCase()];
    if (target.length === 0) continue;
    for (let i = 0; i + target.length <= fchars.length; i++) {
      let j = 0;
      while (j < target.length && fchars[i + j] === target[j]) j++;
      if (j === target.length) {
        ranges.push(range(i, i + j));
        i += j - 1;
      }
    }
  }
  const merged = merge(ranges);
  let start = chars.length <= SNIPPET_CHARS || merged.length === 0 ? 0 : Math.max(0, Math.min(merged[0][0] - LEAD, chars.length - SNIPPET_CHARS));
  // Room for the ellipses within SNIPPET_CHARS.
  let end = Math.min(chars.length, start + SNIPPET_CHARS);
  if (start > 0) start++;
  if (end < chars.length) end--;
  // Cut between user-perceived characters, never inside one (a flag, a family emoji, a letter and its marks),
  // and where a word starts or ends when one is near, never past the first match.
  [start, end] = toGraphemeBounds(body, chars.length, start, end);
  [start, end] = toWordBounds(body, chars.length, start, end, merged[0]);
  const prefix = start > 0 ? "…" : "";
  const shift = prefix.length - start;
  const text = prefix + chars.slice(start, end).join("") + (end < chars.length ? "…" : "");
  const highlights = merged
    .filter(([a, b]) => b > start && a < end)
    .map(([a, b]): [number, number] => [Math.max(a, start) + shift, Math.min(b, end) + shift]);
  return { text, highlights };
}

/** The start of `body` as a snippet, nothing marked: for the results past a search's time budget (see snippet-texts.ts). */
export function leadSnippet(body: string): Snippet {
  const chars = [...body];
  if (chars.length <= SNIPPET_CHARS) return { text: body, highlights: [] };
  const [, end] = toGraphemeBounds(body, chars.length, 0, SNIPPET_CHARS - 1);
  return { text: chars.slice(0, end).join("") + "…", highlights: [] };
}

const GRAPHEMES = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/**
 * The code-point range [start, end) of `body` (`length` code points) narrowed to grapheme cluster
 * boundaries (Unicode UAX #29, extended grapheme clusters, as Intl.Segmenter finds them): `start` moves
 * forward and `end` back to the nearest boundary, so a cut keeps no half of a regional-indicator flag,
 * an emoji ZWJ sequence or a letter with its combining marks. A range with no whole cluster in it (one
 * cluster longer than the snippet) is left as it was. Only a cut inside the body is looked at.
 */
function toGraphemeBounds(body: string, length: number, start: number, end: number): [number, number] {
  if (start === 0 && end >= length) return [start, end];
  // The first cluster boundary at or after `start`, and the last at or before `end`.
  let from = start === 0 ? 0 : -1;
  let to = end >= length ? end : -1;
  let cp = 0;
  for (const { segment } of GRAPHEMES.segment(body)) {
    if (from < 0 && cp >= start) from = cp;
    if (end < length && cp <= end) to = cp;
    if (cp > end && from >= 0) break;
    cp += [...segment].length;
  }
  return from >= 0 && to > from ? [from, to] : [start, end];
}

const WORDS = new Intl.Segmenter(undefined, { granularity: "word" });
/** How far, in code points, a cut moves to reach a word's edge; a longer word is cut where it was. */
const WORD_REACH = 24;

/**
 * The code-point range [start, end) of `body` (`length` code points) with a cut inside the body moved to
 * the nearest edge of a word (Unicode UAX #29 word boundaries, as Intl.Segmenter finds them, which are
 * also grapheme boundaries): `start` forward to the start of the next word, `end` back to the end of the
 * previous one, each by at most WORD_REACH code points and never past the first match (`keep`, whose
 * start and end stay inside), so "…t amet the pelican" reads "…amet the pelican". Spaces and punctuation
 * around a cut are left out of the snippet.
 */
function toWordBounds(body: string, length: number, start: number, end: number, keep: [number, number] | undefined): [number, number] {
  if (start === 0 && end >= length) return [start, end];
  const startLimit = Math.min(start + WORD_REACH, keep ? keep[0] : Infinity);
  const endLimit = Math.max(end - WORD_REACH, keep ? keep[1] : -Infinity, start + 1);
  let from = start;
  let to = end;
  let cp = 0;
  let movedStart = start === 0;
  for (const { segment, isWordLike } of WORDS.segment(body)) {
    const n = [...segment].length;
    const visible = isWordLike || /[^\s\p{P}]/u.test(segment);
    // The first word at or after the cut, within reach.
    if (!movedStart && cp >= start && visible) {
      if (cp <= startLimit) from = cp;
      movedStart = true;
    }
    // The last word ending at or before the cut, within reach.
    if (end < length && visible && cp + n <= end && cp + n >= endLimit) to = cp + n;
    if (cp > end) break;
    cp += n;
  }
  return to > from ? [from, to] : [start, end];
}

function merge(ranges: [number, number][]): [number, number][] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: [number, number][] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}
