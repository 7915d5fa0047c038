import type { Database, Queryable } from "../db";
import { AppError } from "../errors";
import { takeChangePosition, type MessageChange } from "./changes";
import { COLUMNS, formatMessageId, parseMessageId, toMessage, type MessageRow } from "./messages";
import { readUpToSql, takeMessageSeqSql, type Room } from "./rooms";
import type { Message, MessageExtra } from "./types";
import type { User } from "./users";

/**
 * The root of the thread a reply to message `rawId` joins: that message, or, when it is itself a reply,
 * its root (threads are one level deep: a reply to a reply is flattened to the root). `not_found` for an
 * id that is not a message of `room` (another room's message included) or a deleted one.
 */
export async function findThreadRoot(db: Queryable, room: Room, rawId: string): Promise<string> {
  const [row] = await db.query<{ id: string; thread_id: string | null; deleted: boolean }>(
    "select id::text as id, thread_id::text as thread_id, extra->'deleted' is not null as deleted from messages where id = $1 and room_id = $2",
    [parseMessageId(rawId), room.id],
  );
  if (!row || row.deleted) throw new AppError("not_found", "no such message to reply to in this room");
  return row.thread_id ?? row.id;
}

class Duplicate extends Error {}

/**
 * Stores a reply in thread `rootId` (from findThreadRoot) like a message (next seq of the room, the
 * author's clientId idempotent, `extra` such as attachments), with `threadId`, and updates the root's
 * `replies { count, lastAt }` in the same transaction as a change of the root in the room's order (its
 * change id comes after the reply's id, so a returning client gets the reply, then the root). `created`
 * is false for a retried clientId (then nothing changed and `rootChange` is absent).
 */
export async function postReply(
  db: Database,
  input: { user: User; room: Room; text: string; clientId?: string; extra?: MessageExtra; rootId: string },
): Promise<{ message: Message; created: boolean; rootChange?: MessageChange }> {
  const { user, room, text, clientId, rootId } = input;
  try {
    const row = await db.transaction(async (tx) => {
      const [inserted] = await tx.query<MessageRow>(
        `with r as (${takeMessageSeqSql("$1")}),
              seen as (${readUpToSql("$1", "$2", "(select last_seq from r)")})
         insert into messages (id, room_id, seq, author_id, author, body, client_id, thread_id, extra)
         select nextval('message_ids'), $1, r.last_seq, $2, $3, $4, $5, $6, coalesce($8::jsonb, '{}'::jsonb) || jsonb_build_object('threadId', $7::text) from r
         on conflict (author_id, client_id) where client_id is not null do nothing
         returning ${COLUMNS}`,
        [room.id, user.id, user.name, text, clientId ?? null, rootId, formatMessageId(rootId), input.extra ? JSON.stringify(input.extra) : null],
      );
      if (!inserted) throw new Duplicate();
      // The room row is held since the insert above, so the root's change follows the reply in commit order.
      const pos = await takeChangePosition(tx, room.id);
      if (!pos) throw new AppError("not_found", "room no longer exists");
      const [root] = await tx.query<MessageRow>(
        `update messages set change_id = $3, change_seq = $4, edit_change = $3,
                extra = coalesce(extra, '{}'::jsonb) || jsonb_build_object(
                  'replies', jsonb_build_object('count', coalesce((extra->'replies'->>'count')::int, 0) + 1, 'lastAt', $2::text),
                  'changeId', $5::text, 'changeSeq', $4::bigint)
          where id = $1 returning ${COLUMNS}`,
        [rootId, inserted.created_at, pos.changeId, pos.changeSeq, formatMessageId(pos.changeId)],
      );
      return { inserted, root };
    });
    return { message: toMessage(room.name, row.inserted), created: true, rootChange: { kind: "updated", message: toMessage(room.name, row.root) } };
  } catch (err) {
    if (!(err instanceof Duplicate)) throw err;
  }
  const [existing] = await db.query<MessageRow & { room_id: string }>(
    `select ${COLUMNS}, room_id::text as room_id from messages where author_id = $1 and client_id = $2`,
    [user.id, clientId],
  );
  if (!existing || existing.room_id !== room.id) throw new AppError("conflict", "clientId was already used for another room");
  return { message: toMessage(room.name, existing), created: false };
}

/**
 * A thread's root and one page of its replies, oldest first: the `limit` replies before `before` (or the
 * newest). `not_found` for a root that is not a message of `room`.
 */
export async function threadPage(db: Queryable, input: { room: Room; threadId: string; before?: string; limit: number }) {
  const rootId = parseMessageId(input.threadId);
  const [root] = await db.query<MessageRow>(`select ${COLUMNS} from messages where id = $1 and room_id = $2 and thread_id is null`, [rootId, input.room.id]);
  if (!root) throw new AppError("not_found", "no such thread in this room");
  const rows = await db.query<MessageRow>(
    `select ${COLUMNS} from messages where room_id = $1 and thread_id = $2 and ($3::bigint is null or id < $3)
      order by room_id, thread_id, id desc limit $4`,
    [input.room.id, rootId, input.before === undefined ? null : parseMessageId(input.before), input.limit + 1],
  );
  const hasMore = rows.length > input.limit;
  const messages = rows.slice(0, input.limit).reverse().map((r) => toMessage(input.room.name, r));
  return { root: toMessage(input.room.name, root), messages, hasMore };
}

/** Everyone to tell about a new reply in thread `rootId`: the root's author and each earlier replier, but not `author`. */
export async function threadParticipants(db: Queryable, rootId: string, author: User): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `select distinct author_id::text as id from messages where (id = $1 or thread_id = $1) and author_id <> $2`,
    [parseMessageId(rootId), author.id],
  );
  return rows.map((r) => r.id);
}
