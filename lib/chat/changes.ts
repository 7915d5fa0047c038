import type { Database, Queryable } from "../db";
import { AppError } from "../errors";
import { firstLink } from "../previews/first-link";
import { emptyText } from "../text/rules";
import { changedRows, formatMessageId, lockForChange, missedRows, parseMessageId, removeReplyFromRoot, storeChange, toMessage, type ChangingRow } from "./messages";
import { holdRoomAsMember, roomChangeCount, takeChangeSeq, type Room } from "./rooms";
import type { LinkPreview, Message, MessageExtra, ReactionToggle } from "./types";
import type { User } from "./users";

/** A committed change of a stored message, as the domain event `changed` announces it. */
export type MessageChange = {
  /**
   * `edited`, `deleted`, `reacted` by a person; `updated` when the server changed it: a root's
   * `replies` after a reply was stored, a link preview added.
   */
  kind: "edited" | "deleted" | "reacted" | "updated";
  /** The message as it is after the change (a tombstone after a deletion). */
  message: Message;
  /** The text before an edit (mentions are notified only for names that are new). */
  previousText?: string;
  /** For `reacted`: what the toggle did (who, which emoji, added or taken away, the emoji's count now). */
  reaction?: ReactionToggle;
};

type Current = ChangingRow;
/** What applyChange stores: edits, deletions and the server's changes (reactions have their own writer, reaction-writer.ts). */
type Next = { kind: Exclude<MessageChange["kind"], "reacted">; body: string; extra: MessageExtra };
class Unchanged extends Error {}

/**
 * Takes the next place in `roomId`'s change order inside transaction `tx`: the room's next change count
 * (`rooms.last_change`, gap-free while the transaction commits or rolls back whole) and a change id from
 * `message_ids`. Holding the room row until commit is what orders a room's changes and new messages by
 * commit. Undefined if the room no longer exists.
 */
export async function takeChangePosition(tx: Queryable, roomId: string): Promise<{ changeId: string; changeSeq: number } | undefined> {
  const changeSeq = await takeChangeSeq(tx, roomId);
  if (changeSeq === undefined) return undefined;
  const [{ change_id }] = await tx.query<{ change_id: string }>("select nextval('message_ids')::text as change_id");
  return { changeId: change_id, changeSeq };
}

/**
 * Applies one change to message `id` of `room` in one transaction: takes the room's next change count
 * (`rooms.last_change`, gap-free) and a change id from `message_ids` while holding the room row (so
 * changes and new messages of a room are ordered by commit), lets `decide` compute the new state from
 * the current one (it throws to refuse, or returns null for "nothing to change"), and stores it.
 * `not_found` for an id that is not a message of that room. With `actor` (a person's change, not the
 * server's), `forbidden` when the room is private or a DM and they are no longer a member once the row
 * is held (a removal committed while the change waited; holdRoomAsMember). `follow` makes a second
 * change in the same transaction, after the first (a deleted reply's root): its change is `rootChange`.
 */
async function applyChange(
  db: Database,
  room: Room,
  rawId: string,
  decide: (current: Current, message: Message) => Next | null,
  actor?: User,
  follow?: (tx: Queryable, changed: Message) => Promise<MessageChange | undefined>,
): Promise<{ change?: MessageChange; message: Message; rootChange?: MessageChange }> {
  const id = parseMessageId(rawId);
  try {
    return await db.transaction(async (tx) => {
      // Taken first (holding the room row); a refusal or "nothing to change" rolls it back, leaving no gap.
      const pos = await takeChangePosition(tx, room.id);
      if (!pos) throw new AppError("not_found", "room no longer exists");
      if (actor) await holdRoomAsMember(tx, room, actor);
      const current = await lockForChange(tx, room.id, id);
      if (!current) throw new AppError("not_found", "no such message in this room");
      const before = toMessage(room.name, current);
      const next = decide(current, before);
      if (!next) throw new Unchanged(JSON.stringify(before));
      const extra: MessageExtra = { ...next.extra, changeId: formatMessageId(pos.changeId), changeSeq: pos.changeSeq };
      const row = await storeChange(tx, { id, body: next.body, extra, changeId: pos.changeId, changeSeq: pos.changeSeq });
      const message = toMessage(room.name, row);
      const rootChange = follow ? await follow(tx, message) : undefined;
      return { change: { kind: next.kind, message, previousText: current.body }, message, ...(rootChange && { rootChange }) };
    });
  } catch (err) {
    // Rolled back, so the room's change count keeps no gap.
    if (err instanceof Unchanged) return { message: JSON.parse(err.message) as Message };
    throw err;
  }
}

const live = (m: Message) => {
  if (m.deleted) throw new AppError("not_found", "that message was deleted");
};
/** The stored v2 fields without the change position (applyChange sets the new one). */
function extraOf(r: Current): MessageExtra {
  const { changeId: _id, changeSeq: _seq, ...rest } = r.extra ?? {};
  return rest;
}

