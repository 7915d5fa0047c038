import { handle } from "../handle";
import { historySchema, lobbyText, markReadSchema, sendSchema, typingSchema } from "../schemas";
import { broadcastMessage, findJoined, roomKey, userKey, type ConnectionContext } from "../context";

export function registerMessageHandlers(ctx: ConnectionContext) {
  const { io, socket, log, chat, user } = ctx;

  /** A room this connection joined and is still in (membership loss takes it out, on any instance). */
  const joinedRoom = (name: string) => {
    const room = findJoined(ctx, name);
    return room && socket.rooms.has(roomKey(room.id)) ? room : undefined;
  };

  handle(socket, log, "send-message-to-room", sendSchema, async (p) => {
    const joined = joinedRoom(p.room);
    const { room, message, created } = joined
      ? await chat.sendToJoined(user, joined, { text: p.message, clientId: p.clientId })
      : await chat.send(user, { room: p.room, text: p.message, clientId: p.clientId });
    // A retried clientId was delivered the first time; only the ack repeats.
    if (created) broadcastMessage(io, room.id, message);
    return { message };
  });

  handle(socket, log, "mark-read", markReadSchema, async (p) => {
    const { room, readSeq } = await chat.markRead(user, p);
    io.to(userKey(user.id)).emit("room-read", { room: room.name, readSeq });
    return { readSeq };
  });

  handle(socket, log, "history", historySchema, (p) => chat.history(user, p));

  handle(socket, log, "typing", typingSchema, async (p) => {
    const room = await chat.access(user, p.room);
    socket.volatile.to(roomKey(room.id)).emit("typing", { room: room.name, author: user.name });
    return {};
  });

  handle(socket, log, "message", lobbyText, async (text) => {
    const { room, message, created } = await chat.postToLobby(user, text);
    if (created) {
      io.emit("message", message.text);
      broadcastMessage(io, room.id, message);
    }
    return { message };
  });
}
