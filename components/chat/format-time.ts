/** Local-time formatting for message timestamps (ISO-8601 UTC on the wire). */
import { useSyncExternalStore } from "react";
import { text, type Text } from "@/components/i18n/text";

/**
 * How times are written: the reader's own locale and time zone (both undefined), or pinned ones. The
 * server cannot know the reader's, so a server-rendered page (and its hydration, which must produce the
 * same markup) writes them in English and UTC; the reader's own follow right after hydration.
 */
export type Clock = { locale?: string; timeZone?: "UTC" };

export const LOCAL_CLOCK: Clock = {};
/** The clock of the server render and of hydration. */
export const PAGE_CLOCK: Clock = { locale: "en", timeZone: "UTC" };

const never = () => () => {};
/** PAGE_CLOCK while rendering on the server and hydrating, LOCAL_CLOCK from then on. */
export function useClock(): Clock {
  return useSyncExternalStore(never, () => LOCAL_CLOCK, () => PAGE_CLOCK);
}

export function formatClock(iso: string, clock: Clock = LOCAL_CLOCK): string {
  return new Date(iso).toLocaleTimeString(clock.locale, { hour: "numeric", minute: "2-digit", timeZone: clock.timeZone });
}

export function formatFull(iso: string, clock: Clock = LOCAL_CLOCK): string {
  return new Date(iso).toLocaleString(clock.locale, { dateStyle: "full", timeStyle: "short", timeZone: clock.timeZone });
}

/** Calendar day in the clock's time zone, for "Today" / "Yesterday" dividers. */
export function dayKey(iso: string, clock: Clock = LOCAL_CLOCK): string {
  const d = new Date(iso);
  if (clock.timeZone === "UTC") return `${d.getUTCFullYear()}-${d.getUTCMonth() + 1}-${d.getUTCDate()}`;
  return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;
}

export function formatDay(iso: string, now: Date = new Date(), clock: Clock = LOCAL_CLOCK): Text {
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
