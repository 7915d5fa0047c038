/**
 * The counting and cutting rules for every text Hibiki stores or shows, shared by the server and the
 * browser (a leaf module: no server imports). One rule everywhere: a length is the number of Unicode
 * code points of the NFC form, and a lone surrogate (UTF-16 half of a pair) is never stored.
 */

// A module of its own: every page's first load needs isolate (use-t.tsx), none the rest of this one.
export { FSI, PDI, isolate } from "./isolate";

/** Lone surrogates (a `\ud800` with no partner) replaced by U+FFFD REPLACEMENT CHARACTER, as WHATWG encoders do. */
export const toWellFormed = (value: string): string => value.replace(/\p{Cs}/gu, "\uFFFD");

/** Number of Unicode code points in `value` (not UTF-16 units: "😀" is 1). */
export function countChars(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}

let graphemes: Intl.Segmenter | null | undefined;
/** Extended grapheme clusters (UAX #29) where the runtime has Intl.Segmenter; null where it has not. */
const graphemeSegmenter = (): Intl.Segmenter | null =>
  graphemes !== undefined ? graphemes : (graphemes = typeof Intl.Segmenter === "function" ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null);

/**
 * `value` cut to at most `max` code points at the end of a user-perceived character, an extended
 * grapheme cluster (Unicode UAX #29): never inside a surrogate pair, a flag (two regional indicators),
 * an emoji ZWJ or modifier sequence, or a letter and its combining marks, so a cut never leaves half
 * of what a reader sees as one character. `value` itself when it is short enough. (Without
 * Intl.Segmenter: at a code point boundary.)
 */
export function cutChars(value: string, max: number): string {
  if (countChars(value) <= max) return value;
  const segmenter = graphemeSegmenter();
  if (!segmenter) return [...value].slice(0, Math.max(0, max)).join("");
  let out = "";
  let n = 0;
  for (const { segment } of segmenter.segment(value)) {
    const len = countChars(segment);
    if (n + len > max) break;
    out += segment;
    n += len;
  }
  return out;
}

/**
 * The UTF-16 index at or before `index` where a grapheme cluster of `value` starts (see cutChars), so
 * `value.slice(0, i)` ends with whole characters.
 */
export function graphemeStartAtOrBefore(value: string, index: number): number {
  if (index <= 0 || index >= value.length) return Math.max(0, Math.min(index, value.length));
  const segmenter = graphemeSegmenter();
  if (!segmenter) return /[\uD800-\uDBFF]/.test(value[index - 1]) ? index - 1 : index;
  return segmenter.segment(value).containing(index)?.index ?? index;
}

/** `value` cut to at most `max` code points, `…` (counted) marking a cut, never inside a character as readers see it (cutChars). */
export function truncateChars(value: string, max: number): string {
  if (countChars(value) <= max) return value;
  return `${cutChars(value, Math.max(0, max - 1))}…`;
}

/**
 * Characters drawn as empty space (or as nothing) that Unicode counts neither as White_Space nor as
 * default-ignorable, so no property catches them: U+2800 BRAILLE PATTERN BLANK, U+1D159 MUSICAL SYMBOL
 * NULL NOTEHEAD (both drawn as an empty cell) and U+16FE4 KHITAN SMALL SCRIPT FILLER (a nonspacing mark
 * drawn as nothing). They are the usual stand-ins for a space where spaces are refused ("invisible
 * names"). A regular expression character class body (`u`/`v` flag).
 */
export const BLANK_GLYPHS = "\\u2800\\u{16FE4}\\u{1D159}";

/**
 * The Hangul fillers (U+115F, U+1160, U+3164, U+FFA0): default-ignorable, but fonts commonly draw them
 * as a wide empty cell, the same trick as BLANK_GLYPHS. A character class body.
 */
export const HANGUL_FILLERS = "\\u115F\\u1160\\u3164\\uFFA0";

/**
 * Characters that show nothing: Unicode default-ignorable code points (zero-width space, soft hyphen,
 * word joiner, Hangul fillers, variation selectors, bidi formatting, …; UAX #44 / DerivedCoreProperties)
 * plus BLANK_GLYPHS, which render as empty space.
 */
export const INVISIBLE = new RegExp(`[\\p{Default_Ignorable_Code_Point}${BLANK_GLYPHS}]`, "gu");

/** True when `value` has nothing a reader could see: only whitespace and invisible characters. */
export const isBlank = (value: string): boolean => value.replace(INVISIBLE, "").replace(/\p{White_Space}/gu, "") === "";

/** Characters a mentionable name is made of: letters, combining marks, digits, connector punctuation, `.`, `-`. */
export const NAME_WORD_CHARS = "\\p{L}\\p{M}\\p{N}\\p{Pc}.\\-";

/**
 * What a text becomes before it is counted or stored: lone surrogates replaced by U+FFFD, NFC, blank
 * lines at the start and all whitespace at the end removed, and a one-line text trimmed (`"  hi  "` is
 * `"hi"`). The first line of a text of several lines keeps its indentation: in Markdown it means
 * something (four spaces start an indented code block, two nest a list item under the one before), and
 * the wire contract stores the Markdown source unchanged. The composer counts
 * `countChars(prepareText(draft))`, exactly what the server will count (rules.ts checks and stores the same).
 */
export function prepareText(raw: string): string {
  const text = toWellFormed(raw)
    .normalize("NFC")
    .replace(/^(?:[^\S\n]*\n)+/, "")
    .trimEnd();
  return text.includes("\n") ? text : text.trimStart();
}
