import { handle } from "../handle";
import { historySchema, lobbyText, sendSchema, typingSchema } from "../schemas";
import { roomKey, type ConnectionContext } from "../context";

export function registerMessageHandlers(ctx: ConnectionContext) {
  const { io, socket, log, chat, user } = ctx;

  handle(socket, log, "send-message-to-room", sendSchema, async (p) => {
    const { room, message, created } = await chat.send(user, { room: p.room, text: p.message, clientId: p.clientId });
    // A retried clientId was delivered the first time; only the ack repeats.
    if (created) io.to(roomKey(room.id)).emit("receive-message", message);
    return { message };
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
      io.to(roomKey(room.id)).emit("receive-message", message);
    }
    return { message };
  });
}
