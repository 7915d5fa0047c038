/**
 * The one normaliser for text that enters Hibiki: messages, clientIds, announcements, and the names of
 * accounts, guests, bots and rooms. HTTP and Socket.IO both reach it through the domain, and the browser
 * imports it to count what the server will count (a leaf module: no server imports).
 */
import type { ErrorReason } from "../chat/types";
import { AppError } from "../errors";
import { BLANK_GLYPHS, countChars, HANGUL_FILLERS, isBlank, prepareText, toWellFormed } from "./unicode";

/** C0/C1 control characters other than tab, line feed and carriage return (NUL included). */
const TEXT_CONTROL = /[^\P{Cc}\t\n\r]/u;

// prepareText lives in unicode.ts (the composer's first load carries it without these rules).
export { prepareText };

/**
 * Checks a message (or announcement) text and returns what is stored: `prepareText(raw)`. Errors:
 * `bad_request` for a non-string, a control character other than tab/newline (NUL would also fail the
 * database write), or nothing visible (only whitespace and zero-width characters); `too_large` past
 * `maxChars` code points.
 */
export function cleanMessageText(raw: unknown, maxChars: number, what = "message"): string {
  if (typeof raw !== "string") throw new AppError("bad_request", `${what} must be a string`);
  const text = prepareText(raw);
  if (TEXT_CONTROL.test(text)) throw new AppError("bad_request", `${what} must not contain control characters`, { reason: "text_control" });
  if (isBlank(text)) throw emptyText(what);
  if (countChars(text) > maxChars) {
    throw new AppError("too_large", `${what} must be at most ${maxChars} characters`, { reason: "text_too_long", limit: maxChars });
  }
  return text;
}

/** The refusal of a text with nothing visible (`text_empty`), for `what` ("message", "announcement" …). */
export function emptyText(what = "message"): AppError {
  return new AppError("bad_request", `${what} must not be empty`, { reason: "text_empty" });
}

/** A client's idempotency key: 1–128 code points, no control characters, no lone surrogates. */
export function cleanClientId(raw: unknown): string | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== "string") throw new AppError("bad_request", "clientId must be a string");
  const n = countChars(raw);
  if (n < 1 || n > 128) throw new AppError("bad_request", "clientId must be a string of 1 to 128 characters");
  if (/[\p{Cc}\p{Cs}]/u.test(raw)) throw new AppError("bad_request", "clientId must not contain control characters");
  return raw;
}

/**
 * What a label shows as empty space: white space, the Hangul fillers and the blank glyphs
 * (lib/text/unicode.ts), which fonts draw as wide empty cells. Each becomes a space.
 */
const LABEL_BLANK = new RegExp(`[\\p{White_Space}${HANGUL_FILLERS}${BLANK_GLYPHS}]`, "gu");
/**
 * A space and the spaces and default-ignorable characters after it: one space. Invisible characters
 * between spaces (`" \u200b \u200b …"`) would otherwise keep each space apart and the padding whole.
 * What comes before the first space stays (the VS16 ending "❤\uFE0F" before a space, the joiners
 * inside an emoji sequence). A literal and one character class, so the match is linear.
 */
const LABEL_GAP = / [ \p{Default_Ignorable_Code_Point}]*/gu;

/** Removed from labels: C0/C1 controls and the bidi controls (Unicode Bidi_Control: U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069). */
/** Removed from a label before NFC: bidi controls and the invisible characters with no part in how it reads. */
const LABEL_INVISIBLE = /[\p{Bidi_Control}\u00AD\u17B4\u17B5\u180E\u200B\u2060-\u2064\uFEFF\u{1D173}-\u{1D17A}]/gu;
/** Removed after white space became spaces (line breaks and tabs are controls too). */
const LABEL_REMOVED = /\p{Cc}/gu;

/**
 * A one-line text from outside that has no rules of its own to refuse it by, as it is stored and shown:
 * an uploaded file's name, a link preview's title, description and site name. Lone surrogates become
 * U+FFFD; control and bidi control characters are removed (U+202E would show "gpj.exe" as
 * "exe.jpg"; an ESC would reach a terminal client), and so are the invisible characters with no part
 * in how a label reads (soft hyphen, Khmer's invisible vowels U+17B4/U+17B5, U+180E, zero-width space,
 * word joiner and U+2061–U+2064, U+FEFF, the musical formatting controls U+1D173–U+1D17A); then NFC,
 * so two names that look the same are the same (zero-width joiners and non-joiners stay: emoji
 * sequences and Persian or Indic words need them; variation selectors stay too); every run of whitespace (line breaks, Hangul
 * fillers and blank glyphs such as U+3164 and U+2800 included, with any zero-width characters among
 * them) becomes one space; trimmed. "" when nothing visible is left (only whitespace and invisible
 * characters): the caller decides what stands in for it. Runs of spaces are one space so that padding
 * cannot push the end of a file name ("invoice.pdf", 180 spaces, ".exe") out of sight.
 */
