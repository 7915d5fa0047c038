/** Bidi isolation for plain text: a leaf module for every page's first load (re-exported by unicode.ts). */

/** U+2068 FIRST STRONG ISOLATE and U+2069 POP DIRECTIONAL ISOLATE (Unicode UAX #9, section 2.7). */
export const FSI = "\u2068";
export const PDI = "\u2069";

/**
 * `value` isolated for plain-text sentences (titles, aria labels, desktop notifications): its direction
 * is decided by its own first strong character, and nothing in it (an RTL name, a stray U+202E
 * RIGHT-TO-LEFT OVERRIDE) can reorder the words around it. In markup, `<bdi>` does the same.
 */
export const isolate = (value: string): string => `${FSI}${value}${PDI}`;
