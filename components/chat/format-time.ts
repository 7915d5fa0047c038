/** Local-time formatting for message timestamps (ISO-8601 UTC on the wire). */
import { use, useSyncExternalStore } from "react";
import { text, type Text } from "@/components/i18n/text";
import { useLang } from "@/components/i18n/use-t";
import { timeLocale } from "@/lib/text/clock";
import { ServedClockContext, type Clock } from "./served-clock";

export type { Clock } from "./served-clock";

const CLOCKS = new Map<string, Clock>();
/** One clock object per locale, so lists that memoise on the clock keep their rows. */
const clockIn = (locale: string): Clock => CLOCKS.get(locale) ?? (CLOCKS.set(locale, { locale }), CLOCKS.get(locale)!);

const never = () => () => {};
/**
 * The served clock (served-clock.tsx: the server's render and hydration write times alike) while
 * rendering on the server and hydrating; from then on the UI language's locale (see timeLocale) and the
 * reader's time zone, following any change of language.
 */
export function useClock(): Clock {
  const lang = useLang();
  const served = use(ServedClockContext);
  const hydrated = useSyncExternalStore(never, () => true, () => false);
  return hydrated ? clockIn(timeLocale(lang)) : served;
}

export function formatClock(iso: string, clock: Clock): string {
  return new Date(iso).toLocaleTimeString(clock.locale, { hour: "numeric", minute: "2-digit", timeZone: clock.timeZone });
}

export function formatFull(iso: string, clock: Clock): string {
  return new Date(iso).toLocaleString(clock.locale, { dateStyle: "full", timeStyle: "short", timeZone: clock.timeZone });
}

const DAY_FORMATS = new Map<string, Intl.DateTimeFormat>();

/** Year, month (1–12) and day of the month of `d` in time zone `timeZone` (undefined: the runtime's own). */
function calendarDate(d: Date, timeZone: string | undefined): [number, number, number] {
  if (timeZone === undefined) return [d.getFullYear(), d.getMonth() + 1, d.getDate()];
  let format = DAY_FORMATS.get(timeZone);
  if (!format) DAY_FORMATS.set(timeZone, (format = new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "numeric", day: "numeric" })));
  const parts = format.formatToParts(d);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return [part("year"), part("month"), part("day")];
}

/** Calendar day in the clock's time zone, for "Today" / "Yesterday" dividers. */
export function dayKey(iso: string, clock: Clock): string {
  return calendarDate(new Date(iso), clock.timeZone).join("-");
}

export function formatDay(iso: string, now: Date, clock: Clock): Text {
  const key = dayKey(iso, clock);
  if (key === dayKey(now.toISOString(), clock)) return text("day.today");
  // The day before today's date in that zone (a calendar step: a day of 23 or 25 hours changes nothing).
  const [y, m, d] = calendarDate(now, clock.timeZone);
  const before = new Date(Date.UTC(y, m - 1, d - 1));
  if (key === [before.getUTCFullYear(), before.getUTCMonth() + 1, before.getUTCDate()].join("-")) return text("day.yesterday");
  const sameYear = calendarDate(new Date(iso), clock.timeZone)[0] === calendarDate(now, clock.timeZone)[0];
  return new Date(iso).toLocaleDateString(clock.locale, {
    weekday: "long", month: "long", day: "numeric", ...(sameYear ? {} : { year: "numeric" }), timeZone: clock.timeZone,
  });
}
