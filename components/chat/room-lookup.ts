/**
 * Whether a room the page opens may be joined. `join-room` with a name no room has makes a public room
 * (the wire's tutorial behaviour), so an address with a typo, an old bookmark or a `#name` in a message
 * would put a junk room in everyone's list. The web client joins only a room it knows exists and is the
 * reader's to open; any other name waits for the room list (`list-rooms`: every public room and the
 * reader's own), and one the list lacks is shown as not found, with the offer to create it (the reader's
 * explicit act, missing-room.tsx).
 */
import type { Dispatch } from "react";
import { canonicalName, withoutRoomSign } from "@/lib/text/rules";
import type { ChatAction } from "./chat-state";
import type { RoomSummary } from "./chat-types";
import { DEFAULT_ROOM } from "./room-path";

/** A DM's name: `join-room` never makes one, and refuses another person's whether it exists or not. */
const DM_PREFIX = "dm:";

/**
 * A name as the client compares it with the listed ones: its stored form (canonicalName), compatibility
 * forms (full-width letters) and case folded. The server's key also folds look-alikes; its page redirect
 * (app/rooms/[room]/page.tsx) handles those before the page renders, and no two rooms share this fold.
 */
const fold = (name: string): string => canonicalName(name).normalize("NFKC").toLowerCase();

/**
 * The listed room (never a DM) that `name` means when no room is named exactly so: the same name in
 * another case or width, else the same without a leading `#` (`/rooms/%23dev`), as the server's
 * findRoomMeant reads an address.
 */
export function roomMeantIn(rooms: readonly RoomSummary[], name: string): string | undefined {
  const open = rooms.filter((r) => r.kind !== "dm");
  const bare = withoutRoomSign(name);
  for (const asked of bare !== name && bare !== "" ? [name, bare] : [name]) {
    const key = fold(asked);
    const found = open.find((r) => fold(r.name) === key);
    if (found) return found.name;
  }
  return undefined;
}

export class RoomLookup {
  /** The room list's names as last answered (null: no answer yet since this client began). */
  private listed: RoomSummary[] | null = null;
  /** Room lists asked for so far; the number of the latest. */
  private asked = 0;
  /** The room waiting to be found, and the number of the last list asked for before it was opened. */
  private pending: { room: string; since: number } | null = null;
  /** Names `create-room` found taken here: not listed, they are a room the reader is not in. */
  private readonly takenNames = new Set<string>();

  /**
   * `known`: rooms known to exist without the list (the server rendered their page for this reader, they
   * were made or joined here). Rooms are never deleted, so a name once known stays one no join can
   * make. The set is the caller's (use-chat.ts keeps it across its clients).
   */
  constructor(private readonly known: Set<string>, private readonly dispatch: Dispatch<ChatAction>) {}

  /**
   * Whether `room` may be joined at once: a DM (never made by a join), the default room (made by setup,
   * which the chat waits for), a known room, or one in the last list.
   */
  mayJoin(room: string): boolean {
    return room.startsWith(DM_PREFIX) || room === DEFAULT_ROOM || this.known.has(room) || !!this.listed?.some((r) => r.name === room);
  }

  /** `room` exists: a join of it can make no room. */
  know(room: string): void {
    this.known.add(room);
  }

  /**
   * `create-room` found `room` taken (`conflict`): while the list lacks it, it is not found but taken
   * (a private room of others, or a room with a look-alike name), said so at once when it is the room
   * waiting to be found. Nothing is joined: the join would only be refused.
   */
  taken(room: string): void {
    this.takenNames.add(room);
    if (this.pending?.room === room) this.dispatch({ type: "room-lookup", room, status: "missing", taken: true });
  }

  /**
   * The open room is not known to exist: it waits for a room list asked for from now on (the view shows
   * it loading). Looking again for the room already waiting (a reconnection) keeps what the view shows.
   */
  begin(room: string): void {
    const again = this.pending?.room === room;
    this.pending = { room, since: this.asked };
    if (!again) this.dispatch({ type: "room-lookup", room, status: "waiting" });
  }

  /** Nothing waits to be found (the open room is being joined, or another was opened). */
  clear(): void {
    this.pending = null;
  }

  /** A room list is being asked for: its number, for `listedRooms`. */
  asking(): number {
    return ++this.asked;
  }

  /**
   * The server answered list `asked` with `rooms`. Returns the waiting room when it may be joined now.
   * Otherwise a list asked for after the room was opened decides: the room is another spelling of a
   * listed one (`elsewhere`: the page goes there), or not found (`missing`). An older list may predate
   * a room made a moment ago by someone else, so it decides nothing.
   */
  listedRooms(rooms: RoomSummary[], asked: number): string | undefined {
    this.listed = rooms;
    const pending = this.pending;
    if (!pending) return undefined;
    if (this.mayJoin(pending.room)) return this.found();
    if (asked <= pending.since) return undefined;
    const meant = roomMeantIn(rooms, pending.room);
    const { room } = pending;
    this.dispatch(meant ? { type: "room-lookup", room, status: "elsewhere", meant } : { type: "room-lookup", room, status: "missing", ...(this.takenNames.has(room) && { taken: true as const }) });
    return undefined;
  }

  /** The waiting room when it became known (made or taken here): to be joined now. */
  settle(): string | undefined {
    return this.pending && this.mayJoin(this.pending.room) ? this.found() : undefined;
  }

  private found(): string | undefined {
    const room = this.pending?.room;
    this.pending = null;
    if (room) this.dispatch({ type: "room-lookup", room, status: "found" });
    return room;
  }
}
