import { canonicalName, nameRefusal } from "../text/rules";
import { BLANK_GLYPHS, NAME_WORD_CHARS } from "../text/unicode";

/**
 * `@name` mentions in a message, matched on its NFC form. A name written bare is made of the characters
 * of `NAME_WORD_CHARS` (letters with their combining marks, digits, `_`, `.`, `-`); any name, one with
 * spaces too, may be written in double quotes, `@"Aiko Tanaka"` (any of MENTION_QUOTES at either end:
 * straight, full-width, or curly as phones and Japanese input methods type them; the name as it is
 * stored: single spaces, none at its ends; no quote mark or `,` in it, the mention lookup's list
 * separator). Either is at most 32 code points like any display name, and the `@` must follow the start
 * of the text or a character that is not part of a name (so e-mail addresses don't count). The `@` may
 * be any of MENTION_SIGNS. A match that no one could have as a name (the name rules, `nameRefusal`:
 * stacked or repeated marks, macrons joined into a line, …) mentions no one and is left out.
 */
// `v` flag (set subtraction): invisible characters that happen to be letters (Hangul fillers U+3164,
// U+FFA0) are default-ignorable, and the blank glyphs (U+16FE4 is a mark) show nothing: the name rules
// refuse both, so they end a mention instead.
const WORD = `[[${NAME_WORD_CHARS}]--\\p{Default_Ignorable_Code_Point}--[${BLANK_GLYPHS}]]`;
/**
 * The signs a mention starts with: `@` and its compatibility forms, U+FF20 FULLWIDTH COMMERCIAL AT
 * (what a Japanese or Chinese input method types for @ in its full-width mode) and U+FE6B SMALL
 * COMMERCIAL AT, which NFKC makes `@` (the form names are compared in, see nameKey). A character class
 * body.
 */
export const MENTION_SIGNS = "@\\uFF20\\uFE6B";
/** The longest name a mention reaches, in code points: a display name's limit (cleanDisplayName). */
const MENTION_MAX = 32;
/**
 * The double quote marks a quoted mention may open or close with, either of them at either end: `"`, its
 * full-width form U+FF02 (a Japanese input method in full-width mode), “ and ” U+201C/U+201D (phones'
 * smart punctuation; Microsoft's Japanese IME types ” at both ends) and „ U+201E (German). A character
 * class body.
 */
export const MENTION_QUOTES = '"\uFF02\u201C\u201D\u201E';
/** A quoted name's characters: anything but the quotes, `,` and line breaks (the name rules refuse the rest). */
const QUOTED_CHAR = `[^${MENTION_QUOTES},\n\r]`;
const MENTION = new RegExp(
  `(?<!${WORD})[${MENTION_SIGNS}](?:[${MENTION_QUOTES}](${QUOTED_CHAR}{1,${MENTION_MAX}})[${MENTION_QUOTES}]|(${WORD}{1,${MENTION_MAX}}))`,
  "gv",
);
const HAS_SIGN = new RegExp(`[${MENTION_SIGNS}]`, "u");

/**
 * The name a quoted mention's inside names, or null: it must be the name as stored, exactly (`@" bob"`
 * is no mention: what is highlighted is the name), and one a person can have.
 */
const quotedName = (inside: string): string | null => (canonicalName(inside) === inside && nameRefusal(inside, MENTION_MAX) === null ? inside : null);

/**
 * The distinct names mentioned in `text` (NFC), trailing `.`/`-` dropped ("thanks @bob." names bob; "＠bob"
 * too); each is a valid display name (`cleanDisplayName` returns it unchanged).
 */
export function findMentions(text: string): string[] {
  if (!HAS_SIGN.test(text)) return [];
  const names = new Set<string>();
  for (const m of text.normalize("NFC").matchAll(MENTION)) {
    const name = m[1] !== undefined ? quotedName(m[1]) : m[2].replace(/[.-]+$/, "");
    if (name) names.add(name);
  }
  return [...names].filter((name) => nameRefusal(name, MENTION_MAX) === null);
}

/**
 * `text` (plain text, NFC) with each quoted mention of a name a person can have written as the web
 * client shows it, without its quotes: `ping @"Aiko Tanaka"` is `ping @Aiko Tanaka`. What notifications
 * say (their `message`), so that the toast and the message read alike.
 */
