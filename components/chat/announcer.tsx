"use client";
/**
 * The chat's one polite announcer, for the outcome of an action that shows nowhere near the focus or
 * not at all (WCAG 4.1.3 Status Messages): a reaction added or taken away, a shortcut that found nothing
 * to go to. `useAnnounce()` gives `announce(text)`; each call adds a sentence to a visually hidden live
 * region that is in the page from the start (a region inserted together with its text is often not read),
 * so the same sentence twice in a row is read twice.
 *
 * Not for what happens inside a modal dialog: the page behind one is inert, its live regions included.
 * A dialog keeps its own `role="status"` (the room switcher, the search panel).
 */
import { createContext, use, useCallback, useRef, useState, type ReactNode } from "react";

/** Sentences kept in the region; older ones are dropped (removals are not spoken). */
const KEEP = 5;

type Announce = (text: string) => void;

// Outside a provider (a component rendered on its own) announcing does nothing.
const AnnounceContext = createContext<Announce>(() => undefined);

/** `announce(text)`: says `text` politely, once. */
export const useAnnounce = (): Announce => use(AnnounceContext);

export function AnnouncerProvider({ children }: { children: ReactNode }) {
  const [lines, setLines] = useState<{ key: number; text: string }[]>([]);
  const next = useRef(0);
  const announce = useCallback((text: string) => {
    const key = next.current++;
    setLines((list) => [...list, { key, text }].slice(-KEEP));
  }, []);
  return (
    <AnnounceContext value={announce}>
      {children}
      <div className="visually-hidden chat-announcer" aria-live="polite" aria-relevant="additions" aria-atomic="false">
        {lines.map((l) => (
          <p key={l.key}>{l.text}</p>
        ))}
      </div>
    </AnnounceContext>
  );
}
