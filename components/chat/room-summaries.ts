/** What the sidebar shows for each room, combining the server's list with what this tab has seen. */
import type { ChatState, RoomSummary } from "./chat-types";
import { own } from "./name-map";

export function roomSummaries(state: ChatState, current: string | null): RoomSummary[] {
  const rooms = state.rooms.map((room) => {
    // The server counts unread for signed-in users (read markers); guests only have this tab's count.
    const unread = room.name === current ? 0 : Math.max(room.unread, own(state.unread, room.name) ?? 0);
    // Mentions are some of the unread messages, never more.
    return { ...room, unread, mentions: Math.min(room.mentions ?? 0, unread) };
  });
  // A room just opened by address may not be in the server's list yet; show it anyway, unless it could
  // not be opened (a private room of others): it is not one of this person's rooms.
  if (current && !rooms.some((r) => r.name === current) && own(state.roomViews, current)?.status !== "error") {
    rooms.push({
      name: current, kind: "public", private: false, unread: 0, mentions: 0, lastSeq: 0, lastMessageId: null,
      online: own(state.roomViews, current)?.members.filter((m) => m.online).length ?? 0,
    });
  }
  return rooms.sort((a, b) => (a.title ?? a.name).localeCompare(b.title ?? b.name));
}

/** Unread messages across `rooms` (the count in the tab title, favicon and app badge). */
export function totalUnread(rooms: readonly RoomSummary[]): number {
  return rooms.reduce((sum, r) => sum + r.unread, 0);
}
