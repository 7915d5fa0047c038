import { roomKey, userKey, type IO } from "./context";

/**
 * How a person's live connections show the app: `none` (no connection), `hidden` (every one reports a
 * hidden tab, Page Visibility API), `visible` (at least one does not). A connection that never sent
 * `visibility` counts as visible: that was the rule before tabs reported it, and a client that cannot
 * tell (a bot, a script) is someone at the keyboard.
 */
export type Attention = "none" | "hidden" | "visible";

/** The attention of a set of connections (their `SocketData`); see `Attention`. */
export function attentionOf(sockets: { data: { hidden?: boolean } }[]): Attention {
  if (sockets.length === 0) return "none";
  return sockets.some((s) => s.data.hidden !== true) ? "visible" : "hidden";
}

/**
 * The attention of `userId`'s connections anywhere in the cluster. One `fetchSockets()` (with the Redis
 * adapter, one request to every instance, answered with each socket's `data` as it is now).
 */
export async function userAttention(io: IO, userId: string): Promise<Attention> {
  return attentionOf(await io.in(userKey(userId)).fetchSockets());
}

/**
 * Those of `userIds` with a visible connection in chat room `roomId` (joined: viewing it), anywhere in
 * the cluster. One `fetchSockets()` for all of them, over their own connections only (not the room's).
 */
export async function seeingRoom(io: IO, roomId: string, userIds: string[]): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const sockets = await io.in(userIds.map(userKey)).fetchSockets();
  const inRoom = roomKey(roomId);
  return new Set(sockets.filter((s) => s.rooms.has(inRoom) && s.data.hidden !== true).map((s) => s.data.userId));
}
