/**
 * A page's `<title>` (its own part; app/layout.tsx's template adds " · Hibiki") in the language the page
 * is rendered in (the reader's: lib/http/reader-lang.ts `langOf`), so the tab, the history and a screen
 * reader's first words are not English on a Japanese page until the app has hydrated and retitled it
 * (components/page-title.ts's useDocumentTitle, which keeps doing so at every change of language).
 */
import type { Metadata } from "next";
import { headers } from "next/headers";
import { jaDictionary } from "@/components/i18n/ja-dictionary";
import type { DictionaryKey } from "@/components/i18n/text";
import { langOf, type ReaderLang } from "@/lib/http/reader-lang";
import { PAGE_TITLES, type TitledPage } from "./page-titles";

/** The language this request's page is rendered in (see `langOf`): the root layout's and its title's. */
export async function requestLang(): Promise<ReaderLang> {
  const request = await headers();
  return langOf(request.get("cookie"), request.get("accept-language"));
}

/** The metadata of `page` (see PAGE_TITLES): its title in the language the page is rendered in. */
export async function servedTitle(page: TitledPage): Promise<Metadata> {
  const [key, english] = PAGE_TITLES[page];
  const lang = await requestLang();
  const ja = (jaDictionary as Partial<Record<DictionaryKey, string>>)[key];
  return { title: lang === "ja" && ja ? ja : english };
}
