/**
 * PostgreSQL's English stop words (`english.stop`, the `english_stem` dictionary's): a stop word takes a
 * position in a search document but gives no lexeme, and a query word that is one is ignored. A leaf
 * module (no imports), so the browser's search panel uses the same list as the server's document builder
 * (lib/search/document.ts), which checks it against the database at startup.
 */
export const ENGLISH_STOP_WORDS: ReadonlySet<string> = new Set(
  (
    "i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers herself it its itself " +
    "they them their theirs themselves what which who whom this that these those am is are was were be been being have has had " +
    "having do does did doing a an the and but if or because as until while of at by for with about against between into through " +
    "during before after above below to from up down in out on off over under again further then once here there when where why " +
    "how all any both each few more most other some such no nor not only own same so than too very s t can will just don should now"
  ).split(" "),
);

/**
 * The words of `text` (NFKC, lower case, split where the server splits words: at anything but a letter,
 * mark or digit) when every one is an English stop word; null when one is not, or there is none. `can't`
 * is ["can", "t"]. The search reads a query of such words alone in the text (ParsedQuery.stopWords), and
 * the search panel says why one found nothing.
 */
export function onlyStopWords(text: string): string[] | null {
  const words = text.normalize("NFKC").toLowerCase().split(/[^\p{L}\p{M}\p{N}]+/u).filter(Boolean);
  return words.length > 0 && words.every((w) => ENGLISH_STOP_WORDS.has(w)) ? words : null;
}
