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
  const preferred = typeof navigator === "undefined" ? "" : navigator.language ?? "";
  return preferred.toLowerCase().startsWith("ja") ? "ja" : "en";
}

/** The server cannot know the browser's choice, so it (and hydration) always renders English first. */
export const serverLang = (): Lang => "en";

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
