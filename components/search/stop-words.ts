/**
 * Whether a query was only English stop words, which the index does not hold (the search looks for them
 * in recent messages only): the server's own test, lib/search/stop-words.ts, a leaf module the browser
 * can import.
 */
import { onlyStopWords as stopWordsOf } from "@/lib/search/stop-words";
import { queryChips } from "./query-chips";

/**
 * The words of `q` (its operators left out, split where the server splits words: at anything but a
 * letter, mark or digit) when every one is a stop word; else null.
 */
export function onlyStopWords(q: string): string[] | null {
  let text = q;
  // From the end, so the indexes of the chips before stay right.
  for (const chip of queryChips(q).reverse()) text = text.slice(0, chip.index) + " " + text.slice(chip.index + chip.raw.length);
  return stopWordsOf(text);
}
