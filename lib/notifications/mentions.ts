import { NAME_WORD_CHARS } from "../text/unicode";

/**
 * `@name` mentions in a message, matched on its NFC form. A mentionable name is made of the characters
 * of `NAME_WORD_CHARS` (letters with their combining marks, digits, `_`, `.`, `-`; names with spaces
 * cannot be mentioned), at most 32 code points like any display name, and the `@` must follow the start
 * of the text or a character that is not part of a name (so e-mail addresses don't count).
 */
// `v` flag (set subtraction): invisible characters that happen to be letters (Hangul fillers U+3164,
// U+FFA0) are default-ignorable, which the name rules refuse, so they end a mention instead.
const WORD = `[[${NAME_WORD_CHARS}]--\\p{Default_Ignorable_Code_Point}]`;
const MENTION = new RegExp(`(?<!${WORD})@(${WORD}{1,32})`, "gv");

/** The distinct names mentioned in `text` (NFC), trailing `.`/`-` dropped ("thanks @bob." names bob). */
export function findMentions(text: string): string[] {
  if (!text.includes("@")) return [];
  const names = new Set<string>();
  for (const m of text.normalize("NFC").matchAll(MENTION)) names.add(m[1].replace(/[.-]+$/, ""));
  return [...names].filter(Boolean);
}
