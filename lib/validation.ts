/**
 * The shapes of what clients send, shared by Socket.IO events (lib/realtime/schemas.ts) and HTTP bodies
 * and query strings (lib/http/schemas.ts), and the one way a shape is refused: `bad_request` with the
 * first problem as the message (docs/protocol.md, "Errors").
 *
 * Shape only (types, presence, message ids): the content rules — name and text rules (lib/text/rules.ts),
 * the password policy (lib/auth/secrets.ts), limits on counts and sizes — are applied by the domain, so
 * every way in refuses the same things with the same words and codes (`too_large` included, which a
 * shape error never is).
 */
import { z } from "zod";
import { AppError } from "./errors";

/** A string field; anything else is "`what` must be a string". */
export const text = (what: string) => z.string({ error: `${what} must be a string` });

/** A payload object (unknown keys are dropped, as they always were); anything else is "payload must be an object". */
export const object = <T extends z.ZodRawShape>(shape: T) => z.object(shape, { error: "payload must be an object" });

/** A message id as clients send it: a decimal string of at most 18 digits (PostgreSQL bigint). */
export const messageIdOf = (what: string) => z.string({ error: `${what} must be a message id string` }).regex(/^\d{1,18}$/, `${what} must be a message id`);

/** A room's name. Its content (1–64 code points, nothing invisible) is `cleanRoomName`'s. */
export const roomName = text("room");
/** An account's, guest's or bot's name. Its content (1–32 code points, nothing invisible) is `cleanDisplayName`'s. */
export const displayName = text("name");
/** A new password. Its content (8–256 code points) is `checkPassword`'s. */
export const password = text("password");
/** A message's text. Its content (not blank, no control characters, at most MESSAGE_MAX_CHARS) is `cleanMessageText`'s. */
export const messageText = text("message");
/** An idempotency key. Its content (1–128 code points, no control characters) is `cleanClientId`'s. */
export const clientId = text("clientId");
/** Upload ids (at most 10, the uploader's own, unsent: the domain's rules, lib/chat/uploads.ts). */
export const attachmentIds = z.array(z.string({ error: "attachments must be upload id strings" }), { error: "attachments must be an array of upload ids" });
/** The root message of a reply thread. */
export const threadRef = messageIdOf("threadId");

/**
 * Validates `value` against `schema` and returns what it parsed to. Otherwise throws `refuse(message)`:
 * by default `AppError("bad_request")` with the first problem (see describeZodError).
 */
export function parsePayload<S extends z.ZodType>(
  schema: S,
  value: unknown,
  refuse: (message: string) => AppError = (message) => new AppError("bad_request", message),
): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw refuse(describeZodError(parsed.error));
  return parsed.data;
}

/** First validation problem, as one line for the client. */
export function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue?.message ?? "invalid payload";
}
