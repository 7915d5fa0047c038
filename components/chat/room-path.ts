/** The default room every install has (created by setup) and where a first visit lands. */
export const DEFAULT_ROOM = "general";

/**
 * The room's address in the app. Room names are Unicode, so the segment is always encoded, except `:`,
 * which a path segment may hold as it is: a direct message reads `/rooms/dm:2:3`, not `dm%3A2%3A3`.
 */
export function roomPath(room: string): string {
  return `/rooms/${encodeRoomSegment(room)}`;
}

/** `room` as a path segment: encodeURIComponent, with `:` left readable (RFC 3986 allows it in a segment). */
export const encodeRoomSegment = (room: string): string => encodeURIComponent(room).replace(/%3A/gi, ":");

/**
 * The address that opens `room` at message `id`: the room's path with the fragment `#m-<id>`, the id of
 * the message's element, so the page opens the room there the way a search result does (older pages
 * loaded until it is present, scrolled to and marked).
 */
export function messagePath(room: string, id: string): string {
  return `${roomPath(room)}#m-${id}`;
}

const OPEN_MESSAGE = "hibiki:open-message";

/**
 * Asks the room on screen to open at message `id` of `room` the way a message link does (the thread of a
 * reply opens too), without a navigation: pushing the same path with another fragment fires no
 * `hashchange` in the App Router. The room's page listens (onOpenMessageRequest); other rooms ignore it.
 */
export function openMessageOnScreen(room: string, id: string): void {
  window.dispatchEvent(new CustomEvent(OPEN_MESSAGE, { detail: { room, id } }));
}

/** Calls `handler` for every openMessageOnScreen() request until the returned function is called. */
export function onOpenMessageRequest(handler: (room: string, id: string) => void): () => void {
  const listener = (e: Event) => {
    const { room, id } = (e as CustomEvent<{ room: string; id: string }>).detail;
    handler(room, id);
  };
  window.addEventListener(OPEN_MESSAGE, listener);
  return () => window.removeEventListener(OPEN_MESSAGE, listener);
}

/** The message id a location fragment (`#m-<id>`, see messagePath) names, if any. */
export function messageIdFromHash(hash: string): string | null {
  return /^#m-(\d{16})$/.exec(hash)?.[1] ?? null;
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
