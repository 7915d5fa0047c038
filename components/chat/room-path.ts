/** The default room every install has (created by setup) and where a first visit lands. */
export const DEFAULT_ROOM = "general";

/** The room's address in the app. Room names are Unicode, so the segment is always encoded. */
export function roomPath(room: string): string {
  return `/rooms/${encodeURIComponent(room)}`;
}

/**
 * Turns the `[room]` route segment back into the room name. Tolerates an already-decoded value (a name
 * containing a bare `%` would otherwise throw) so a router change cannot make a room unreachable.
 */
export function decodeRoomParam(raw: string): string {
  try {
    return decodeURIComponent(raw).normalize("NFC");
  } catch {
    return raw.normalize("NFC");
  }
}

/** How a room is named to people: a DM by the other person, any other room as `#name`. */
export function roomLabel(room: string, summary?: { kind: string; title?: string }): string {
  if (summary?.kind === "dm") return summary.title ?? room;
  return `#${summary?.title ?? room}`;
}
