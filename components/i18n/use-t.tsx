"use client";
/**
 * `useT()` returns the translate function for the current language. A `<LangProvider lang>` pins the
 * language (tests, previews); without one the user's choice or the browser's language decides.
 */
import { createContext, use, useEffect, useSyncExternalStore, type ReactNode } from "react";
import { en } from "./en";
import { detectLang, subscribeLang, type Lang } from "./lang-store";
import type { Text, TextKey, TextParams } from "./text";
import { isolate } from "@/lib/text/isolate";
// chunk-load.tsx imports this module too: loadChunk is only called once a dictionary is asked for, after both have loaded.
import { loadChunk } from "@/components/chat/chunk-load";

export type { Text, TextKey, TextParams };

/** Key → template; a text with plural forms has one key per form (`file.list.one`, `file.list.other`). */
type Dictionary = Partial<Record<string, string>>;

/**
 * The dictionaries loaded so far. English is the reference (and what the server renders), so it is
 * always here (groups of keys that some pages use arrive with those pages, see `addEnglish`); any other
 * language is a chunk of its own, fetched when the UI first speaks it (the first load carries one language,
 * not all of them). A key missing from a dictionary falls back to English.
 */
const DICTIONARIES: { en: Dictionary } & Partial<Record<Lang, Dictionary>> = { en: { ...en } as Dictionary };
const LOADERS: Record<Exclude<Lang, "en">, () => Promise<Dictionary>> = {
  // Through loadChunk: a dictionary that will not load says so (the chunk-load bar), not nothing at all.
  ja: () => loadChunk(() => import("./ja-dictionary")).then((m) => m.jaDictionary),
};
const loading = new Map<Lang, Promise<void>>();
const loadListeners = new Set<() => void>();

/** Fetches `lang`'s dictionary (once; again after a failure); components re-render in it when it is here. */
export function loadLang(lang: Lang): Promise<void> {
  if (lang === "en" || DICTIONARIES[lang]) return Promise.resolve();
  let pending = loading.get(lang);
  if (!pending) {
    pending = LOADERS[lang]().then((dictionary) => {
      DICTIONARIES[lang] = dictionary;
      loadListeners.forEach((l) => l());
    });
    pending.catch(() => loading.delete(lang));
    loading.set(lang, pending);
  }
  return pending;
}

/**
 * Adds a group of English strings kept out of the common dictionary (en.ts) and returns it unchanged:
 * each `<group>-strings.ts` (admin, auth, settings, keys, search, thread) calls it at module level, and
 * every module that uses one of the group's keys imports that file for its effect, so the strings arrive
 * with the code that shows them and only the pages that use them carry them. `strings` maps keys to
 * templates (`{name}` marks a value). Groups do not share keys (tests/components/i18n/split-strings.test.ts).
 */
export function addEnglish<const S extends Readonly<Record<string, string>>>(strings: S): S {
  Object.assign(DICTIONARIES.en, strings);
  return strings;
}

function subscribeLoads(listener: () => void): () => void {
  loadListeners.add(listener);
  return () => loadListeners.delete(listener);
}

export type Translate = {
  (key: TextKey, params?: TextParams): string;
  /** Resolves a deferred `Text`. */
  text(value: Text): string;
  /**
   * For accessible names only (`aria-label`): values go in without isolates. Speech follows logical
   * order, so nothing can be reordered, and the name stays what a person would say.
   */
  label(key: TextKey, params?: TextParams): string;
  /**
   * `parts` as one list, punctuated as the language does ("general, private, 2 online"; Japanese
   * "general、非公開、2 人がオンライン"), for a name or a spoken sentence made of parts. Built as one string:
   * parts in elements of their own are read with stray spaces ("general , private") in Chromium,
   * which separates a visually hidden (absolutely positioned) element by a space.
   */
  list(parts: readonly string[]): string;
  lang: Lang;
};