/**
 * The author replaces the text (already cleaned); sets `editedAt`. The text may be "" only for a message
 * that carries attachments, as when sending (`bad_request` `text_empty` otherwise). The link preview
 * stays only while it is for the text's first link: an edit that removes or changes that link (emptying
 * the text included) drops the card (and with it its image). `forbidden` for anyone else.
 */
export async function editMessage(db: Database, input: { user: User; room: Room; id: string; text: string }) {
  const link = await firstLink(input.text, undefined, { who: input.user.id });
  return applyChange(db, input.room, input.id, (row, m) => {
    live(m);
    if (row.author_id !== input.user.id) throw new AppError("forbidden", "only the author may edit a message");
    if (input.text === "" && !m.attachments?.length) throw emptyText();
    if (row.body === input.text) return null;
    const { preview, ...rest } = extraOf(row);
    const kept = preview && preview.url === link ? { preview } : {};
    return { kind: "edited", body: input.text, extra: { ...rest, ...kept, editedAt: new Date().toISOString() } };
  }, input.user);
}

/**
 * The author or an administrator deletes a message: it becomes a tombstone (text "", no attachments,
 * reactions or preview; id, seq and its place in a thread kept). A deleted reply stops counting in its
 * root's `replies` (removeReplyFromRoot: `rootChange`, the root's change right after the deletion).
 * `forbidden` for anyone else; `not_found` if already deleted.
 */
export function deleteMessage(db: Database, input: { user: User; room: Room; id: string }) {
  return applyChange(
    db, input.room, input.id,
    (row, m) => {
      live(m);
      if (row.author_id !== input.user.id && !input.user.admin) throw new AppError("forbidden", "only the author or an administrator may delete a message");
      // The thread stays readable: a deleted root keeps its replies count, a deleted reply its thread.
      const { threadId, replies, authorKind } = extraOf(row);
      return { kind: "deleted", body: "", extra: { deleted: true, ...(threadId ? { threadId } : {}), ...(replies ? { replies } : {}), ...(authorKind ? { authorKind } : {}) } };
    },
    input.user,
    async (tx, deleted) => {
      if (!deleted.threadId) return undefined;
      const pos = await takeChangePosition(tx, input.room.id);
      const root = pos && (await removeReplyFromRoot(tx, { roomId: input.room.id, rootId: parseMessageId(deleted.threadId), changeId: pos.changeId, changeSeq: pos.changeSeq }));
      return root ? { kind: "updated", message: toMessage(input.room.name, root) } : undefined;
    },
  );
}

/**
 * Adds a link preview card to a message: a change by the server (`updated`), in the room's order like
 * any other. `text`: the message's text the card's link was read from. A deleted message gets none, nor
 * one whose text is no longer that (edited while the card was being made: the edit asks for a card of
 * its own when it has none, see LinkPreviews.messageEdited): no change, no position taken.
 */
export function setPreview(db: Database, input: { room: Room; id: string; preview: LinkPreview; text: string }) {
  return applyChange(db, input.room, input.id, (row, m) =>
    m.deleted || row.body !== input.text ? null : { kind: "updated", body: row.body, extra: { ...extraOf(row), preview: input.preview } },
  );
}

/**
 * The messages of `room` whose latest change has a change number (`changeSeq`) above `after`, as they
 * are now, in change order, at most `limit`; `lastChange` is the room's change count read first, so
 * every change up to it is reflected in the messages or in a later page. For a client that saw a gap
 * in `changeSeq`: several changes of one message come as one (its latest state).
 */
export async function changesAfter(db: Queryable, input: { room: Room; after: number; limit: number }) {
  const lastChange = await roomChangeCount(db, input.room.id);
  const rows = await changedRows(db, { roomId: input.room.id, after: input.after, limit: input.limit + 1 });
  const messages = rows.slice(0, input.limit).map((r) => toMessage(input.room.name, r));
  return { messages, lastChange, hasMore: rows.length > input.limit };
}

/** What a client that was away missed in a room, in the room's order. */
export type Missed = { kind: "posted" | MessageChange["kind"]; message: Message; position: string };

/**
 * Everything of `room` after position `after` (a message id or change id, exclusive), in the room's
 * order: each message stored since, once, as it is now (`posted`), at most `limit` (the oldest); and
 * each older message changed since, once, as it is now, at its latest change (`deleted` if it is a
 * tombstone, `updated` — sent whole — if anything but its reactions changed since `after`: an edit,
 * its `replies`, its preview; else `reacted`), at most `limit` too (see missedRows).
 */
export async function listMissed(db: Queryable, input: { room: Room; after: string; limit: number }): Promise<Missed[]> {
  const rows = await missedRows(db, { roomId: input.room.id, after: parseMessageId(input.after), limit: input.limit });
  return rows.map((r) => {
    const message = toMessage(input.room.name, r);
    const kind = r.is_new ? "posted" : message.deleted ? "deleted" : r.edited ? "updated" : "reacted";
    return { kind, message, position: formatMessageId(r.pos) };
  });
}
