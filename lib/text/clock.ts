/**
 * How a reader's times are written, decided alike by the browser (components/chat/format-time.ts) and
 * by the server's render of a page (app/layout.tsx, from the request's Accept-Language and the time
 * zone cookie). No React: a leaf module, shared by both.
 */
import { primaryLanguage, type Lang } from "@/components/i18n/lang-store";

/**
 * The locale times are written in for a UI speaking `lang`: the browser's own variant of that language
 * when it prefers one (`en-GB` writes 14:05, `en-US` 2:05 PM), else the language itself. Never a language
 * the UI does not speak: an English browser with the UI in Japanese writes 14時05分, not 2:05 PM. A tag
 * Intl refuses is passed over (isUsableLocale).
 */
export function timeLocale(lang: Lang, preferred: readonly string[] = typeof navigator === "undefined" ? [] : navigator.languages ?? []): string {
  return preferred.find((tag) => primaryLanguage(tag) === lang && isUsableLocale(tag)) ?? lang;
}

/**
 * Whether Intl takes `tag` as a locale: a request's Accept-Language (or a browser's list) may hold tags
 * it refuses with a RangeError ("ja-JP-mac", "en-GB-oed", "i-klingon", "en-x"), which would make every
 * time written on the page throw; those are passed over.
 */
function isUsableLocale(tag: string): boolean {
  try {
    new Intl.DateTimeFormat(tag);
    return true;
  } catch {
    return false;
  }
}

/**
 * `timeZone` if it names a time zone this runtime's Intl knows (IANA, `Asia/Tokyo`; at most 64
 * characters), else undefined. For a zone a request says it is in (a cookie), never trusted unchecked.
 */
export function knownTimeZone(timeZone: string | undefined): string | undefined {
  if (!timeZone || timeZone.length > 64) return undefined;
  try {
    return new Intl.DateTimeFormat("en", { timeZone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}
