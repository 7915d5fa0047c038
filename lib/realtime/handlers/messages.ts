import { route, type Route } from "../handle";
import { historySchema, lobbyText, markReadSchema, sendSchema, typingSchema } from "../schemas";
import { joinedRoom, roomKey, userKey } from "../context";
import { refuseArchived } from "../../chat/rooms";

export const messageRoutes: Route[] = [
  route("send-message-to-room", sendSchema, async (ctx, p) => {
    const { chat, user } = ctx;
    const joined = joinedRoom(ctx, p.room);
    // Delivery follows the stored message (see realtimeDelivery); a retried clientId only repeats the ack.
    const { message } = joined
      ? await chat.sendToJoined(user, joined, { text: p.message, clientId: p.clientId, attachments: p.attachments, threadId: p.threadId })
      : await chat.send(user, { room: p.room, text: p.message, clientId: p.clientId, attachments: p.attachments, threadId: p.threadId });
    return { message };
  }, { timed: true }),

  route("mark-read", markReadSchema, async ({ io, chat, user }, p) => {
    const { room, readSeq, moved } = await chat.markRead(user, p);
    // Only news goes to the user's connections, as for a join: a marker that stayed tells them nothing.
    if (moved) io.to(userKey(user.id)).emit("room-read", { room: room.name, readSeq });
    return { readSeq };
  }, { limit: "read-marks" }),

  route("history", historySchema, (ctx, p) => {
    const joined = joinedRoom(ctx, p.room);
    return joined ? ctx.chat.historyOfJoined(joined, p) : ctx.chat.history(ctx.user, p);
  }, { heavy: true, limit: "message-pages" }),

  route("typing", typingSchema, async ({ socket, chat, user }, p) => {
    const room = await chat.access(user, p.room);
    refuseArchived(room);
    socket.volatile.to(roomKey(room.id)).emit("typing", { room: room.name, author: user.name });
    return {};
  }, { limit: "typing" }),

  route("message", lobbyText, async ({ chat, user }, text) => ({ message: (await chat.postToLobby(user, text)).message })),
];
