import type { Missed } from "../chat/changes";
import type { Room } from "../chat/rooms";
import type { RejoinHint } from "../cluster/rejoin-store";
import { ROOM_PREFIX, roomKey, watchKey, type ConnectionContext } from "./context";
import { enter } from "./handlers/rooms";
import { eventOf } from "./delivery";
import { deliveryKey, sendReplayed, skipHeld } from "./repeat-guard";
import { normalizeRoomName } from "../chat/names";
import { takeFor } from "../limits";
import { isAppError } from "../errors";
import { MAX_LAST_SEEN_ROOMS } from "./events";

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

/**
 * At most this many rooms, new messages per room (and as many changes of messages the client holds:
 * see listMissed) and items in all are replayed to one connection; a client backfills the rest by `seq` gap.
 */
const MAX_ROOMS = MAX_LAST_SEEN_ROOMS;
const MAX_PER_ROOM = 500;
export const MAX_REPLAYED = 5_000;
const MESSAGE_ID = /^\d{1,18}$/;

/** What a connection's catch-up may still replay (MAX_REPLAYED at first), shared by its rooms. */
export type ReplayBudget = { left: number };

/**
 * Whether the catch-up may read one more room: each room's replay is a page of messages and takes a
 * point of the `message-pages` row, as `history` does. Out of points, the rest of the catch-up is
 * skipped (the budget spent: rooms are still entered), never the connection refused; the client fills
 * its gaps from `history` once the row allows it again.
 */
async function mayReplay(ctx: ConnectionContext, budget: ReplayBudget): Promise<boolean> {
  if (budget.left <= 0) return false;
  try {
    await takeFor(ctx.limits, "message-pages", ctx.user);
    return true;
  } catch (err) {
    if (!isAppError(err) || err.code !== "rate_limited") throw err;
    ctx.log.info({ socketId: ctx.socket.id, user: ctx.user.name }, "stopped a connection's catch-up: it read too many pages of messages");
    budget.left = 0;
    return false;
  }
}
/** How many new messages the next room may replay: 0 once the budget is spent. */
const roomLimit = (budget: ReplayBudget) => Math.max(0, Math.min(MAX_PER_ROOM, budget.left));

/**
 * A connection restored by connection-state recovery keeps its Socket.IO rooms; this rebuilds our side
 * (presence, joined rooms) and drops rooms the user may no longer read.
 */
export async function restoreRecovered(ctx: ConnectionContext): Promise<void> {
  const ids = [...ctx.socket.rooms].filter((r) => r.startsWith(ROOM_PREFIX)).map((r) => r.slice(ROOM_PREFIX.length));
  const since = ctx.revocations.mark();
  const allowed = await ctx.chat.roomsStillAllowed(ctx.user, ids);
  const keep = new Set(allowed.map((r) => r.id));
  for (const id of ids) {
    if (keep.has(id)) continue;
    ctx.socket.leave(roomKey(id));
    ctx.socket.leave(watchKey(id));
  }
  for (const room of allowed) {
    ctx.socket.leave(roomKey(room.id)); // enter() joins again and counts presence
    await enter(ctx, room, since);
  }
}

/**
 * The usable entries of a handshake's `auth.lastSeen` (room name → position: the greatest message id
 * or change id the client has seen in that room), at most MAX_ROOMS, keyed by the room's name as
 * lookups normalise it (NFC, trimmed): names that are one room (`"big"`, `" big"`, a decomposed
 * spelling) are one entry, with the newest position given, so no room is replayed twice. Entries whose
 * name is no room name or whose position is no id are left out.
 */
export function lastSeenOf(raw: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return out;
  for (const [rawName, position] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof position !== "string" || !MESSAGE_ID.test(position)) continue;
    let name: string;
    try {
      name = normalizeRoomName(rawName);
    } catch {
      continue;
    }
    const known = out.get(name);
    if (known !== undefined) {
      if (BigInt(position) > BigInt(known)) out.set(name, position);
    } else if (out.size < MAX_ROOMS) out.set(name, position);
  }
  return out;
}

/**
 * A connection that was not recovered sends `auth.lastSeen` (its position per room): replay what it
 * missed in the rooms it may still read, in the room's order: new messages as `receive-message`, and
 * each older message changed since as one `message-updated` / `message-deleted` / `reactions-updated`
 * with its state now. Live copies of these that reach this instance afterwards (relayed late by the
 * cluster's adapter) are not sent again (sendReplayed).
 */
export async function replayMissed(ctx: ConnectionContext, lastSeen: Map<string, string>, budget: ReplayBudget = { left: MAX_REPLAYED }): Promise<number> {
  let sent = 0;
  for (const [room, after] of lastSeen) {
    if (!ctx.socket.connected || !(await mayReplay(ctx, budget))) break;
    const limit = roomLimit(budget);
    skipHeld(ctx.socket, room, after);
    const missed = await ctx.chat.missedSince(ctx.user, room, after, limit);
    // Messages name their room as stored, which the client may have spelt otherwise.
    if (missed[0] && missed[0].message.room !== room) skipHeld(ctx.socket, missed[0].message.room, after);
    for (const m of missed) emitMissed(ctx, m);
    sent += missed.length;
    budget.left -= missed.length;
  }
  return sent;
}

/**
 * Connection-state recovery restores a connection only while Socket.IO still has both its session and
 * the last packet it received: the session expires `maxDisconnectionDuration` after the drop, and the
 * in-memory adapter also forgets packets older than that, so a client that received nothing for that
 * long comes back as a new connection (as does one with no offset at all, or one away too long). The
 * server remembered the chat rooms it had joined (see RejoinStore): this puts it back in those it may
 * still read and replays each room's messages and changes since `hint.since` (an open hint's: at most
 * pingInterval + pingTimeout ago; exactly after `lastSeen` for rooms the client names there, which are
 * then taken out of `lastSeen`) as replayMissed does.
 */
export async function rejoinRooms(ctx: ConnectionContext, hint: RejoinHint, lastSeen: Map<string, string>, budget: ReplayBudget = { left: MAX_REPLAYED }): Promise<number> {
  const mark = ctx.revocations.mark();
  const rooms = await ctx.chat.roomsStillAllowed(ctx.user, hint.rooms.slice(0, MAX_ROOMS));
  // An open hint's connection dropped unseen (its instance died) shortly before it came back, as far as
  // anyone knows: what was sent since up to pingInterval + pingTimeout before now may be lost.
  const { pingInterval = 25_000, pingTimeout = 20_000 } = ctx.io.engine.opts;
  const since = hint.open ? Math.max(hint.since, Date.now() - pingInterval - pingTimeout) : hint.since;
  let sent = 0;
  for (const room of rooms) {
    const after = lastSeen.get(room.name);
    lastSeen.delete(room.name);
    if (!ctx.socket.connected) break;
    if (after) skipHeld(ctx.socket, room.name, after);
    // Out of budget (or of the `message-pages` row), the room is still entered; the client fills its gap from `history`.
    const limit = (await mayReplay(ctx, budget)) ? roomLimit(budget) : 0;
    const count = await rejoinRoom(ctx, room, mark, (from = after) =>
      limit === 0 ? Promise.resolve([]) : from ? ctx.chat.missedSince(ctx.user, room.name, from, limit) : ctx.chat.missedSinceTime(room, since, limit),
    );
    sent += count;
    budget.left -= count;
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
async function rejoinRoom(ctx: ConnectionContext, room: Room, since: number, missed: (from?: string) => Promise<Missed[]>): Promise<number> {
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
    await enter(ctx, room, since);
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
