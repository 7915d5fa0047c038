/**
 * Whether a query was only English stop words, which the search leaves out (the list is the server's,
 * lib/search/stop-words.ts, a leaf module the browser can import).
 */
import { ENGLISH_STOP_WORDS as STOP_WORDS } from "@/lib/search/stop-words";
import { queryChips } from "./query-chips";

/**
 * The words of `q` (its operators left out, split where the server splits words: at anything but a
 * letter, mark or digit) when every one is a stop word, so the search had nothing to look for; else null.
 */
export function onlyStopWords(q: string): string[] | null {
  let text = q;
  // From the end, so the indexes of the chips before stay right.
  for (const chip of queryChips(q).reverse()) text = text.slice(0, chip.index) + " " + text.slice(chip.index + chip.raw.length);
  const words = text.normalize("NFKC").toLowerCase().split(/[^\p{L}\p{M}\p{N}]+/u).filter(Boolean);
  return words.length > 0 && words.every((w) => STOP_WORDS.has(w)) ? words : null;
}
