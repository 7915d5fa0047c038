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
 * The attention of `userId`'s connections anywhere in the cluster, or only of those in chat room
 * `roomId` (joined: "viewing" it) when given. One `fetchSockets()` (with the Redis adapter, one
 * request to every instance, answered with each socket's `data` and rooms as they are now).
 */
export async function userAttention(io: IO, userId: string, roomId?: string): Promise<Attention> {
  const sockets = await io.in(userKey(userId)).fetchSockets();
  return attentionOf(roomId === undefined ? sockets : sockets.filter((s) => s.rooms.has(roomKey(roomId))));
}
