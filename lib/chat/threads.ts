import type { Database, Queryable } from "../db";
import { AppError } from "../errors";
import { takeChangePosition, type MessageChange } from "./changes";
import { addReplyToRoot, findByClientId, findRootRow, insertMessage, parseMessageId, replyRows, threadAuthorIds, threadRefOf, toMessage } from "./messages";
import { holdRoomAsMember, type Room } from "./rooms";
import { claimUploads } from "./uploads";
import type { Message, MessageExtra } from "./types";
import type { User } from "./users";

const noReplyTarget = () => new AppError("not_found", "no such message to reply to in this room");

/**
 * The root of the thread a reply to message `rawId` joins: that message, or, when it is itself a reply,
 * its root (threads are one level deep: a reply to a reply is flattened to the root). `not_found` for an
 * id that is not a message of `room` (another room's message included), a deleted one, and a reply
 * whose root is deleted (the thread takes no more replies, whichever of its ids is named).
 */
export async function findThreadRoot(db: Queryable, room: Room, rawId: string): Promise<string> {
  const ref = await threadRefOf(db, room.id, parseMessageId(rawId));
  if (!ref || ref.deleted || ref.rootDeleted) throw noReplyTarget();
  return ref.threadId ?? ref.id;
}

class Duplicate extends Error {}

/**
 * Stores a reply in thread `rootId` (from findThreadRoot) like a message (next seq of the room, the
 * author's clientId idempotent, `extra` such as attachments), with `threadId`, and updates the root's
 * `replies { count, lastAt }` in the same transaction as a change of the root in the room's order (its
 * change id comes after the reply's id, so a returning client gets the reply, then the root). The
 * reply's attachments are claimed in that transaction too, as postMessage claims a message's (claimUploads:
 * sent, they are readable by the room, kept by the pruning of unsent uploads, and taken by no other
 * message). `created` is false for a retried clientId (then nothing changed and `rootChange` is absent).
 * `not_found` when the root was deleted meanwhile, `conflict` when an attachment was sent meanwhile:
 * nothing is stored.
 */
export async function postReply(
  db: Database,
  input: { user: User; room: Room; text: string; clientId?: string; extra?: MessageExtra; rootId: string },
): Promise<{ message: Message; created: boolean; rootChange?: MessageChange }> {
  const { user, room, text, clientId, rootId } = input;
  const uploadIds = input.extra?.attachments?.map((a) => a.id) ?? [];
  try {
    const row = await db.transaction(async (tx) => {
      const inserted = await insertMessage(tx, { user, room, text, clientId, extra: input.extra, threadId: rootId });
      if (!inserted) throw new Duplicate();
      // A new reply (not a retry): its author must still be a member now that the insert holds the room.
      await holdRoomAsMember(tx, room, user);
      if (uploadIds.length > 0) await claimUploads(tx, { messageId: inserted.id, ids: uploadIds, user, room });
      // The room row is held since the insert above, so the root's change follows the reply in commit order
      // (and an archived room is refused there, roomArchived, rolling the reply back).
      const pos = await takeChangePosition(tx, room.id);
      if (!pos) throw new AppError("not_found", "room no longer exists");
      const root = await addReplyToRoot(tx, { rootId, lastAt: inserted.created_at, lastSeq: Number(inserted.seq), changeId: pos.changeId, changeSeq: pos.changeSeq });
      // Deleted since findThreadRoot looked: refused like any reply to a deleted root (rolling the reply back).
      if (!root) throw noReplyTarget();
      return { inserted, root };
    });
    return { message: toMessage(room.name, row.inserted), created: true, rootChange: { kind: "updated", message: toMessage(room.name, row.root) } };
  } catch (err) {
    if (!(err instanceof Duplicate)) throw err;
  }
  const existing = await findByClientId(db, user.id, clientId);
  if (!existing || existing.room_id !== room.id) throw new AppError("conflict", "clientId was already used for another room");
  return { message: toMessage(room.name, existing), created: false };
}

/**
 * A thread's root and one page of its replies, oldest first: the `limit` replies before `before` (or the
 * newest). `not_found` for a root that is not a message of `room`.
 */
export async function threadPage(db: Queryable, input: { room: Room; threadId: string; before?: string; limit: number }) {
  const rootId = parseMessageId(input.threadId);
  const root = await findRootRow(db, input.room.id, rootId);
  if (!root) throw new AppError("not_found", "no such thread in this room");
  const before = input.before === undefined ? null : parseMessageId(input.before);
  const rows = await replyRows(db, { roomId: input.room.id, rootId, before, limit: input.limit + 1 });
  const hasMore = rows.length > input.limit;
  const messages = rows.slice(0, input.limit).reverse().map((r) => toMessage(input.room.name, r));
  return { root: toMessage(input.room.name, root), messages, hasMore };
}

/**
 * Everyone to tell about a new reply in thread `rootId`: the root's author and each earlier replier, but
 * not `author`; with `replyId`, those a reply already stored was addressed to (who wrote before it).
 */
export async function threadParticipants(db: Queryable, rootId: string, author: User, replyId?: string): Promise<string[]> {
  return threadAuthorIds(db, parseMessageId(rootId), author.id, replyId === undefined ? undefined : parseMessageId(replyId));
}
