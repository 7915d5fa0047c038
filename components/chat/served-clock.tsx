"use client";
/**
 * The clock the server wrote a page's times with (app/layout.tsx): the UI language's locale as the
 * reader's browser prefers it and the reader's time zone when their browser has told it (its cookie),
 * else UTC. The hydrating browser writes them with the same clock (format-time.ts's useClock), so the two
 * renders match, and its own right after: the same unless the reader moved zone since.
 */
import { createContext, type ReactNode } from "react";

/**
 * How times are written: in a locale (Intl, BCP 47) and a time zone (IANA; undefined: the reader's own,
 * as the browser knows it).
 */
export type Clock = { locale?: string; timeZone?: string };

/** The clock of a render that knows nothing of the reader: English, UTC. */
export const PAGE_CLOCK: Clock = { locale: "en", timeZone: "UTC" };

export const ServedClockContext = createContext<Clock>(PAGE_CLOCK);

export function ServedClock({ clock, children }: { clock: Clock; children: ReactNode }) {
  return <ServedClockContext value={clock}>{children}</ServedClockContext>;
}
