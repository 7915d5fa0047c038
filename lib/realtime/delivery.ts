import { LOBBY } from "../chat/chat";
import type { MessageChange, Missed } from "../chat/changes";
import type { Message, ReactionToggle } from "../chat/types";
import type { DomainEvents } from "../chat/domain-events";
import { broadcastMessage, roomKey, watchKey, type IO, type RealtimeProbes } from "./context";
import type { ServerToClientEvents } from "./events";

/** One server→client event with its payload. */
export type Outgoing = { [E in keyof ServerToClientEvents]: [E, ...Parameters<ServerToClientEvents[E]>] }[keyof ServerToClientEvents];

/**
 * The event that tells a client about a change (or, for `posted`, a new message), by what changed. A
 * live reaction's `toggle` goes with its `reactions-updated`; a replayed one has none (it may stand for
 * several toggles).
 */
export function eventOf(kind: Missed["kind"], message: Message, toggle?: ReactionToggle): Outgoing {
  const position = { changeId: message.changeId ?? "", changeSeq: message.changeSeq ?? 0 };
  if (kind === "posted") return ["receive-message", message];
  if (kind === "edited" || kind === "updated") return ["message-updated", message];
  if (kind === "deleted") return ["message-deleted", { room: message.room, id: message.id, seq: message.seq, ...position }];
  return ["reactions-updated", { room: message.room, id: message.id, reactions: message.reactions ?? [], ...position, ...(toggle ? { toggle } : {}) }];
}

/**
 * Delivery as a consequence of the domain verbs: subscribed to the chat's domain events in server.ts,
 * so a message is delivered the same way whether it came over Socket.IO, the lobby event or HTTP.
 * A lobby message also goes to every connection as the seed's plain `message` event; a deletion also
 * goes to the room's watch list, for unread counts.
 * With `probes`, each new message reports its recipients here: the room's local size, which the adapter
 * already holds (no per-recipient work).
 */
export function realtimeDelivery(io: IO, probes?: RealtimeProbes): Partial<DomainEvents> {
  return {
    posted(room, message) {
      // Only the public lobby: a private room of that name (made before the name was reserved) keeps its messages to its members.
      if (room.name === LOBBY && room.kind === "public") io.emit("message", message.text);
      broadcastMessage(io, room.id, message);
      probes?.delivered(io.of("/").adapter.rooms.get(roomKey(room.id))?.size ?? 0);
    },
    changed(room, change: MessageChange) {
      const [event, payload] = eventOf(change.kind, change.message, change.reaction);
      (io.to(roomKey(room.id)).emit as (e: string, p: unknown) => void)(event, payload);
      // The members' other connections count unread messages (see broadcastMessage): one deleted is no
      // longer one of them. Those in the room had it above (a connection is never on both lists).
      if (change.kind === "deleted") (io.to(watchKey(room.id)).emit as (e: string, p: unknown) => void)(event, payload);
    },
  };
}
