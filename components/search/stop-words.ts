/**
 * The English stop words the search leaves out of a query (the database's `english` dictionary; the
 * server's copy is ENGLISH_STOP_WORDS in lib/search/document.ts, which the browser cannot import without
 * the stemmer and database types, so the list is repeated here and a test keeps the two the same).
 */
import { queryChips } from "./query-chips";

export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    "i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers herself it its itself " +
    "they them their theirs themselves what which who whom this that these those am is are was were be been being have has had " +
    "having do does did doing a an the and but if or because as until while of at by for with about against between into through " +
    "during before after above below to from up down in out on off over under again further then once here there when where why " +
    "how all any both each few more most other some such no nor not only own same so than too very s t can will just don should now"
  ).split(" "),
);

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
