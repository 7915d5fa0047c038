import { z } from "zod";
import { AppError } from "../errors";

/**
 * Runtime shapes of client→server payloads. Shape only: the domain applies the content rules (room
 * name length, text length) so HTTP and Socket.IO refuse the same things with the same words.
 */
const str = (what: string) => z.string({ error: `${what} must be a string` });

export const roomName = str("room");
/** Shape only; its content (1–128 code points, no control characters) is checked by `cleanClientId`. */
export const clientId = z.string({ error: "clientId must be a string" });
export const messageId = z.string({ error: "before must be a message id string" }).regex(/^\d{1,18}$/, "before must be a message id");

const obj = <T extends z.ZodRawShape>(shape: T) => z.object(shape, { error: "payload must be an object" });

/** Upload ids (the count and ownership rules are the domain's, shared with HTTP). */
export const attachmentIds = z.array(z.string({ error: "attachments must be upload id strings" }), { error: "attachments must be an array of upload ids" });
const threadRef = z.string({ error: "threadId must be a message id string" }).regex(/^\d{1,18}$/, "threadId must be a message id");
export const sendSchema = obj({ room: roomName, message: str("message").optional(), clientId: clientId.optional(), attachments: attachmentIds.optional(), threadId: threadRef.optional() });
/** `POST /api/rooms/:room/messages`: the socket event's fields, with the text under `text` (room in the path). */
export const httpSendSchema = sendSchema.pick({ clientId: true, attachments: true, threadId: true }).extend({ text: sendSchema.shape.message });
export const historySchema = obj({
  room: roomName,
  before: messageId.optional(),
  around: z.string({ error: "around must be a message id string" }).regex(/^\d{1,18}$/, "around must be a message id").optional(),
  limit: z.number({ error: "limit must be a number" }).int("limit must be an integer").min(1, "limit must be 1..100").max(100, "limit must be 1..100").optional(),
});
export const typingSchema = obj({ room: roomName });
export const createRoomSchema = obj({ name: str("name"), private: z.boolean({ error: "private must be a boolean" }).optional() });
export const memberSchema = obj({ room: roomName, name: str("name") });
export const openDmSchema = obj({ name: str("name") });
export const markReadSchema = obj({
  room: roomName,
  seq: z.number({ error: "seq must be a number" }).int("seq must be an integer").min(0, "seq must be 0 or more"),
});
const targetId = z.string({ error: "id must be a message id string" }).regex(/^\d{1,18}$/, "id must be a message id");
export const editSchema = obj({ room: roomName, id: targetId, message: str("message") });
export const deleteSchema = obj({ room: roomName, id: targetId });
export const reactSchema = obj({ room: roomName, id: targetId, emoji: str("emoji") });
export const changesSchema = obj({
  room: roomName,
  after: z.number({ error: "after must be a number" }).int("after must be an integer").min(0, "after must be 0 or more"),
  limit: historySchema.shape.limit,
});
export const threadHistorySchema = obj({ room: roomName, threadId: threadRef, before: messageId.optional(), limit: historySchema.shape.limit });
export const visibilitySchema = obj({ hidden: z.boolean({ error: "hidden must be a boolean" }) });
export const lobbyText = str("message");
export const noPayload = z.undefined({ error: "this event takes no payload" }).optional();

/** Validates `value` against `schema`; `AppError("bad_request")` with the first problem otherwise (HTTP bodies). */
export function parsePayload<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AppError("bad_request", describeZodError(parsed.error));
  return parsed.data;
}

/** First validation problem, as one line for the client. */
export function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue?.message ?? "invalid payload";
}
