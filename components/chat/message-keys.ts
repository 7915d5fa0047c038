"use client";
/**
 * The keys of a list of messages with roving focus (message-focus.tsx), a chunk of its own: ↑/↓ move the
 * focus to the previous / next message (from a wide table's box in one too), Home / End to the first / last
 * one, Esc from a message's control back to the message; focus going anywhere into a
 * message (Tab, a click, a control, an edit box) makes it the list's current one; so does `foundId` (a
 * message a link or search result opened, which also takes the focus) when it changes; a new message
 * while the focus is outside the list (in the composer, say) makes the newest the current one again.
 * Renders nothing.
 */
import { useEffect, useRef, type RefObject } from "react";
import { escapeToMessage, WIDE_TABLE } from "./escape-to-message";
import { revealActions } from "./reveal-actions";

type Props = {
  list: RefObject<HTMLElement | null>;
  /** Keys of the list's newest and oldest messages; id of the found one (if any, maybe not loaded yet). */
  newest?: string;
  oldest?: string;
  foundId?: string | null;
  /** Which opening of the found message this is: each one takes the focus again (the same result twice). */
  foundAt?: number;
  /** Makes the message with this key the current one (null: the newest). */
  onCurrent(key: string | null): void;
};

export default function MessageKeys({ list, newest, oldest, foundId, foundAt, onCurrent }: Props): null {
  useEffect(() => {
    if (!list.current?.contains(document.activeElement)) onCurrent(null);
  }, [list, newest, onCurrent]);
  // The found message becomes the current one once, when it is in the list (older pages may bring it),
  // and takes the focus (a screen reader reads it, ↑/↓ go on from it) unless the person is typing.
  const applied = useRef<string | null | undefined>(null);
  useEffect(() => {
    // Its item carries its anchor id (m-<id>) and its key.
    const item = foundId ? list.current?.querySelector<HTMLElement>(`[id="m-${foundId}"][data-key]`) : null;
    const key = item?.dataset.key;
    const opening = `${foundId}:${foundAt ?? 0}`;
    if (!item || !key || applied.current === opening) return;
    applied.current = opening;
    onCurrent(key);
    const active = document.activeElement as HTMLElement | null;
    if (!active?.isContentEditable && !active?.matches("input, textarea, select")) item.focus({ preventScroll: true });
  }, [list, foundId, foundAt, oldest, onCurrent]);
  useEffect(() => {
    const el = list.current;
    if (!el) return;
    const onFocus = (e: FocusEvent) => {
      const item = (e.target as Element).closest<HTMLElement>("[data-key]");
      if (item?.dataset.key) onCurrent(item.dataset.key);
      // The message itself took the focus (a tap, ↑/↓): its actions show, maybe under its text.
      if (item && item === e.target) revealActions(item);
    };
    const onKeyDown = (e: KeyboardEvent) => {
      // Only on a message itself (a control or the edit box inside it keeps its keys), or on a wide table's
      // box in one (its ←/→ scroll it; message-markdown.tsx, WideTable); not Alt+↑ (rooms).
      const key = e.key;
      const target = e.target as HTMLElement;
      if (key === "Escape") return void escapeToMessage(e, target);
      if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || !/^(ArrowUp|ArrowDown|Home|End)$/.test(key)) return;
      const from = target.matches(WIDE_TABLE) ? target.closest<HTMLElement>("[data-key]") : target;
      const items = Array.from(el.querySelectorAll<HTMLElement>(":scope > [data-key]"));
      const index = from ? items.indexOf(from) : -1;
      const next = index < 0 ? undefined : items[key === "Home" ? 0 : key === "End" ? items.length - 1 : key === "ArrowUp" ? index - 1 : index + 1];
      if (!next) return;
      e.preventDefault();
      next.focus();
    };
    el.addEventListener("focusin", onFocus);
    el.addEventListener("keydown", onKeyDown);
    return () => {
      el.removeEventListener("focusin", onFocus);
      el.removeEventListener("keydown", onKeyDown);
    };
  }, [list, onCurrent]);
  return null;
}
