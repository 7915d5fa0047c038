/** Local-time formatting for message timestamps (ISO-8601 UTC on the wire). */
import { text, type Text } from "@/components/i18n/text";

export function formatClock(iso: string): string {
  return new Date(iso).toLocaleTimeString(undefined, { hour: "numeric", minute: "2-digit" });
}

export function formatFull(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: "full", timeStyle: "short" });
}

/** Local calendar day, for "Today" / "Yesterday" dividers. */
export function dayKey(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;
}

export function formatDay(iso: string, now: Date = new Date()): Text {
  const key = dayKey(iso);
  if (key === dayKey(now.toISOString())) return text("day.today");
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  if (key === dayKey(yesterday.toISOString())) return text("day.yesterday");
  const sameYear = new Date(iso).getFullYear() === now.getFullYear();
  return new Date(iso).toLocaleDateString(undefined, {
    weekday: "long", month: "long", day: "numeric", ...(sameYear ? {} : { year: "numeric" }),
  });
}
