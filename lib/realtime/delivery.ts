import { LOBBY } from "../chat/chat";
import type { DomainEvents } from "../chat/domain-events";
import { broadcastMessage, type IO } from "./context";

/**
 * Delivery as a consequence of the domain verbs: subscribed to the chat's domain events in server.ts,
 * so a message is delivered the same way whether it came over Socket.IO, the lobby event or HTTP.
 * A lobby message also goes to every connection as the seed's plain `message` event.
 */
export function realtimeDelivery(io: IO): Partial<DomainEvents> {
  return {
    posted(room, message) {
      if (room.name === LOBBY) io.emit("message", message.text);
      broadcastMessage(io, room.id, message);
    },
  };
}
