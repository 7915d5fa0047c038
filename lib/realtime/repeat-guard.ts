import type { Socket } from "socket.io";

/**
 * How long a connection keeps refusing live copies of what it was replayed (ms). A live event reaches
 * an instance through Redis some milliseconds after its commit, more under load or while Redis is slow:
 * a replay read from the database in between already holds it. Long enough for any such delay; the keys
 * kept are at most a replay's (100 rooms × 500 deliveries).
 */
export const REPEAT_WINDOW_MS = 30_000;

const CHANGE_EVENTS = new Set(["message-updated", "message-deleted", "reactions-updated"]);

/**
 * What identifies one delivery: `m:<id>` for a new message (`receive-message`), `c:<id>:<changeId>` for
 * one change of a message (`message-updated`, `message-deleted`, `reactions-updated`); undefined for any
 * other event. The same keys as a replay's (resume.ts).
 */
export function deliveryKey(event: string, payload: unknown): string | undefined {
  const m = payload as { id?: unknown; changeId?: unknown } | null;
  if (!m || typeof m.id !== "string") return undefined;
  if (event === "receive-message") return `m:${m.id}`;
  if (CHANGE_EVENTS.has(event)) return `c:${m.id}:${String(m.changeId)}`;
  return undefined;
}

/** `seen`: room name → the client's position there (its `auth.lastSeen`), as a message id's number. */
type Guard = { keys: Set<string>; seen: Map<string, bigint>; timer?: NodeJS.Timeout; remove(): void };
const GUARDS = new WeakMap<Socket, Guard>();
/** The payloads sendReplayed() sent: their own packets pass the guard, whenever they are written. */
const REPLAYED = new WeakSet<object>();

type WritableClient = { writeToEngine(packets: unknown, opts: unknown): void };

/** Installs the skip of repeats on `socket` (see sendReplayed). */
function install(socket: Socket): Guard {
  const client = socket.client as unknown as WritableClient;
  const write = client.writeToEngine;
  let skip = false;
  const guard: Guard = {
    keys: new Set(),
    seen: new Map(),
    remove() {
      clearTimeout(guard.timer);
      socket.offAnyOutgoing(listener);
      client.writeToEngine = write;
      GUARDS.delete(socket);
    },
  };
  /** A new message at or before the client's position in its room: it held that one before it came back. */
  const heldBefore = (event: string, payload: unknown) => {
    if (event !== "receive-message" || guard.seen.size === 0) return false;
    const m = payload as { room?: unknown; id: string };
    const at = typeof m.room === "string" ? guard.seen.get(m.room) : undefined;
    return at !== undefined && /^\d{1,19}$/.test(m.id) && BigInt(m.id) <= at;
  };
  const listener = (event: string, payload: unknown) => {
    const key = deliveryKey(event, payload);
    if (key === undefined || REPLAYED.has(payload as object) || !(guard.keys.has(key) || heldBefore(event, payload))) return;
    skip = true;
    queueMicrotask(() => (skip = false));
  };
  client.writeToEngine = function (this: unknown, packets: unknown, opts: unknown) {
    if (skip) {
      skip = false;
      return;
    }
    return write.call(this, packets, opts);
  };
  socket.onAnyOutgoing(listener);
  socket.once("disconnect", () => guard.remove());
  GUARDS.set(socket, guard);
  return guard;
}

/**
 * Sends `socket` one replayed delivery (`event` with `payload`: a message or a change, see
 * deliveryKey()) and makes it skip live copies of it for REPEAT_WINDOW_MS (`ms`) after the last replayed
 * one: the same event arriving late through the cluster's adapter (committed on another instance before
 * the replay read it) is not sent again — the contract's missed events on reconnect "exactly once".
 *
 * How: Socket.IO notifies a socket's outgoing listeners with each packet's data right before it writes
 * the encoded packet to the connection, for its own emits and for broadcasts alike (socket.io 4's
 * `notifyOutgoingListeners`, then `client.writeToEngine`, synchronously; with connection-state recovery
 * and the Redis adapter a socket's own emit is written later, after its stream offset is known). The
 * listener marks a repeat — a packet with a replayed key whose payload is not the replayed object — and
 * the connection's next write skips it; a mark that no write used dies at the end of the turn. The guard
 * removes itself when its window ends or the socket disconnects.
 */
export function sendReplayed(socket: Socket, event: string, payload: object, ms = REPEAT_WINDOW_MS): void {
  if (socket.disconnected) return;
  const key = deliveryKey(event, payload);
  if (key !== undefined) {
    const guard = GUARDS.get(socket) ?? install(socket);
    guard.keys.add(key);
    REPLAYED.add(payload);
    extend(guard, ms);
  }
  (socket.emit as (e: string, p: unknown) => void)(event, payload);
}

/**
 * Makes `socket` skip, for REPEAT_WINDOW_MS (`ms`), live copies of new messages of `room` (its name as
 * messages carry it) at or before `position` (a message id): the client said, in `auth.lastSeen`, that it
 * holds them. One that was broadcast before the client came back but reaches this instance only after it
 * joined (late through the cluster's adapter) is not sent again. Changes of those messages still pass:
 * they are new to the client (sendReplayed covers the replayed ones). A position that is not a message
 * id is ignored.
 */
export function skipHeld(socket: Socket, room: string, position: string, ms = REPEAT_WINDOW_MS): void {
  if (socket.disconnected || !/^\d{1,19}$/.test(position)) return;
  const guard = GUARDS.get(socket) ?? install(socket);
  const at = BigInt(position);
  if ((guard.seen.get(room) ?? -1n) < at) guard.seen.set(room, at);
  extend(guard, ms);
}

/** The guard lives `ms` from now (its last replayed delivery or position). */
function extend(guard: Guard, ms: number): void {
  clearTimeout(guard.timer);
  guard.timer = setTimeout(() => guard.remove(), ms);
  guard.timer.unref();
}
