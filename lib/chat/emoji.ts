import { AppError } from "../errors";

/** Distinct emoji one message may carry (a reaction with a new emoji past this is refused `too_large`). */
export const MAX_DISTINCT_REACTIONS = 20;

/**
 * Longest text, in UTF-16 code units, looked at as one emoji. The longest RGI sequences are 15 units
 * (10 code points: a kiss with two skin tones, 👩🏻‍❤️‍💋‍👨🏼) and 14 (a subdivision flag, 🏴󠁧󠁢󠁳󠁣󠁴󠁿); the margin
 * takes a VS16 after each of their characters and sequences of later Unicode versions. Anything longer is
 * several emoji or none, refused before it is normalised or segmented: segmenting is not cheap (V8 took
 * seconds for the 16,000 emoji one Socket.IO frame holds, during which the process served nobody).
 */
export const MAX_EMOJI_UNITS = 32;

const segmenter = new Intl.Segmenter("en", { granularity: "grapheme" });

/** Whether `text` is one grapheme cluster (UAX #29); stops at the second one instead of splitting it all. */
function isOneGrapheme(text: string): boolean {
  let n = 0;
  for (const _ of segmenter.segment(text)) if (++n > 1) return false;
  return n === 1;
}
/** One RGI emoji sequence (UTS #51: basic emoji, keycaps, flags, modifier and ZWJ sequences). */
const RGI = new RegExp("^\\p{RGI_Emoji}$", "v");
/** One Extended_Pictographic code point with an optional VS16: an emoji newer than this runtime's Unicode data. */
const PICTOGRAPHIC = new RegExp("^\\p{Extended_Pictographic}\\uFE0F?$", "v");
/**
 * An emoji character whose default is text presentation (UTS #51 Emoji=Yes, Emoji_Presentation=No:
 * ❤, ☺, ™, the keycap bases #, *, 0–9) not followed by a skin-tone modifier: the place a fully-qualified
 * sequence puts VS16 (U+FE0F).
 */
const TEXT_DEFAULT = new RegExp("[\\p{Emoji}--\\p{Emoji_Presentation}--\\p{Emoji_Modifier}](?!\\p{Emoji_Modifier})", "gv");

/**
 * The one spelling of an emoji that reactions are keyed by: its RGI sequence (UTS #51) as given, else
 * without any VS16 (U+FE0F), else fully qualified (VS16 after each character whose default is text
 * presentation); undefined when none of them is an RGI emoji. So "👍" and "👍\uFE0F", or "❤" and
 * "❤\uFE0F", which look the same, are one reaction, not two side by side.
 */
function rgiSpelling(emoji: string): string | undefined {
  if (RGI.test(emoji)) return emoji;
  const bare = emoji.replaceAll("\uFE0F", "");
  if (RGI.test(bare)) return bare;
  const qualified = bare.replace(TEXT_DEFAULT, "$&\uFE0F");
  return RGI.test(qualified) ? qualified : undefined;
}

/**
 * Checks that `raw` is exactly one emoji: one grapheme cluster (Unicode UAX #29, via `Intl.Segmenter`)
 * that is an RGI emoji sequence, under any of the spellings that show the same (with or without VS16:
 * see rgiSpelling), or an Extended_Pictographic code point (emoji newer than the runtime's Unicode data).
 * Returns it NFC-normalised, an RGI emoji in its RGI spelling; `AppError("bad_request")` for text,
 * several emoji, an empty string, or anything longer than MAX_EMOJI_UNITS.
 */
export function cleanEmoji(raw: unknown): string {
  if (typeof raw !== "string") throw new AppError("bad_request", "emoji must be a string");
  if (raw.length > MAX_EMOJI_UNITS) throw notOneEmoji();
  const emoji = raw.normalize("NFC");
  const one = isOneGrapheme(emoji);
  const spelled = one ? rgiSpelling(emoji) : undefined;
  if (spelled !== undefined) return spelled;
  if (!one || !PICTOGRAPHIC.test(emoji)) throw notOneEmoji();
  return emoji;
}

const notOneEmoji = () => new AppError("bad_request", "emoji must be exactly one emoji");
