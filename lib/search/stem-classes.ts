import { englishStem } from "./document";
import { ENGLISH_STOP_WORDS } from "./stop-words";

/** A stem the two Snowball versions may give for words the other gives its doubled form for ("ad" / "add"). */
const SHORT = /^[aeo][bdfgmnprt]$/;
/** …and that doubled form. */
const DOUBLED = /^[aeo]([bdfgmnprt])\1$/;
/** A word of ASCII letters standing alone (not the letters of "mp3" or "a1b2"). */
const WORD = /(?<![A-Za-z0-9])[A-Za-z]+(?![A-Za-z0-9])/g;

/**
 * The query's words whose stems the two databases' stemmers disagree on, written so that both give the
 * stem a newer Snowball gives (the "canonical" stem, StemmerVariant "keep-short-double" in
 * lib/search/document.ts). PostgreSQL 15 stems "added" and "adding" to `ad`, as it stems "ad" and
 * "ads", while PGlite gives `add` for the first two; so a word whose canonical stem is `ad` or `add`
 * (`err`, `egg`, `odd`: a, e or o and a doubled consonant) is written as that stem ("Added" → "add",
 * "ads" → "ad"), which both stemmers leave as it is. The search then asks for that stem (for a doubled
 * one, also the short one, which is how PostgreSQL 15 indexed "added") and checks each candidate's text
 * for a word with that canonical stem (classStemCheckSql), so `add` finds "added", not "ad", and `ad`
 * finds "ads", not "added", on both databases.
 *
 * `texts`: the query's Latin words and phrases (folded). Returns them rewritten, and the canonical
 * stems met, each once (e.g. ["add"]); the same texts and [] for nearly every query.
 */
export function canonicalStemWords(texts: string[]): { texts: string[]; stems: string[] } {
  const stems = new Set<string>();
  const out = texts.map((text) =>
    text.replace(WORD, (word) => {
      const lower = word.toLowerCase();
      if (ENGLISH_STOP_WORDS.has(lower)) return word;
      const s = englishStem(lower, "keep-short-double");
      if (!SHORT.test(s) && !DOUBLED.test(s)) return word;
      stems.add(s);
      return s;
    }),
  );
  return { texts: out, stems: [...stems] };
}

/** The short form of a doubled canonical stem (`add` → `ad`), which PostgreSQL 15 gives "added"; undefined for a short one. */
export const shortStem = (stem: string): string | undefined => (DOUBLED.test(stem) ? stem.slice(0, 2) : undefined);

/**
 * A SQL condition: the text `text` (an SQL expression), folded as documents are (search_fold()), holds
 * a word whose canonical stem (see canonicalStemWords) is `$stem`, the placeholder given: the database's
 * stem of the word (`ts_lexize('english_stem', …)`), made the doubled form where PostgreSQL 15's rule
 * shortened it ("added" → `ad` → `add`, as englishStem does for "keep-short-double"). Only words that
 * start with the stem's first two letters are stemmed.
 */
export function classStemCheckSql(text: string, stem: string, prefix: string): string {
  return `exists (select 1 from regexp_matches(lower(search_fold(${text})), '(?<![a-z0-9])(' || ${prefix}::text || '[a-z]*)(?![a-z0-9])', 'g') w(m)
                  cross join lateral (select (ts_lexize('english_stem', w.m[1]))[1] as s) l
                  where (case when l.s ~ '^[aeo][bdfgmnprt]$' and length(w.m[1]) > 3 and left(w.m[1], 3) = l.s || right(l.s, 1)
                              then l.s || right(l.s, 1) else l.s end) = ${stem}::text)`;
}
