"use client";
/**
 * `useT()` returns the translate function for the current language. A `<LangProvider lang>` pins the
 * language (tests, previews); without one the user's choice or the browser's language decides.
 */
import { createContext, use, useSyncExternalStore, type ReactNode } from "react";
import { adminEn } from "./admin-en";
import { adminJa } from "./admin-ja";
import { en } from "./en";
import { ja } from "./ja";
import { detectLang, serverLang, subscribeLang, type Lang } from "./lang-store";
import type { Text, TextKey, TextParams } from "./text";

export type { Text, TextKey, TextParams };

const DICTIONARIES: Record<Lang, Record<TextKey, string>> = {
  en: { ...en, ...adminEn },
  ja: { ...ja, ...adminJa },
};

export type Translate = {
  (key: TextKey, params?: TextParams): string;
  /** Resolves a deferred `Text`. */
  text(value: Text): string;
  lang: Lang;
};

const PinnedLang = createContext<Lang | null>(null);

export function LangProvider({ lang, children }: { lang: Lang; children: ReactNode }) {
  return <PinnedLang value={lang}>{children}</PinnedLang>;
}

export function useLang(): Lang {
  const pinned = use(PinnedLang);
  const chosen = useSyncExternalStore(subscribeLang, detectLang, serverLang);
  return pinned ?? chosen;
}

export function translate(lang: Lang, key: TextKey, params?: TextParams): string {
  const template = DICTIONARIES[lang][key] ?? DICTIONARIES.en[key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function makeTranslate(lang: Lang): Translate {
  const t = ((key: TextKey, params?: TextParams) => translate(lang, key, params)) as Translate;
  t.text = (value) => (typeof value === "string" ? value : translate(lang, value.key, value.params));
  t.lang = lang;
  return t;
}

/** One function per language, so components can list `t` in effect dependencies without churn. */
const BY_LANG: Record<Lang, Translate> = { en: makeTranslate("en"), ja: makeTranslate("ja") };

export function useT(): Translate {
  return BY_LANG[useLang()];
}
