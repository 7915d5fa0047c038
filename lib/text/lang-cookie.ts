/**
 * The cookie in which the web client keeps the language its UI speaks (components/i18n/html-lang.tsx),
 * so that what the server itself answers without the app (the plain 400 of a malformed address:
 * lib/http/reader-lang.ts) speaks it too: the reader's choice lives in the browser's storage, which the
 * server cannot read. A leaf module, shared by both.
 */
export const LANG_COOKIE = "hibiki_lang";
