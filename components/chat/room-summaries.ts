/** What the sidebar shows for each room, combining the server's list with what this tab has seen. */
import type { ChatState, RoomSummary } from "./chat-types";
import type { RoomKind } from "@/lib/chat/types";
import { own } from "./name-map";
import { DEFAULT_ROOM } from "./room-path";

/**
 * The sidebar's rooms: the server's list, and `current` when it is not in it yet, as a room of kind
 * `currentKind` when that is known (the server-rendered first page says it), else public, named
 * `currentTitle` if given (a DM's other person). A direct message with no message yet is left out unless
 * it is open: opening one makes it for both people at once, and the other should not see a conversation
 * appear that nobody wrote in (it shows with its first message, whose `room-activity` gives it a
 * `lastMessageId`).
 */
export function roomSummaries(state: ChatState, current: string | null, currentKind?: RoomKind, currentTitle?: string): RoomSummary[] {
  const rooms = state.rooms.filter((room) => room.name === current || !isEmptyDm(state, room)).map((room) => {
    // The server counts unread for signed-in users (read markers); guests only have this tab's count. A
    // room left counts what notified the reader there since (the server's, and `room-mention`s), not
    // what this tab counted before they left.
    const unread = room.name === current ? 0 : room.left ? room.unread : Math.max(room.unread, own(state.unread, room.name) ?? 0);
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
 * A direct message nobody has written in yet, as far as this tab knows: listed with no message and none
 * seen here since (one's own first message, sent while it was open, moves no listed count). A deleted
 * message still counts as written.
 */
const isEmptyDm = (state: ChatState, room: RoomSummary): boolean =>
  room.kind === "dm" && room.lastMessageId === null && room.lastSeq === 0 && !own(state.roomViews, room.name)?.messages.length;

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

/**
 * Unread messages across `rooms` (the count in the tab title, favicon and app badge). A room the reader
 * left counts only its mentions: what they are still called to there (the server counts nothing else
 * for it, and no `room-activity` comes from it).
 */
export function totalUnread(rooms: readonly RoomSummary[]): number {
  return rooms.reduce((sum, r) => sum + (r.left ? (r.mentions ?? 0) : r.unread), 0);
}

/**
 * Whether the sidebar puts `room` away under "Rooms you left" (a public room the reader left and has
 * not opened since), rather than in its main list: not while a mention waits there, which still calls.
 */
export const isPutAway = (room: RoomSummary): boolean => !!room.left && (room.mentions ?? 0) === 0;

/**
 * Where the page goes once the reader no longer has room `gone` (removed from it, or left it): among the
 * rooms they are in (a read marker, `readSeq`, or a private room or DM, which only members list; any room
 * not left where the list says nothing of membership, as for a guest) the default room, else the first
 * other room (a room before a DM), else nowhere (null: the page stays, the notice says why). Never a
 * public room they are not in: opening it would make them a member (an outside trial left `general` and
 * found itself in a room it had never opened).
 */
export function roomAfterLeaving(rooms: readonly RoomSummary[], gone: string): string | null {
  const open = rooms.filter((r) => r.name !== gone && !r.left);
  const known = rooms.some((r) => r.readSeq !== undefined);
  const mine = known ? open.filter((r) => r.readSeq !== undefined || r.kind !== "public") : open;
  const next = mine.find((r) => r.name === DEFAULT_ROOM) ?? mine.find((r) => r.kind !== "dm") ?? mine[0];
  if (next) return next.name;
  // Not listed (yet): the default room, as before there was any list, unless it is the one gone or left.
  return gone !== DEFAULT_ROOM && !rooms.some((r) => r.name === DEFAULT_ROOM) ? DEFAULT_ROOM : null;
}
