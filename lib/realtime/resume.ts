import type { Message } from "../chat/types";
import { ROOM_PREFIX, roomKey, watchKey, type ConnectionContext } from "./context";
import { enter } from "./handlers/rooms";

/** At most this many rooms and messages per room are replayed; a client backfills the rest by `seq` gap. */
const MAX_ROOMS = 100;
const MAX_PER_ROOM = 500;
const MESSAGE_ID = /^\d{1,18}$/;

/**
 * A connection restored by connection-state recovery keeps its Socket.IO rooms; this rebuilds our side
 * (presence, joined rooms) and drops rooms the user may no longer read.
 */
export async function restoreRecovered(ctx: ConnectionContext): Promise<void> {
  const ids = [...ctx.socket.rooms].filter((r) => r.startsWith(ROOM_PREFIX)).map((r) => r.slice(ROOM_PREFIX.length));
  const allowed = await ctx.chat.roomsStillAllowed(ctx.user, ids);
  const keep = new Set(allowed.map((r) => r.id));
  for (const id of ids) {
    if (keep.has(id)) continue;
    ctx.socket.leave(roomKey(id));
    ctx.socket.leave(watchKey(id));
  }
  for (const room of allowed) {
    ctx.socket.leave(roomKey(room.id)); // enter() joins again and counts presence
    await enter(ctx, room);
  }
}

/**
 * A connection that was not recovered sends `auth.lastSeen` (last message id per room): replay what it
 * missed in the rooms it may still read, as `receive-message` events, oldest first.
 */
export async function replayMissed(ctx: ConnectionContext, lastSeen: unknown): Promise<number> {
  if (!lastSeen || typeof lastSeen !== "object" || Array.isArray(lastSeen)) return 0;
  const entries = Object.entries(lastSeen as Record<string, unknown>)
    .filter((e): e is [string, string] => typeof e[1] === "string" && MESSAGE_ID.test(e[1]))
    .slice(0, MAX_ROOMS);
  let sent = 0;
  for (const [room, after] of entries) {
    const missed: Message[] = await ctx.chat.missedSince(ctx.user, room, after, MAX_PER_ROOM);
    for (const m of missed) ctx.socket.emit("receive-message", m);
    sent += missed.length;
  }
  return sent;
}
