import { AppError } from "../errors";

/** Distinct emoji one message may carry (a reaction with a new emoji past this is refused `too_large`). */
export const MAX_DISTINCT_REACTIONS = 20;

const segmenter = new Intl.Segmenter("en", { granularity: "grapheme" });
/** One emoji as Unicode defines them (UTS #51 RGI emoji sequences, or one Extended_Pictographic with an optional VS16). */
const EMOJI = new RegExp("^(?:\\p{RGI_Emoji}|\\p{Extended_Pictographic}\\uFE0F?)$", "v");

/**
 * Checks that `raw` is exactly one emoji: one grapheme cluster (Unicode UAX #29, via `Intl.Segmenter`)
 * that is an RGI emoji or an Extended_Pictographic code point. Returns it NFC-normalised;
 * `AppError("bad_request")` for text, several emoji, or an empty string.
 */
export function cleanEmoji(raw: unknown): string {
  if (typeof raw !== "string") throw new AppError("bad_request", "emoji must be a string");
  const emoji = raw.normalize("NFC");
  const graphemes = [...segmenter.segment(emoji)];
  if (graphemes.length !== 1 || !EMOJI.test(emoji)) throw new AppError("bad_request", "emoji must be exactly one emoji");
  return emoji;
}
