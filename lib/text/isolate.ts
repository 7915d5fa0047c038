/** Bidi isolation for plain text: a leaf module for every page's first load (re-exported by unicode.ts). */

/** U+2068 FIRST STRONG ISOLATE and U+2069 POP DIRECTIONAL ISOLATE (Unicode UAX #9, section 2.7). */
export const FSI = "\u2068";
export const PDI = "\u2069";

/** The isolate initiators LRI, RLI and FSI (U+2066–U+2068), each closed by a PDI. */
const OPENS_ISOLATE = /[\u2066-\u2068]/;

/**
 * `value` without the PDIs that close no isolate opened in `value` itself. Such a PDI would close the
 * isolate that `isolate` puts around `value` (UAX #9, rule X6a), and a U+202E after it would then
 * reverse the rest of the sentence. Paired PDIs stay; openers left open and embeddings or overrides
 * left unterminated are closed by the outer PDI (rule X6a closes everything inside the isolate).
 */
function withoutStrayPdi(value: string): string {
  if (!value.includes(PDI)) return value;
  let open = 0;
  let out = "";
  for (const ch of value) {
    if (OPENS_ISOLATE.test(ch)) open++;
    else if (ch === PDI) {
      if (open === 0) continue;
      open--;
    }
    out += ch;
  }
  return out;
}

/**
 * `value` isolated for plain-text sentences (titles, aria labels, desktop notifications): its direction
 * is decided by its own first strong character, and nothing in it (an RTL name, a stray U+202E
 * RIGHT-TO-LEFT OVERRIDE, a U+2069 that would end the isolate early) can reorder the words around it.
 * In markup, `<bdi>` does the same.
 */
export const isolate = (value: string): string => `${FSI}${withoutStrayPdi(value)}${PDI}`;

/**
 * What can reorder the text around a value in a left-to-right sentence: strong right-to-left letters
 * (Hebrew, Arabic, Syriac, Thaana, N'Ko, Samaritan, Mandaic and their presentation forms, and the
 * right-to-left scripts beyond the BMP) and the bidi controls (marks, embeddings, overrides, isolates).
 */
const REORDERS = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF\u061C\u200F\u202A-\u202E\u2066-\u2069\u{10800}-\u{10FFF}\u{1E800}-\u{1EFFF}]/u;

/**
 * `value` isolated (see isolate) only when something in it could reorder what is around it; plain
 * left-to-right text (`general`, `天気`) stays as it is. For text whose invisible characters some
 * systems show or keep: the tab's title, which also names bookmarks, the window list and shared links.
 */
export const isolateIfNeeded = (value: string): string => (REORDERS.test(value) ? isolate(value) : value);