export function cleanLabel(raw: string): string {
  // Invisible ones removed before NFC, so that what they stood between composes (`e`, U+200B, U+0301 is `é`).
  const text = toWellFormed(raw)
    .replace(LABEL_INVISIBLE, "")
    .normalize("NFC")
    .replace(LABEL_BLANK, " ")
    .replace(LABEL_REMOVED, "")
    .replace(LABEL_GAP, " ")
    .trim();
  return isBlank(text) ? "" : text;
}

/**
 * Refused anywhere in a name: control, format, private-use, unassigned and surrogate code points, line
 * and paragraph separators, default-ignorable code points (zero-width characters, soft hyphen, Hangul
 * fillers, variation selectors), the blank glyphs (U+2800, U+1D159, U+16FE4: BLANK_GLYPHS) and bidi
 * controls such as U+202E: characters that are invisible or
 * reorder what is shown, so two different names could look the same (Unicode UTS #39, section 3.1
 * "General Security Profile": these are not in the identifier profile).
 */
const NAME_FORBIDDEN = new RegExp(`[\\p{Cc}\\p{Cf}\\p{Co}\\p{Cn}\\p{Cs}\\p{Zl}\\p{Zp}\\p{Default_Ignorable_Code_Point}\\p{Bidi_Control}${BLANK_GLYPHS}]`, "u");
/**
 * A dot above (U+0307) on a letter whose own dot it stands in for: i, j and the other Soft_Dotted
 * letters (other marks may come between, in NFD), or dotless ı and ȷ. It shows nothing more, so
 * "admi\u0307n" looks exactly like "admin" while their confusable skeletons (UTS #39) differ; Chromium's
 * IDN spoof checker refuses the same sequences in host names.
 */
const INVISIBLE_DOT = /[\p{Soft_Dotted}\u0131\u0237]\p{Mn}*\u0307/u;
/**
 * The same nonspacing or enclosing mark twice in a row (in NFD, where canonical reordering brings equal
 * marks together): fonts draw the second exactly over the first, so "jose\u0301\u0301" looks exactly like
 * "josé" while its skeleton differs. UTS #39, section 5.4 ("Optional Detection"): forbid sequences of
 * the same nonspacing mark.
 */
const REPEATED_MARK = /([\p{Mn}\p{Me}])\1/u;
/**
 * More than 4 nonspacing or enclosing marks in a row (in NFD): "Zalgo" text, whose stacked marks are
 * drawn over the lines above and below the name (the member list, the message before), and can hide
 * what they cover. UTS #39, section 5.4 ("Optional Detection"): forbid sequences of more than 4
 * nonspacing marks (gc=Mn or gc=Me). Real names stay far below it (Vietnamese "ễ" is e and 2 marks).
 */
const MARK_RUN = /[\p{Mn}\p{Me}]{5}/u;
/**
 * A combining mark drawn as a line over, under or through the letters (overline, low line, the stroke and
 * solidus overlays, the half marks that join across letters), left standing after NFC: "admin\u0332"
 * reads as "admin" underlined, as a link or a highlight draws it, while its UTS #39 skeleton (which keeps
 * marks) differs. A precomposed letter with such a line (ṉ, đ's stroke is a letter of its own) is not a
 * mark after NFC and stays.
 */
const LINE_MARK = /[\u0305\u0332\u0333\u033f\u0334-\u0338\u20d2\u20d3\u20e5\u20e6\u20eb\ufe20-\ufe2f]/u;
/**
 * A macron (U+0304) or a macron below (U+0331) on two adjacent letters (in NFD): the two short bars are
 * drawn as one line, and on every letter they read as "admin" overlined or underlined ("a̱ḏm̱i̱ṉ"). One
 * letter's macron is an accent (Tarō, Māori, ṉ) and stays.
 */
const JOINED_MACRONS = /([\u0304\u0331])\p{M}*\p{L}\p{M}*?\1/u;
/** A combining mark first: it attaches to whatever is shown before the name (the `@` of a mention). */
const LEADING_MARK = /^\p{M}/u;
/** A name must show something: a letter, digit, symbol or punctuation mark. */
const NAME_VISIBLE = /[\p{L}\p{N}\p{S}\p{P}]/u;

/**
 * A name as it is stored and compared: NFC, each run of spaces (any Unicode space separator) as one
 * U+0020, trimmed. Controls and line separators are left for `cleanName` to refuse.
 */
export const canonicalName = (raw: string): string =>
  raw.normalize("NFC").replace(/\p{White_Space}+/gu, (ws) => (/[\p{Cc}\p{Zl}\p{Zp}]/u.test(ws) ? ws : " ")).trim();

