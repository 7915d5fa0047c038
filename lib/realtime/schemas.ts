import { z } from "zod";
import { attachmentIds, clientId, displayName, messageIdOf, messageText, object as obj, roomName, text as str, threadRef } from "../validation";

/**
 * Runtime shapes of client→server payloads, built from the fields shared with HTTP (lib/validation.ts).
 * Shape only: the domain applies the content rules (room name length, text length) so HTTP and
 * Socket.IO refuse the same things with the same words.
 */
export { roomName };
export const messageId = messageIdOf("before");

export const sendSchema = obj({ room: roomName, message: messageText.optional(), clientId: clientId.optional(), attachments: attachmentIds.optional(), threadId: threadRef.optional() });
export const historySchema = obj({
  room: roomName,
  before: messageId.optional(),
  around: messageIdOf("around").optional(),
  limit: z.number({ error: "limit must be a number" }).int("limit must be an integer").min(1, "limit must be 1..100").max(100, "limit must be 1..100").optional(),
});
export const typingSchema = obj({ room: roomName });
export const createRoomSchema = obj({ name: str("name"), private: z.boolean({ error: "private must be a boolean" }).optional() });
export const memberSchema = obj({ room: roomName, name: displayName });
/** `archive-room` / `unarchive-room`: the room. */
export const archiveSchema = obj({ room: roomName });
export const openDmSchema = obj({ name: displayName });
export const markReadSchema = obj({
  room: roomName,
  seq: z.number({ error: "seq must be a number" }).int("seq must be an integer").min(0, "seq must be 0 or more"),
});
const targetId = messageIdOf("id");
export const editSchema = obj({ room: roomName, id: targetId, message: messageText });
export const deleteSchema = obj({ room: roomName, id: targetId });
export const reactSchema = obj({ room: roomName, id: targetId, emoji: str("emoji") });
export const changesSchema = obj({
  room: roomName,
  after: z.number({ error: "after must be a number" }).int("after must be an integer").min(0, "after must be 0 or more"),
  limit: historySchema.shape.limit,
});
export const threadHistorySchema = obj({ room: roomName, threadId: threadRef, before: messageId.optional(), limit: historySchema.shape.limit });
export const visibilitySchema = obj({ hidden: z.boolean({ error: "hidden must be a boolean" }) });
export const lobbyText = messageText;
export const noPayload = z.undefined({ error: "this event takes no payload" }).optional();