const PinnedLang = createContext<Lang | null>(null);

/**
 * The language the server rendered the page in (app/layout.tsx: the reader's LANG_COOKIE, else their
 * Accept-Language): what the server's render and the browser's hydrating render both speak, so they
 * match; the browser's own choice (detectLang) takes over right after, and is the same one unless the
 * choice changed in another tab since.
 */
const ServedLangContext = createContext<Lang>("en");

/**
 * Renders `children` in `lang` from the server's render on (see ServedLangContext). `dictionary`: that
 * language's whole dictionary when it is not English, sent with the page so that the first render needs
 * no chunk (the server's render and the hydrating browser's take it here, before any child renders).
 */
export function ServedLang({ lang, dictionary, children }: { lang: Lang; dictionary?: Dictionary; children: ReactNode }) {
  if (lang !== "en" && dictionary && !DICTIONARIES[lang]) DICTIONARIES[lang] = dictionary;
  return <ServedLangContext value={lang}>{children}</ServedLangContext>;
}

export function LangProvider({ lang, children }: { lang: Lang; children: ReactNode }) {
  return <PinnedLang value={lang}>{children}</PinnedLang>;
}

/** The language the UI speaks now: the chosen one once its dictionary is here, English until then. */
export function useLang(): Lang {
  const pinned = use(PinnedLang);
  const served = use(ServedLangContext);
  const chosen = useSyncExternalStore(subscribeLang, detectLang, () => served);
  const wanted = pinned ?? chosen;
  // The first render (server, hydration) has the served language's dictionary (ServedLang), and English.
  const ready = useSyncExternalStore(subscribeLoads, () => !!DICTIONARIES[wanted], () => wanted === "en" || (wanted === served && !!DICTIONARIES[wanted]));
  useEffect(() => {
    // A failed fetch leaves the UI in English; the next change of language tries again.
    if (!ready) loadLang(wanted).catch(() => undefined);
  }, [wanted, ready]);
  return ready ? wanted : "en";
}

const PLURAL_RULES: Partial<Record<Lang, Intl.PluralRules>> = {};

/** `lang`'s form of the text `key` for the number `count`: the one of its plural category, else `other`. */
function pluralForm(lang: Lang, key: string, count: number): string | undefined {
  const forms = DICTIONARIES[lang];
  const category = (PLURAL_RULES[lang] ??= new Intl.PluralRules(lang)).select(count);
  return forms?.[`${key}.${category}`] ?? forms?.[`${key}.other`];
}

/**
 * The sentence for `key` with its values filled in. Every string value (a name, a room, a message) is
 * wrapped in FSI…PDI isolates (Unicode UAX #9), so a right-to-left name or a stray U+202E cannot
 * reorder the sentence around it; numbers are ours and go in as they are. A text with plural forms
 * (`key.one`, `key.other`, … CLDR's categories) is chosen by the number `params.count`, with the
 * language's rules (Intl.PluralRules: "1 reply", "2 replies"; Japanese has one form for all).
 */
export function translate(lang: Lang, key: TextKey, params?: TextParams, isolated = true): string {
  const count = params?.count;
  const template =
    (typeof count === "number" ? (pluralForm(lang, key, count) ?? pluralForm("en", key, count)) : undefined) ??
    DICTIONARIES[lang]?.[key] ?? DICTIONARIES.en[key] ?? key;
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
  // CLDR's narrow "and" list has no conjunction: a comma (English), an ideographic comma (Japanese).
  const lists = new Intl.ListFormat(lang, { type: "conjunction", style: "narrow" });
  t.list = (parts) => lists.format(parts);
  t.lang = lang;
  return t;
}

/** One function per language, so components can list `t` in effect dependencies without churn. */
const BY_LANG: Record<Lang, Translate> = { en: makeTranslate("en"), ja: makeTranslate("ja") };

export function useT(): Translate {
  return BY_LANG[useLang()];
}
