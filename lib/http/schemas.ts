/**
 * The bodies and query strings of the HTTP API (docs/protocol.md, "HTTP"), from the same field shapes
 * as the Socket.IO events (lib/validation.ts), refused the same way: `400 bad_request` with the first
 * problem as the message. Shape only, as for events: the domain applies the content rules (name and text
 * rules, the password policy), so a name too long is refused in the same words over HTTP and Socket.IO.
 * Unknown fields are dropped. The request and body types are these schemas' `z.infer`, never declared twice.
 */
import type { Request } from "express";
import { z } from "zod";
import type { AppError } from "../errors";
import { notificationLevelSchema } from "../notifications/levels";
import { pushEndpointSchema } from "../push/subscriptions";
import { sendSchema } from "../realtime/schemas";
import { displayName, messageText, object, parsePayload, password, text } from "../validation";

export { pushSubscriptionSchema } from "../push/subscriptions";
export { pushSettingsSchema } from "../push/settings";
export { searchParamsSchema } from "../search/search";

/** `POST /api/setup` and `POST /api/join/:code`: a new account's name and password. */
export const credentialsSchema = object({ name: displayName, password });
export type Credentials = z.infer<typeof credentialsSchema>;

/**
 * `POST /api/session`. Nothing of this shape can be the right credentials, so the route refuses a
 * mismatch as a wrong name or password (`401`, counted as a failed sign-in), never `400`. A password
 * longer than any the policy allows is not even checked (argon2 costs time).
 */
export const signInSchema = object({ name: z.string(), password: z.string().max(1024) });
export type SignIn = z.infer<typeof signInSchema>;

/** `PUT /api/account/password`: the new password is judged first (`400`), then the current one (`401` when wrong). */
export const passwordChangeSchema = object({ password, current: text("current") });
export type PasswordChange = z.infer<typeof passwordChangeSchema>;

/** `PUT /api/account/name` and `POST /api/admin/bots`. */
export const nameSchema = object({ name: displayName });

/** `POST /api/admin/announcements` (at most 2,000 characters: `413 too_large` past it, as for messages). */
export const announcementSchema = object({ message: messageText });

/** `PUT /api/admin/settings`. */
export const adminSettingsSchema = object({ guestAccess: z.boolean({ error: "guestAccess must be a boolean" }) });
export type AdminSettings = z.infer<typeof adminSettingsSchema>;

/** `PUT /api/rooms/:room/notifications`. */
export const levelSchema = object({ level: notificationLevelSchema });

/** `DELETE /api/push/subscriptions`: the endpoint the browser no longer wants pushes at. */
export const unsubscribeSchema = object({ endpoint: pushEndpointSchema });

/**
 * `POST /api/rooms/:room/messages`: the `send-message-to-room` event's fields, with the text under `text`
 * (room in the path), and refused in that field's name: "text must be a string" for a text that is not
 * one or is missing (`{}`, or `{ message }` as the event spells it). Only a message with files may
 * leave it out, as the domain allows for the event.
 */
export const httpSendSchema = sendSchema
  .pick({ clientId: true, attachments: true, threadId: true })
  .extend({ text: text("text").optional() })
  .refine((body) => body.text !== undefined || !!body.attachments?.length, { error: "text must be a string", path: ["text"] });
export type HttpSend = z.infer<typeof httpSendSchema>;

/**
 * The JSON body of `req` (parsed by express.json; a request without one counts as `{}`) as `schema`
 * parses it. Throws `refuse(message)`, by default `AppError("bad_request")` with the first problem,
 * which the API's error mapper answers as `400 { error: { code, message } }`.
 */
export function parseBody<S extends z.ZodType>(schema: S, req: Request, refuse?: (message: string) => AppError): z.infer<S> {
  return parsePayload(schema, req.body ?? {}, refuse);
}

/** The query string of `req` as `schema` parses it; `bad_request` with the first problem otherwise. */
export function parseQueryString<S extends z.ZodType>(schema: S, req: Request): z.infer<S> {
  return parsePayload(schema, req.query);
}
