/** Where Alt+↑/↓ lead: the rooms in sidebar order. Pure, for the shortcuts' handler and tests. */
import type { RoomSummary } from "../chat-types";
import { isPutAway } from "../room-summaries";

/**
 * Rooms in the order the sidebar lists them: rooms, then direct messages. Rooms under the sidebar's closed
 * headings are not on the way: those put away under "Rooms you left" (opening one would join it again)
 * and the archived ones (listed last, apart), except `current`, the one shown.
 */
export const sidebarOrder = (rooms: readonly RoomSummary[], current: string | null = null): RoomSummary[] => {
  const listed = rooms.filter((r) => r.name === current || (!isPutAway(r) && !r.archived));
  return [...listed.filter((r) => r.kind !== "dm"), ...listed.filter((r) => r.kind === "dm")];
};

/**
 * The room `step` places from `current` in sidebar order (wrapping around), or with `unreadOnly` the
 * nearest room in that direction that has unread messages; null when there is none.
 */
export function adjacentRoom(rooms: readonly RoomSummary[], current: string | null, step: 1 | -1, unreadOnly = false): string | null {
  const order = sidebarOrder(rooms, current);
  if (order.length === 0) return null;
  const at = order.findIndex((r) => r.name === current);
  for (let i = 1; i <= order.length; i++) {
    const room = order[(((at < 0 ? (step > 0 ? -1 : 0) : at) + step * i) % order.length + order.length) % order.length];
    if (room.name === current) continue;
    // A muted room (level none) is not waiting for the reader, unless it mentions them.
    if (!unreadOnly || (room.unread > 0 && (room.level !== "none" || (room.mentions ?? 0) > 0))) return room.name;
  }
  return null;
}
