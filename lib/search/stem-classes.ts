import { englishStem } from "./document";
import { ENGLISH_STOP_WORDS } from "./stop-words";

/** A stem the two Snowball versions may give for words the other gives its doubled form for ("ad" / "add"). */
const SHORT = /^[aeo][bdfgmnprt]$/;
/** …and that doubled form. */
const DOUBLED = /^[aeo]([bdfgmnprt])\1$/;

/**
 * The English stems a query must ask for in both forms, so that PostgreSQL 15 and PGlite find the same
 * messages. Their Snowball stemmers differ on one rule (see StemmerVariant in lib/search/document.ts):
 * PostgreSQL 15 stems "added" and "adding" to `ad` but "add" to `add`, PGlite all three to `add`; so on
 * PostgreSQL 15 `add` did not find "added", and `err` did not find "erred". A query asks for either
 * form of such a stem (`add` | `ad`), on both databases, whichever its own stemmer gave: the same
 * messages on both (a message with the word "ad" too, the price of the older stemmer's rule).
 *
 * `texts`: the query's Latin words and phrases (any case; other characters split words). Returns each
 * class once as [short, doubled], e.g. [["ad", "add"], ["er", "err"]]; empty for nearly every query.
 */
export function stemClasses(texts: string[]): [string, string][] {
  const classes = new Map<string, string>();
  for (const text of texts) {
    for (const [word] of text.toLowerCase().matchAll(/[a-z]+/g)) {
      if (ENGLISH_STOP_WORDS.has(word)) continue;
      for (const s of [englishStem(word, "porter2"), englishStem(word, "keep-short-double")]) {
        if (SHORT.test(s)) classes.set(s, s + s[1]);
        else if (DOUBLED.test(s)) classes.set(s.slice(0, 2), s);
      }
    }
  }
  return [...classes];
}

/**
 * `stems` (English lexemes, e.g. the query's, for marking words in a snippet) with the other form of
 * each stem in a class of stemClasses: `add` brings `ad`, `er` brings `err`.
 */
export function withStemClasses(stems: string[]): string[] {
  const out = new Set(stems);
  for (const s of stems) {
    if (SHORT.test(s)) out.add(s + s[1]);
    else if (DOUBLED.test(s)) out.add(s.slice(0, 2));
  }
  return [...out];
}
