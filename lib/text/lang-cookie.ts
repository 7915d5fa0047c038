/**
 * The cookies in which the web client keeps the language its UI speaks and the reader's time zone
 * (components/i18n/html-lang.tsx), so that the server's render of a page (app/layout.tsx) speaks that
 * language and writes times in that zone, and what the server itself answers without the app (the plain
 * 400 of a malformed address: lib/http/reader-lang.ts) speaks it too: the reader's choice lives in the
 * browser's storage and their zone in the browser, which the server cannot read. A leaf module, shared by both.
 */
export const LANG_COOKIE = "hibiki_lang";

/** The reader's IANA time zone (`Asia/Tokyo`), as their browser's Intl reports it. */
export const TIME_ZONE_COOKIE = "hibiki_tz";
