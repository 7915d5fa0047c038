/**
 * Which messages are the reader's own: what decides Edit and Delete, Up-arrow editing, the own style, and
 * that one's own messages are never news. A message on the wire names its author by the display name
 * they had when writing it, and names change hands (a rename frees one, and someone else may take it),
 * so the name alone does not say whose a message is: the server keeps the account, and tells the reader
 * its own names with when it had them (`names`, lib/chat/users.ts nameHistory). A message is the
 * reader's when its author is one of those names and it was written while the reader had that name.
 */
import type { NameSpan } from "@/lib/chat/types";

/**
 * The reader as ownership sees them: the current `name`, and `names` as the server gave them (GET
 * /api/session's user, or the page's session; the socket's `session` event does not carry them). Without
 * `names` (not known yet, or a guest) only the current name counts, whenever a message was written.
 */
export type Self = { name: string; names?: readonly NameSpan[] };

/**
 * Whether `message` is `self`'s: its author is a name of theirs and `createdAt` (ISO-8601) is within
 * the span they had it (bounds included, to the millisecond as the server gives both). A message without
 * `createdAt` was written just now (a live `room-activity`): the current name decides. Messages still
 * being sent are the sender's whatever this says: callers take those as their own first.
 */
export function isOwnMessage(message: { author: string; createdAt?: string }, self: Self | null | undefined): boolean {
  if (!self) return false;
  if (message.createdAt === undefined || !self.names?.length) return message.author === self.name;
  const at = Date.parse(message.createdAt);
  return self.names.some(
    (n) => n.name === message.author && at >= Date.parse(n.since) && (n.until === undefined || at <= Date.parse(n.until)),
  );
}

/** The Self of the name `me` alone (no history known): for parts given only a name. */
export const selfNamed = (me: string | null | undefined): Self | null => (me ? { name: me } : null);

/**
 * Which of `users` (the names a reaction on `message` lists, each as it was when they reacted) is
 * `self`'s, or undefined: what decides whether the reader's reaction shows as pressed and what a toggle
 * takes away. A reaction comes after its message, so a name counts when `self` held it at some moment
 * from the message's `createdAt` on: the current name always, an earlier one given up no sooner than
 * the message was written (a name given up before it cannot have reacted to it as the reader's). The
 * server finds reactors by account, so a renamed reader's reaction under an earlier name is still theirs
 * to take away. Without `createdAt` or `names`, only the current name counts. A name given up after the
 * message and taken since by someone else who reacted with it cannot be told apart: it reads as the
 * reader's (the list names no accounts).
 */
export function ownReactor(users: readonly string[], message: { createdAt?: string }, self: Self | null | undefined): string | undefined {
  if (!self) return undefined;
  if (users.includes(self.name)) return self.name;
  if (message.createdAt === undefined || !self.names?.length) return undefined;
  const at = Date.parse(message.createdAt);
  return users.find((u) => self.names!.some((n) => n.name === u && (n.until === undefined || Date.parse(n.until) >= at)));
}
