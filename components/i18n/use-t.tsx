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
import { isolate } from "@/lib/text/unicode";

export type { Text, TextKey, TextParams };

const DICTIONARIES: Record<Lang, Record<TextKey, string>> = {
  en: { ...en, ...adminEn },
  ja: { ...ja, ...adminJa },
};

export type Translate = {
  (key: TextKey, params?: TextParams): string;
  /** Resolves a deferred `Text`. */
  text(value: Text): string;
  /**
   * For accessible names only (`aria-label`): values go in without isolates. Speech follows logical
   * order, so nothing can be reordered, and the name stays what a person would say.
   */
  label(key: TextKey, params?: TextParams): string;
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

/**
 * The sentence for `key` with its values filled in. Every string value (a name, a room, a message) is
 * wrapped in FSI…PDI isolates (Unicode UAX #9), so a right-to-left name or a stray U+202E cannot
 * reorder the sentence around it; numbers are ours and go in as they are.
 */
export function translate(lang: Lang, key: TextKey, params?: TextParams, isolated = true): string {
  const template = DICTIONARIES[lang][key] ?? DICTIONARIES.en[key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    if (!(name in params)) return whole;
    const value = params[name];
    return typeof value === "string" && isolated ? isolate(value) : String(value);
  });
}

export function makeTranslate(lang: Lang): Translate {
  const t = ((key: TextKey, params?: TextParams) => translate(lang, key, params)) as Translate;
  t.text = (value) => (typeof value === "string" ? value : translate(lang, value.key, value.params));
  t.label = (key, params) => translate(lang, key, params, false);
  t.lang = lang;
  return t;
}

/** One function per language, so components can list `t` in effect dependencies without churn. */
const BY_LANG: Record<Lang, Translate> = { en: makeTranslate("en"), ja: makeTranslate("ja") };

export function useT(): Translate {
  return BY_LANG[useLang()];
}
