/**
 * The language of the server's own short answers to a browser and of the pages it renders (the web
 * client's languages, components/i18n/lang-store.ts): the one its UI last spoke (LANG_COOKIE), else the
 * best of the request's Accept-Language, else English, as the web client falls back to the browser's language.
 */
import type { Request, Response } from "express";
import { parse as parseCookie } from "cookie";
import Negotiator from "negotiator";
import { LANG_COOKIE } from "../text/lang-cookie";

export const READER_LANGS = ["en", "ja"] as const;
export type ReaderLang = (typeof READER_LANGS)[number];

/** A sentence of the server's in every language the web client speaks. */
export type ReaderText = Record<ReaderLang, string>;

/** The plain-text answer to a page address whose %-escapes do not decode (lib/http/app.ts's finishPages). */
export const MALFORMED_ADDRESS: ReaderText = {
  en: "Bad Request: malformed address",
  ja: "不正なリクエスト: アドレスの形式が正しくありません",
};

const isReaderLang = (value: unknown): value is ReaderLang => READER_LANGS.includes(value as ReaderLang);

/**
 * The reader's language from a request's `Cookie` and `Accept-Language` headers (absent: undefined or
 * null): LANG_COOKIE when it names one of READER_LANGS, else the one the request prefers most (RFC 9110
 * §12.5.4, q-values; `ja-JP` matches `ja`, as the negotiator Express uses matches it), else English.
 * Shared by the server's plain answers and the pages' first render (app/layout.tsx).
 */
export function langOf(cookieHeader: string | null | undefined, acceptLanguage: string | null | undefined): ReaderLang {
  const cookie = cookieHeader ? parseCookie(cookieHeader)[LANG_COOKIE] : undefined;
  if (isReaderLang(cookie)) return cookie;
  if (!acceptLanguage) return "en";
  const accepted = new Negotiator({ headers: { "accept-language": acceptLanguage } }).language([...READER_LANGS]);
  return isReaderLang(accepted) ? accepted : "en";
}

/**
 * The language tags of an `Accept-Language` header, most preferred first (RFC 9110 §12.5.4: by q-value,
 * then in the order given; `q=0` ones left out): what a browser's `navigator.languages` lists.
 */
export function preferredLanguages(acceptLanguage: string | null | undefined): string[] {
  return acceptLanguage ? new Negotiator({ headers: { "accept-language": acceptLanguage } }).languages() : [];
}

/** The language to answer `req` in (see the module's comment). */
export function readerLang(req: Request): ReaderLang {
  return langOf(req.headers.cookie, req.headers["accept-language"]);
}

/**
 * Sends `text` as plain text in the reader's language, saying which (Content-Language) and that the
 * answer depends on what the request said of it (Vary), so no cache hands one reader's to another.
 */
export function sendReaderText(req: Request, res: Response, text: ReaderText): void {
  const lang = readerLang(req);
  res.vary("Accept-Language").vary("Cookie").setHeader("Content-Language", lang);
  res.type("text/plain").send(text[lang]);
}