export function withoutMentionQuotes(text: string): string {
  if (!HAS_SIGN.test(text)) return text;
  return text.replace(MENTION, (whole, inside: string | undefined) => {
    const name = inside === undefined ? null : quotedName(inside);
    return name ? `${whole[0]}${name}` : whole;
  });
}

/**
 * The characters of a name that Markdown would read as syntax where a mention of it stands, as the
 * renderer and mentionsInMessage parse a message (CommonMark with GFM): `\` (escapes), `*` and `~`
 * (emphasis, strikethrough), `_` where it can open or close emphasis (next to anything but a letter or
 * digit: "aiko_t" is inert, "_bob_" is not), `` ` `` (code), `<` `>` (raw HTML, autolinks), `&` (entity
 * references: "a&amp;b" would read "a&b"), `[` `]` `!` (links, images), `|` (a GFM table's cell
 * separator, in a mention written in a table row). Each is written with a backslash
 * before it in a mention (CommonMark's backslash escape), so the text a reader sees, and the notifier
 * reads, is the name.
 */
const MARKDOWN_IN_NAME = /[\\*~`<>&[\]!|]|_(?![\p{L}\p{N}])|(?<![\p{L}\p{N}])_/gu;
/**
 * What no mention can reach in a name: a quote mark of MENTION_QUOTES or `,` (a quoted mention ends at
 * the first quote; `,` parts the mention lookup's names), a mention sign (`@Bob` would read as a mention
 * of Bob, and "x@y.io" is an e-mail autolink), or the start of a URL GFM links by itself (`http://`,
 * `https://`, `www.` at the start of a word): the renderer makes those links, escaped or not, and a
 * mention in a link is no mention.
 */
const UNMENTIONABLE = new RegExp(`[${MENTION_QUOTES},${MENTION_SIGNS}]|:\\/\\/|(?<![\\p{L}\\p{N}])www\\.`, "iu");

/** `name` with every character Markdown would read as syntax in a mention escaped (MARKDOWN_IN_NAME). */
const escapeMarkdown = (name: string): string => name.replace(MARKDOWN_IN_NAME, "\\$&");

/**
 * How `name` is written as a mention in a message (Markdown): `@name` when findMentions reads that as
 * exactly `name`, else `@"name"` (a name with a space, or ending in `.`), with the characters Markdown
 * would read as syntax escaped (`@"\*ab\*"`, `@\_bob\_`: MARKDOWN_IN_NAME), so that the message shows
 * and notifies exactly that name; null for a name no mention can reach (UNMENTIONABLE: a quote mark,
 * `,`, `@`, a URL's start). What the `@` suggestions insert.
 */
export function mentionToken(name: string): string | null {
  const nfc = name.normalize("NFC");
  if (UNMENTIONABLE.test(nfc)) return null;
  for (const [token, quote] of [[`@${nfc}`, ""], [`@"${nfc}"`, '"']]) {
    const found = findMentions(token);
    if (found.length === 1 && found[0] === nfc) return `@${quote}${escapeMarkdown(nfc)}${quote}`;
  }
  return null;
}

/**
 * Whether a mention can name exactly `name` (mentionToken): bare, or quoted (`@"田中 花子"`; bare,
 * `@田中 花子` mentions `田中`). False for a name with a quote mark, `,`, `@` or a URL's start
 * (UNMENTIONABLE). What the `@` suggestions may offer, and what a new name must be (refuseNewRestrictedName).
 */
export const isMentionable = (name: string): boolean => mentionToken(name) !== null;

/** `@room` / `@all` / `@everyone`: every member of the room (words compared as mentionWord gives them). */
export const ROOM_MENTIONS: ReadonlySet<string> = new Set(["room", "all", "everyone"]);
/** `@here`: the members in the room right now. */
export const HERE_MENTION = "here";

/** A mentioned name as a word: NFKC, lower case (`＠ＨＥＲＥ` and `@Here` are `here`). */
export const mentionWord = (name: string): string => name.normalize("NFKC").toLowerCase();

/**
 * Whether a mentioned name (one of findMentions' answers) is one of the words that address the room
 * rather than a person: `@room`, `@all`, `@everyone` or `@here`. Whether it notifies anyone is the
 * server's decision (the author's role, the room's size); it is a mention either way.
 */
export const isRoomMention = (name: string): boolean => {
  const word = mentionWord(name);
  return ROOM_MENTIONS.has(word) || word === HERE_MENTION;
};
