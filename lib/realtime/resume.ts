import type { Missed } from "../chat/changes";
import type { Room } from "../chat/rooms";
import type { RejoinHint } from "../cluster/rejoin-store";
import { ROOM_PREFIX, roomKey, watchKey, type ConnectionContext } from "./context";
import { enter } from "./handlers/rooms";
import { eventOf } from "./delivery";
import { deliveryKey, sendReplayed } from "./repeat-guard";

/**
 * Sends one replayed item as the event a live client would have got for it; a live copy of it that
 * reaches this instance later is not sent again (sendReplayed).
 */
function emitMissed(ctx: ConnectionContext, item: Missed) {
  const [event, payload] = eventOf(item.kind, item.message);
  sendReplayed(ctx.socket, event, payload as object);
}

/** What identifies one delivery (deliveryKey()): a new message, or one change of a message. */
const keyOfMissed = (item: Missed) => {
  const [event, payload] = eventOf(item.kind, item.message);
  return deliveryKey(event, payload) as string;
};

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
 * The usable entries of a handshake's `auth.lastSeen` (room name → position: the greatest message id
 * or change id the client has seen in that room).
 */
export function lastSeenOf(raw: unknown): Map<string, string> {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return new Map();
  const entries = Object.entries(raw as Record<string, unknown>)
    .filter((e): e is [string, string] => typeof e[1] === "string" && MESSAGE_ID.test(e[1]))
    .slice(0, MAX_ROOMS);
  return new Map(entries);
}

/**
 * A connection that was not recovered sends `auth.lastSeen` (its position per room): replay what it
 * missed in the rooms it may still read, in the room's order: new messages as `receive-message`, and
 * each older message changed since as one `message-updated` / `message-deleted` / `reactions-updated`
 * with its state now. Live copies of these that reach this instance afterwards (relayed late by the
 * cluster's adapter) are not sent again (sendReplayed).
 */
export async function replayMissed(ctx: ConnectionContext, lastSeen: Map<string, string>): Promise<number> {
  let sent = 0;
  for (const [room, after] of lastSeen) {
    const missed = await ctx.chat.missedSince(ctx.user, room, after, MAX_PER_ROOM);
    for (const m of missed) emitMissed(ctx, m);
    sent += missed.length;
  }
  return sent;
}

/**
 * Connection-state recovery restores a connection only while Socket.IO still has both its session and
 * the last packet it received: the session expires `maxDisconnectionDuration` after the drop, and the
 * in-memory adapter also forgets packets older than that, so a client that received nothing for that
 * long comes back as a new connection (as does one with no offset at all, or one away too long). The
 * server remembered the chat rooms it had joined (see RejoinStore): this puts it back in those it may
 * still read and replays each room's messages and changes since `hint.since` (exactly after `lastSeen`
 * for rooms the client names there, which are then taken out of `lastSeen`) as replayMissed does.
 */
export async function rejoinRooms(ctx: ConnectionContext, hint: RejoinHint, lastSeen: Map<string, string>): Promise<number> {
  const rooms = await ctx.chat.roomsStillAllowed(ctx.user, hint.rooms.slice(0, MAX_ROOMS));
  let sent = 0;
  for (const room of rooms) {
    const after = lastSeen.get(room.name);
    lastSeen.delete(room.name);
    sent += await rejoinRoom(ctx, room, (from = after) =>
      from ? ctx.chat.missedSince(ctx.user, room.name, from, MAX_PER_ROOM) : ctx.chat.missedSinceTime(room, hint.since, MAX_PER_ROOM),
    );
  }
  return sent;
}

/**
 * Replays, enters the room, then replays what was stored in between; messages and changes that
 * meanwhile went out live are not sent again, nor are live copies of replayed ones that reach this
 * instance late (sendReplayed). So each arrives once, and in order unless one was stored in the
 * instant between the first read and the join. `missed(from)` lists what came after position
 * `from` (or the first read's own start when undefined).
 */
async function rejoinRoom(ctx: ConnectionContext, room: Room, missed: (from?: string) => Promise<Missed[]>): Promise<number> {
  const { socket } = ctx;
  const first = await missed();
  for (const m of first) emitMissed(ctx, m);
  const seen = new Set(first.map(keyOfMissed));
  const delivered = new Set<string>();
  const watch = (event: string, m?: { room?: unknown }) => {
    const key = m?.room === room.name ? deliveryKey(event, m) : undefined;
    if (key !== undefined) delivered.add(key);
  };
  socket.onAnyOutgoing(watch);
  let second: Missed[];
  try {
    await enter(ctx, room);
    second = await missed(first.at(-1)?.position);
  } finally {
    socket.offAnyOutgoing(watch);
  }
  const rest = second.filter((m) => {
    const key = keyOfMissed(m);
    return !seen.has(key) && !delivered.has(key);
  });
  for (const m of rest) emitMissed(ctx, m);
  return first.length + rest.length;
}
