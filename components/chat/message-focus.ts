"use client";
/**
 * Roving focus over a list of messages (WAI-ARIA APG's roving tabindex, as Slack and Discord do): the
 * list is one Tab stop, its current message (the newest until another one has had the focus); ↑/↓ move
 * to the previous / next message, Home / End to the first / last one loaded. A message's controls (its
 * actions, reaction chips, links, files) are in the Tab order only while it is the current one: Tab goes
 * from the message into its controls, then out of the list. Messages stay list items of the log, each
 * named by its author, text and time when it has the focus.
 */
import { createContext, use, useState, type FocusEvent, type KeyboardEvent } from "react";

/** True inside a message that is not its list's current one: its controls are out of the Tab order. */
export const OffStop = createContext(false);

/** The tabIndex of a control inside a message: -1 while the message is not its list's current one. */
export function useControlTabIndex(): -1 | undefined {
  return use(OffStop) ? -1 : undefined;
}

/**
 * For a list of messages whose items carry `data-key` (MessageItem with `tab`), `keys` oldest first:
 * the current message's key (`found`, a message a link or search result opened, becomes it when it
 * changes), and the handlers for the list element (`<ol>`).
 */
export function useMessageFocus(keys: readonly string[], found?: string | null) {
  const [chosen, setChosen] = useState<string | null>(null);
  const [lastFound, setLastFound] = useState(found);
  if (found !== lastFound) {
    setLastFound(found);
    if (found) setChosen(found);
  }
  const current = chosen !== null && keys.includes(chosen) ? chosen : keys[keys.length - 1];
  const listProps = {
    // Focus anywhere in a message (a click, a control, an edit box) makes it the current one.
    onFocus(e: FocusEvent<HTMLElement>) {
      const key = (e.target as Element).closest<HTMLElement>("[data-key]")?.dataset.key;
      if (key) setChosen(key);
    },
    onKeyDown(e: KeyboardEvent<HTMLElement>) {
      // Only on a message itself (a control or the edit box inside it keeps its keys), and no Alt+↑ (rooms).
      const key = e.key;
      if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || !/^(ArrowUp|ArrowDown|Home|End)$/.test(key)) return;
      const items = Array.from(e.currentTarget.querySelectorAll<HTMLElement>(":scope > [data-key]"));
      const index = items.indexOf(e.target as HTMLElement);
      const next = index < 0 ? undefined : items[key === "Home" ? 0 : key === "End" ? items.length - 1 : key === "ArrowUp" ? index - 1 : index + 1];
      if (!next) return;
      e.preventDefault();
      next.focus();
    },
  };
  return { current, listProps };
}
