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

type Guard = { keys: Set<string>; timer?: NodeJS.Timeout; remove(): void };
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
    remove() {
      clearTimeout(guard.timer);
      socket.offAnyOutgoing(listener);
      client.writeToEngine = write;
      GUARDS.delete(socket);
    },
  };
  const listener = (event: string, payload: unknown) => {
    const key = deliveryKey(event, payload);
    if (key === undefined || !guard.keys.has(key) || REPLAYED.has(payload as object)) return;
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
    clearTimeout(guard.timer);
    guard.timer = setTimeout(() => guard.remove(), ms);
    guard.timer.unref();
  }
  (socket.emit as (e: string, p: unknown) => void)(event, payload);
}
