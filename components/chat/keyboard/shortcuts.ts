/**
 * The chat's keyboard shortcuts: which key is one. Pure, for the page and tests, and small: the page's
 * first load carries it to recognise a shortcut at once (shortcut-queue.ts); what a shortcut does is in
 * shortcut-keys.tsx, and where Alt+↑/↓ lead in room-order.ts.
 */
export type Shortcut = "switcher" | "previous-room" | "next-room" | "previous-unread" | "next-unread" | "help" | "search";

type Keys = { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean; target?: EventTarget | null };

/** Typing in a field: single-key shortcuts (`?`) must not fire there. */
function inField(target: EventTarget | null | undefined): boolean {
  const el = target as HTMLElement | null | undefined;
  if (!el || typeof el.tagName !== "string") return false;
  return el.isContentEditable || el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT";
}

/**
 * The shortcut a key press means, or null: Ctrl/⌘+K the room switcher, Alt+↑/↓ the previous/next room,
 * Shift+Alt+↑/↓ the previous/next room with unread messages, `?` (outside text fields) this list, `/`
 * (outside text fields, the usual "focus search" key) search.
 */
export function shortcutFor(e: Keys): Shortcut | null {
  if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === "k") return "switcher";
  if (e.altKey && !e.ctrlKey && !e.metaKey && (e.key === "ArrowUp" || e.key === "ArrowDown")) {
    const up = e.key === "ArrowUp";
    if (e.shiftKey) return up ? "previous-unread" : "next-unread";
    return up ? "previous-room" : "next-room";
  }
  if ((e.key === "?" || e.key === "/") && !e.ctrlKey && !e.metaKey && !e.altKey && !inField(e.target)) return e.key === "?" ? "help" : "search";
  return null;
}