/** Why a name is refused: the error's message (after the name's `what`), its reason and the limit it broke. */
export interface NameRefusal {
  message: string;
  reason: ErrorReason;
  limit?: number;
}

/**
 * What is wrong with `value` as a name of at most `max` code points, or null when nothing is: the rules
 * of `cleanName`, without throwing. `value` must already be in its stored form (`canonicalName`); the
 * `@name` grammar (lib/notifications/mentions.ts) reads its names through this so that every name a
 * mention finds is one a person can have.
 */
export function nameRefusal(value: string, max: number): NameRefusal | null {
  if (/\p{Cs}/u.test(value)) return { message: "must not contain invisible or control characters", reason: "name_invisible" };
  if (value.length === 0) return { message: "must not be empty", reason: "name_empty" };
  const decomposed = value.normalize("NFD");
  if (
    NAME_FORBIDDEN.test(value) ||
    INVISIBLE_DOT.test(decomposed) ||
    REPEATED_MARK.test(decomposed) ||
    LINE_MARK.test(value) ||
    JOINED_MACRONS.test(decomposed) ||
    LEADING_MARK.test(value)
  ) {
    return { message: "must not contain invisible or control characters", reason: "name_invisible" };
  }
  if (MARK_RUN.test(decomposed)) return { message: "must not stack more than 4 marks on one character", reason: "name_marks" };
  if (!NAME_VISIBLE.test(value)) return { message: "must contain a letter, digit or symbol", reason: "name_unreadable" };
  if (countChars(value) > max) return { message: `must be at most ${max} characters`, reason: "name_too_long", limit: max };
  return null;
}

/**
 * Checks a name and returns its stored form: NFC, runs of whitespace as one space, trimmed, 1..max code
 * points, nothing invisible (see NAME_FORBIDDEN, INVISIBLE_DOT, REPEATED_MARK, LINE_MARK, JOINED_MACRONS and
 * LEADING_MARK), no more than 4 marks stacked on a character (MARK_RUN); the rules are `nameRefusal`'s.
 * Throws `bad_request` naming `what` (with a `name_…` reason, and `field` when given: the request field
 * the name came in). Uniqueness (the UTS #39 confusable skeleton) is checked by the database through
 * `nameKey`.
 */
export function cleanName(raw: unknown, what: string, max: number, field?: string): string {
  if (typeof raw !== "string") throw new AppError("bad_request", `${what} must be a string`, { field });
  // A lone surrogate is refused before canonicalName, whose normalize() would keep it.
  const value = /\p{Cs}/u.test(raw) ? raw : canonicalName(raw);
  const refusal = nameRefusal(value, max);
  if (refusal) throw new AppError("bad_request", `${what} ${refusal.message}`, { reason: refusal.reason, field, limit: refusal.limit });
  return value;
}

/**
 * `name` without the `#` (or full-width `＃`) people write before a room's name, as messages (`#general`
 * links the room) and search (`in:#general`) read it, and without the spaces that then lead it.
 */
export const withoutRoomSign = (name: string): string => name.trimStart().replace(/^[#\uFF03]+/u, "").trimStart();

/** Room names that cannot be URL path segments (`/rooms/.` would resolve to `/rooms/`). */
const RESERVED_ROOM_NAMES = new Set([".", ".."]);

/** A room name: `cleanName` with at most 64 code points; `.` and `..` are reserved. */
export function cleanRoomName(raw: unknown): string {
  const name = cleanName(raw, "room name", 64);
  if (RESERVED_ROOM_NAMES.has(name)) throw new AppError("bad_request", `"${name}" is reserved and cannot be a room name`, { reason: "name_reserved" });
  return name;
}

/** A display name (accounts, guests, bots): `cleanName` with at most 32 code points; it comes as the field `name`. */
export const cleanDisplayName = (raw: unknown): string => cleanName(raw, "name", 32, "name");

/**
 * The refusal of a new person's name with a letter outside UTS #39's identifier profile as tailored for
 * names (`inIdentifierProfile`, lib/text/scripts.ts: small capitals such as `ᴀ`, IPA letters):
 * `bad_request`, reason `name_restricted_letters`, field `name`.
 */
export const restrictedLettersRefused = (): AppError =>
  new AppError("bad_request", "name must not use technical or obsolete letters (such as small capitals) that imitate ordinary ones", {
    reason: "name_restricted_letters",
    field: "name",
  });

/**
 * The refusal of a new person's name (account, guest, bot), or of a word of a new room's name, that mixes
 * scripts beyond UTS #39's Moderately Restrictive level (`isModeratelyRestrictive`, lib/text/scripts.ts): `bad_request`, reason
 * `name_mixed_scripts`, field `name`.
 */
export const mixedScriptsRefused = (): AppError =>
  new AppError("bad_request", "name must not mix scripts whose letters look alike (such as Latin with Cyrillic or Greek)", { reason: "name_mixed_scripts", field: "name" });
