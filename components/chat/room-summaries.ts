/** What the sidebar shows for each room, combining the server's list with what this tab has seen. */
import type { ChatState, RoomSummary } from "./chat-types";
import type { RoomKind } from "@/lib/chat/types";
import { own } from "./name-map";

/**
 * The sidebar's rooms: the server's list, and `current` when it is not in it yet, as a room of kind
 * `currentKind` when that is known (the server-rendered first page says it), else public, named
 * `currentTitle` if given (a DM's other person).
 */
export function roomSummaries(state: ChatState, current: string | null, currentKind?: RoomKind, currentTitle?: string): RoomSummary[] {
  const rooms = state.rooms.map((room) => {
    // The server counts unread for signed-in users (read markers); guests only have this tab's count.
    const unread = room.name === current ? 0 : Math.max(room.unread, own(state.unread, room.name) ?? 0);
    // Mentions are some of the unread messages, never more.
    return { ...room, unread, mentions: Math.min(room.mentions ?? 0, unread) };
  });
  // A room just made or joined may not be in the server's list yet; show it anyway, unless it could not
  // be opened (a private room of others) or is still looked up in the list (maybe no room at all): it is
  // not one of this person's rooms.
  const lookedUp = state.roomLookup?.room === current;
  if (current && !lookedUp && !rooms.some((r) => r.name === current) && own(state.roomViews, current)?.status !== "error") {
    rooms.push({
      name: current, kind: currentKind ?? "public", private: currentKind === "private" || currentKind === "dm", ...(currentTitle ? { title: currentTitle } : {}), unread: 0, mentions: 0, lastSeq: 0, lastMessageId: null,
      online: own(state.roomViews, current)?.members.filter((m) => m.online).length ?? 0,
    });
  }
  return rooms.sort((a, b) => (a.title ?? a.name).localeCompare(b.title ?? b.name));
}

/**
 * Whether a room calls for attention in the list: a mention waiting, or unread messages in a room that is
 * not muted (level `none`: no count, not bold, except a mention). `room` as roomSummaries gives it (the
 * open room has nothing unread).
 */
export const isWaiting = (room: RoomSummary): boolean => (room.mentions ?? 0) > 0 || (room.unread > 0 && room.level !== "none");

/**
 * The rooms other than `current` that call for attention (isWaiting), and whether one of them has a
 * mention: what the phone's rooms menu button shows, the list itself being hidden there.
 */
export function waitingElsewhere(rooms: readonly RoomSummary[], current: string | null): { rooms: number; mentions: boolean } {
  const waiting = rooms.filter((r) => r.name !== current && isWaiting(r));
  return { rooms: waiting.length, mentions: waiting.some((r) => (r.mentions ?? 0) > 0) };
}

/** Unread messages across `rooms` (the count in the tab title, favicon and app badge). */
export function totalUnread(rooms: readonly RoomSummary[]): number {
  return rooms.reduce((sum, r) => sum + r.unread, 0);
}
