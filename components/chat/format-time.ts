/** Local-time formatting for message timestamps (ISO-8601 UTC on the wire). */
import { useSyncExternalStore } from "react";
import type { Lang } from "@/components/i18n/lang-store";
import { text, type Text } from "@/components/i18n/text";
import { useLang } from "@/components/i18n/use-t";

/**
 * How times are written: in a locale (Intl, BCP 47) and the reader's own time zone (undefined) or UTC.
 * The server cannot know the reader's time zone, so a server-rendered page (and its hydration, which must
 * produce the same markup) writes them in English and UTC; the reader's own follow right after hydration.
 */
export type Clock = { locale?: string; timeZone?: "UTC" };

/** The clock of the server render and of hydration. */
export const PAGE_CLOCK: Clock = { locale: "en", timeZone: "UTC" };

/**
 * The locale times are written in for a UI speaking `lang`: the browser's own variant of that language
 * when it prefers one (`en-GB` writes 14:05, `en-US` 2:05 PM), else the language itself. Never a language
 * the UI does not speak: an English browser with the UI in Japanese writes 14時05分, not 2:05 PM.
 */
export function timeLocale(lang: Lang, preferred: readonly string[] = typeof navigator === "undefined" ? [] : navigator.languages ?? []): string {
  return preferred.find((tag) => tag.toLowerCase().split("-")[0] === lang) ?? lang;
}

const CLOCKS = new Map<string, Clock>();
/** One clock object per locale, so lists that memoise on the clock keep their rows. */
const clockIn = (locale: string): Clock => CLOCKS.get(locale) ?? (CLOCKS.set(locale, { locale }), CLOCKS.get(locale)!);

const never = () => () => {};
/**
 * PAGE_CLOCK while rendering on the server and hydrating; from then on the UI language's locale (see
 * timeLocale) and the reader's time zone, following any change of language.
 */
export function useClock(): Clock {
  const lang = useLang();
  const hydrated = useSyncExternalStore(never, () => true, () => false);
  return hydrated ? clockIn(timeLocale(lang)) : PAGE_CLOCK;
}

export function formatClock(iso: string, clock: Clock): string {
  return new Date(iso).toLocaleTimeString(clock.locale, { hour: "numeric", minute: "2-digit", timeZone: clock.timeZone });
}

export function formatFull(iso: string, clock: Clock): string {
  return new Date(iso).toLocaleString(clock.locale, { dateStyle: "full", timeStyle: "short", timeZone: clock.timeZone });
}

/** Calendar day in the clock's time zone, for "Today" / "Yesterday" dividers. */
export function dayKey(iso: string, clock: Clock): string {
  const d = new Date(iso);
  if (clock.timeZone === "UTC") return `${d.getUTCFullYear()}-${d.getUTCMonth() + 1}-${d.getUTCDate()}`;
  return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;
}

export function formatDay(iso: string, now: Date, clock: Clock): Text {
  const key = dayKey(iso, clock);
  if (key === dayKey(now.toISOString(), clock)) return text("day.today");
  const yesterday = new Date(now);
  if (clock.timeZone === "UTC") yesterday.setUTCDate(now.getUTCDate() - 1);
  else yesterday.setDate(now.getDate() - 1);
  if (key === dayKey(yesterday.toISOString(), clock)) return text("day.yesterday");
  const year = (d: Date) => (clock.timeZone === "UTC" ? d.getUTCFullYear() : d.getFullYear());
  const sameYear = year(new Date(iso)) === year(now);
  return new Date(iso).toLocaleDateString(clock.locale, {
    weekday: "long", month: "long", day: "numeric", ...(sameYear ? {} : { year: "numeric" }), timeZone: clock.timeZone,
  });
}
