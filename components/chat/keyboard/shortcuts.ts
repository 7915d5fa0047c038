/** The chat's keyboard shortcuts: which key does what, and where Alt+↑/↓ lead. Pure, for the page and tests. */
import type { RoomSummary } from "../chat-types";

export type Shortcut = "switcher" | "previous-room" | "next-room" | "previous-unread" | "next-unread" | "help";

type Keys = { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean; target?: EventTarget | null };

/** Typing in a field: single-key shortcuts (`?`) must not fire there. */
function inField(target: EventTarget | null | undefined): boolean {
  const el = target as HTMLElement | null | undefined;
  if (!el || typeof el.tagName !== "string") return false;
  return el.isContentEditable || el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT";
}

/**
 * The shortcut a key press means, or null: Ctrl/⌘+K the room switcher, Alt+↑/↓ the previous/next room,
 * Shift+Alt+↑/↓ the previous/next room with unread messages, `?` (outside text fields) this list.
 */
export function shortcutFor(e: Keys): Shortcut | null {
  if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === "k") return "switcher";
  if (e.altKey && !e.ctrlKey && !e.metaKey && (e.key === "ArrowUp" || e.key === "ArrowDown")) {
    const up = e.key === "ArrowUp";
    if (e.shiftKey) return up ? "previous-unread" : "next-unread";
    return up ? "previous-room" : "next-room";
  }
  if (e.key === "?" && !e.ctrlKey && !e.metaKey && !e.altKey && !inField(e.target)) return "help";
  return null;
}

/** Rooms in the order the sidebar lists them: rooms, then direct messages. */
export const sidebarOrder = (rooms: readonly RoomSummary[]): RoomSummary[] => [
  ...rooms.filter((r) => r.kind !== "dm"),
  ...rooms.filter((r) => r.kind === "dm"),
];

/**
 * The room `step` places from `current` in sidebar order (wrapping around), or with `unreadOnly` the
 * nearest room in that direction that has unread messages; null when there is none.
 */
export function adjacentRoom(rooms: readonly RoomSummary[], current: string | null, step: 1 | -1, unreadOnly = false): string | null {
  const order = sidebarOrder(rooms);
  if (order.length === 0) return null;
  const at = order.findIndex((r) => r.name === current);
  for (let i = 1; i <= order.length; i++) {
    const room = order[(((at < 0 ? (step > 0 ? -1 : 0) : at) + step * i) % order.length + order.length) % order.length];
    if (room.name === current) continue;
    if (!unreadOnly || room.unread > 0) return room.name;
  }
  return null;
}
