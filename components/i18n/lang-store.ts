/**
 * Which language the UI speaks: the user's explicit choice (localStorage `hibiki.lang`) or else the
 * browser's preference. A tiny external store so every component re-renders when it changes, in this tab
 * and (through the storage event) in the others.
 */
export const LANGS = ["en", "ja"] as const;
export type Lang = (typeof LANGS)[number];

const KEY = "hibiki.lang";
const listeners = new Set<() => void>();

const isLang = (value: unknown): value is Lang => LANGS.includes(value as Lang);

export function detectLang(): Lang {
  try {
    const stored = window.localStorage.getItem(KEY);
    if (isLang(stored)) return stored;
  } catch {
    // Storage can throw in private browsing; fall back to the browser's language.
  }
  return browserLang(typeof navigator === "undefined" ? [] : navigator.languages?.length ? navigator.languages : [navigator.language ?? ""]);
}

/**
 * The first of the browser's languages (`navigator.languages`, most preferred first: what it sends as
 * Accept-Language) that the UI speaks, else English: the choice the server makes from that header for
 * the page's first render (lib/http/reader-lang.ts `langOf`), so a browser listing French, then Japanese
 * gets Japanese from both, not a Japanese page that turns English as it hydrates.
 */
export function browserLang(preferred: readonly string[]): Lang {
  for (const tag of preferred) {
    const base = primaryLanguage(tag);
    if (isLang(base)) return base;
  }
  return "en";
}

/** A language tag's primary language subtag, lowercase (BCP 47: "ja" of "ja-JP", "en" of "EN-gb"). */
export const primaryLanguage = (tag: string): string => tag.toLowerCase().split("-")[0];

export function saveLang(lang: Lang): void {
  try {
    window.localStorage.setItem(KEY, lang);
  } catch {
    // Not remembering is acceptable: the choice still applies to this page.
  }
  listeners.forEach((l) => l());
}

export function subscribeLang(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener("storage", listener);
  window.addEventListener("languagechange", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", listener);
    window.removeEventListener("languagechange", listener);
  };
}
