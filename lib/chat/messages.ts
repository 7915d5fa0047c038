import type { Database, Queryable } from "../db";
import { AppError } from "../errors";
import { cleanMessageText } from "../text/rules";
import { isBlank } from "../text/unicode";
import { normalizeRoomName } from "./names";
import { shownReactions } from "./reactions";
import { holdRoomAsMember, readUpToSql, roomAccess, takeMessageSeqSql, type Room } from "./rooms";
import type { Message, MessageExtra, RoomKind } from "./types";
import { claimUploads } from "./uploads";
import type { User, UserKind } from "./users";

/** Message ids on the wire: 16 zero-padded digits, so string order equals numeric order. */
export const formatMessageId = (id: string | number | bigint): string => String(id).padStart(16, "0");

/** Parses a wire message id (padded or not); `bad_request` for anything else. */
export function parseMessageId(raw: string): string {
  if (!/^\d{1,18}$/.test(raw)) throw new AppError("bad_request", "message id must be a string of digits");
  return BigInt(raw).toString();
}

/**
 * The messages of room `roomId` among `ids` (parsed: parseMessageId), each with its text (`body`),
 * whether its author is an administrator now (`admin`) and the author's kind (`kind`: what decides whether
 * its `@room` and its kin notify the room, mayNotifyRoom: a guest's never, an admin's always, others' in
 * a small room). Ids of other rooms' messages, or of none, are left out.
 */
export async function textsWithAuthorRole(db: Queryable, roomId: string, ids: string[]): Promise<{ id: string; body: string; admin: boolean; kind: UserKind }[]> {
  if (ids.length === 0) return [];
  return db.query<{ id: string; body: string; admin: boolean; kind: UserKind }>(
    `select m.id::text as id, m.body, u.is_admin as admin, u.kind from messages m join users u on u.id = m.author_id
      where m.room_id = $1 and m.id = any($2::bigint[])`,
    [roomId, ids],
  );
}

export type MessageRow = {
  id: string;
  seq: string | number;
  author: string;
  body: string;
  client_id: string | null;
  created_at: string;
  /** v2 fields a message may carry (migration 8: `messages.extra`), merged into the Message as they are. */
  extra?: MessageExtra | null;
};
/** A timestamptz as the wire wants it (`Date#toISOString()`: UTC, milliseconds), formatted by the database. */
export const isoTime = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
export const COLUMNS = `id::text as id, seq, author, body, client_id, ${isoTime("created_at")} as created_at, extra`;

/**
 * A stored row as the wire Message: the columns, then the v2 fields of `extra` as they are, except that
 * reactions name at most REACTION_USERS_SHOWN people per emoji (see shownReactions).
 */
export const toMessage = (room: string, r: MessageRow): Message => {
  const m: Message = {
    id: formatMessageId(r.id),
    seq: Number(r.seq),
    room,
    author: r.author,
    text: r.body,
    createdAt: r.created_at,
  };
  if (r.client_id !== null) m.clientId = r.client_id;
  if (!r.extra) return m;
  const out = { ...m, ...r.extra };
  if (r.extra.reactions) out.reactions = shownReactions(r.extra.reactions);
  return out;
};

/**
 * Checks message text and returns what is stored (lib/text/rules.ts `cleanMessageText`). With
 * `allowEmpty` (a message that carries attachments) a missing or blank text is stored as "".
 */
export function cleanText(raw: unknown, maxChars: number, opts: { allowEmpty?: boolean } = {}): string {
  if (opts.allowEmpty && (raw === undefined || (typeof raw === "string" && isBlank(raw)))) return "";
  return cleanMessageText(raw, maxChars);
}

/**
 * Stores one message row inside transaction `tx`, in one statement: the room's next seq (the room row
 * stays locked until commit, see takeMessageSeqSql), the author's read marker moved to it, and the row;
 * with `threadId`, as a reply in that thread (`extra.threadId` set). Undefined when (author, clientId) was
 * already stored: nothing is written then, but the seq taken must be rolled back with the transaction.
 */
export async function insertMessage(
  tx: Queryable,
  input: { user: User; room: Room; text: string; clientId?: string; extra?: MessageExtra; threadId?: string },
): Promise<MessageRow | undefined> {
  const { user, room, threadId } = input;
  const extra = threadId === undefined ? input.extra : { ...input.extra, threadId: formatMessageId(threadId) };
  const [inserted] = await tx.query<MessageRow>(
    `with r as (${takeMessageSeqSql("$1")}),
          seen as (${readUpToSql("$1", "$2", "(select last_seq from r)")})
     insert into messages (id, room_id, seq, author_id, author, body, client_id, thread_id, extra)
     select nextval('message_ids'), $1, r.last_seq, $2, $3, $4, $5, $6, $7::jsonb from r
     on conflict (author_id, client_id) where client_id is not null do nothing
     returning ${COLUMNS}`,
    [room.id, user.id, user.name, input.text, input.clientId ?? null, threadId ?? null, extra ? JSON.stringify(extra) : null],
  );
  return inserted;
}

/** The message `authorId` stored with `clientId`, with its room's id; undefined if none. */
export async function findByClientId(db: Queryable, authorId: string, clientId: string | undefined): Promise<(MessageRow & { room_id: string }) | undefined> {
  const [row] = await db.query<MessageRow & { room_id: string }>(
    `select ${COLUMNS}, room_id::text as room_id from messages where author_id = $1 and client_id = $2`,
    [authorId, clientId],
  );
  return row;
}

class DuplicateClientId extends Error {}

/**
 * Stores a message and returns it; `created` is false when (author, clientId) was already stored, in
 * which case the stored message is returned and nothing new is written. The room row is locked for the
 * insert so seq (and id) grow in commit order within the room: a reader never sees seq n+1 before n.
 */
export async function postMessage(
  db: Database,
  input: { user: User; room: Room; text: string; clientId?: string; extra?: MessageExtra },
): Promise<{ message: Message; created: boolean }> {
  const { user, room, text, clientId, extra } = input;
  const uploadIds = extra?.attachments?.map((a) => a.id) ?? [];
  try {
    const row = await db.transaction(async (tx) => {
      const inserted = await insertMessage(tx, { user, room, text, clientId, extra });
      // Roll back the seq taken above so the room's sequence stays gap-free.
      if (!inserted) throw new DuplicateClientId();
      // A new message (not a retry): its author must still be a member now that the insert holds the room.
      await holdRoomAsMember(tx, room, user);
      if (uploadIds.length > 0) await claimUploads(tx, { messageId: inserted.id, ids: uploadIds, user, room });
      return inserted;
    });
    return { message: toMessage(room.name, row), created: true };
  } catch (err) {
    if (!(err instanceof DuplicateClientId)) throw err;
  }
  const existing = await findByClientId(db, user.id, clientId);
  if (!existing) throw new AppError("internal", "message vanished");
  if (existing.room_id !== room.id) throw new AppError("conflict", "clientId was already used for another room");
  return { message: toMessage(room.name, existing), created: false };
}

/**
 * A message as `message_page()` and `messages_after()` return it (migration 5): pages come back as one
 * JSON text, far cheaper to decode than rows (PGlite decodes every column of every row), and a string
 * crosses from PGlite's worker thread more cheaply than objects.
 */
type PageRow = [id: string, seq: number, author: string, body: string, clientId: string | null, createdAt: string, extra?: MessageExtra | null];
type Page = { messages: Message[]; hasMore: boolean };

/** `rows` hold up to limit + 1 messages, oldest first; the extra (oldest) one only says there is more. */
function toPage(room: string, rows: PageRow[], limit: number): Page {
  const hasMore = rows.length > limit;
  return { messages: toMessages(room, hasMore ? rows.slice(rows.length - limit) : rows), hasMore };
}

const toMessages = (room: string, rows: PageRow[]) =>
  rows.map(([id, seq, author, body, client_id, created_at, extra]) => toMessage(room, { id, seq, author, body, client_id, created_at, extra }));

const cursor = (before: string | undefined) => (before === undefined ? null : parseMessageId(before));

/** One page of a room's history, oldest first: the `limit` messages before `before` (or the newest). */
export async function listMessages(db: Queryable, input: { room: Room; before?: string; limit: number }): Promise<Page> {
  const { room, before, limit } = input;
  const [row] = await db.query<{ page: string }>("select message_page($1, $2, $3)::text as page", [room.id, cursor(before), limit + 1]);
  return toPage(room.name, JSON.parse(row.page), limit);
}

/**
 * A page of the history of the room named `input.room`, for `user`: the scoped room lookup and the page in
 * one round trip (`room_history()`), with the same access decision and errors as `findRoomForMember`;
 * `room` is the room it read.
 */
export async function roomHistory(db: Queryable, user: User, input: { room: unknown; before?: string; limit: number }): Promise<Page & { room: Room }> {
  const name = normalizeRoomName(input.room);
  const [row] = await db.query<{ history: string | null }>("select room_history($1, $2, $3, $4)::text as history", [
    name,
    user.id,
    cursor(input.before),
    input.limit + 1,
  ]);
  const found = row.history === null ? undefined : (JSON.parse(row.history) as [string, string, RoomKind, number, boolean, PageRow[] | null]);
  const { room } = roomAccess(name, found && { id: found[0], name: found[1], kind: found[2], last_seq: found[3], member: found[4] }, user);
  // The function reads the page under the same rule roomAccess applies; a room let through without one
  // means the two rules have drifted apart.
  if (!found?.[5]) throw new AppError("internal", "history page missing for an accessible room");
  return { ...toPage(room.name, found[5], input.limit), room };
}

/**
 * A private room's or DM's members as enter_room() lists them (by name), with their user ids; `bot` for
 * a bot (present only then).
 */
export type Roster = { id: string; name: string; bot?: true }[];

/**
 * What a join reads (see enterRoomPage); `moved`: the user's read marker moved forward; `newMember`: the
 * join made the user a member (of a public room).
 */
/** `readBefore`: the user's read marker before the join moved it (the room's last seq for a new member). */
export type Entered = Page & { room: Room; readSeq: number; readBefore: number; moved: boolean; newMember: boolean; lastChange: number; roster?: Roster };

/**
 * Joins the room named `name` (already normalised) for `user` in one round trip (`enter_room()`,
 * migration 18): the scoped lookup with findRoomForMember's access rule and errors, membership of a
 * public room, the newest `limit` messages, the read marker moved to the newest of them, and for a
 * private room or DM its roster. Undefined when no room has that name (the caller may create it).
 */
export async function enterRoomPage(db: Queryable, user: User, name: string, limit: number): Promise<Entered | undefined> {
  const [row] = await db.query<{ entered: string | null }>("select enter_room($1, $2, $3)::text as entered", [name, user.id, limit + 1]);
  return row.entered === null ? undefined : toEntered(JSON.parse(row.entered) as EnterRoomAnswer, user, name, limit);
}

/**
 * Several joins in one statement (`enter_rooms()`, migration 64: enter_room() for each, in order, in one
 * transaction): each join's answer as enterRoomPage gives it, or the AppError that join alone would get
 * (not a member of a private room), in the order asked. `limit` as for enterRoomPage, the same for every
 * join. Rejects, for all of them, when the statement fails (the caller then reads each on its own).
 */
export async function enterRoomPages(db: Queryable, joins: readonly { user: User; name: string }[], limit: number): Promise<(Entered | undefined | AppError)[]> {
  const [row] = await db.query<{ entered: string }>("select enter_rooms($1::text[], $2::bigint[], $3)::text as entered", [
    joins.map((j) => j.name),
    joins.map((j) => j.user.id),
    limit + 1,
  ]);
  const answers = JSON.parse(row.entered) as (EnterRoomAnswer | null)[];
  if (answers.length !== joins.length) throw new AppError("internal", `enter_rooms answered ${answers.length} of ${joins.length} joins`);
  return answers.map((found, i) => {
    if (found === null) return undefined;
    try {
      return toEntered(found, joins[i].user, joins[i].name, limit);
    } catch (err) {
      if (err instanceof AppError) return err;
      throw err;
    }
  });
}

/** enter_room()'s answer (migrations 18, 48, 56, 61): a JSON array, see toEntered. */
type EnterRoomAnswer = [string, string, RoomKind, number, boolean, number?, PageRow[]?, ([string, string, string?][] | null)?, boolean?, number?, boolean?, number?];

/** A join as enter_room() answered it for `user` asking for `name`; throws roomAccess()'s refusal. */
function toEntered(found: EnterRoomAnswer, user: User, name: string, limit: number): Entered {
  // Whether the room is archived: the eleventh element since migration 56.
  const { room } = roomAccess(name, { id: found[0], name: found[1], kind: found[2], last_seq: found[3], member: found[4], archived: found[10] === true }, user);
  if (!found[6]) throw new AppError("internal", "history page missing for an accessible room");
  const readSeq = Number(found[5]);
  // The marker before the join: the twelfth element since migration 61.
  const readBefore = found[11] === undefined || found[11] === null ? readSeq : Number(found[11]);
  // Each member as [id, name, kind] (migration 48; [id, name] before it).
  const roster: Roster | undefined = found[7]?.map(([id, name, kind]) => (kind === "bot" ? { id, name, bot: true } : { id, name }));
  return {
    room: { ...room, lastSeq: Math.max(room.lastSeq, readSeq) },
    readSeq,
    readBefore: Math.min(readBefore, readSeq),
    moved: found[8] === true,
    newMember: found[4] !== true,
    lastChange: Number(found[9] ?? 0),
    ...toPage(room.name, found[6], limit),
    ...(roster ? { roster } : {}),
  };
}

/**
 * The page of a room's history around message `around`, oldest first: that message and the older ones
 * up to half of `limit`, then the newer ones. `hasMore`: older messages exist; `hasNewer`: newer ones
 * exist past the page. For opening a room at a search result. `not_found` when `around` is not a
 * message of the room (unknown, or another room's), as for every verb that names a message; a deleted
 * one is, its tombstone keeping its place. One statement.
 */
export async function listMessagesAround(
  db: Queryable,
  input: { room: Room; around: string; limit: number },
): Promise<Page & { hasNewer: boolean }> {
  const around = BigInt(parseMessageId(input.around));
  const olderCount = Math.ceil(input.limit / 2);
  const newerCount = input.limit - olderCount;
  const [row] = await db.query<{ found: boolean; older: string; newer: string }>(
    `select exists(select 1 from messages where id = $2::bigint and room_id = $1::bigint) as found,
            message_page($1::bigint, $2::bigint + 1, $3::integer)::text as older,
            messages_after($1::bigint, $2::bigint, $4::integer)::text as newer`,
    [input.room.id, around.toString(), olderCount + 1, newerCount + 1],
  );
  if (!row.found) throw new AppError("not_found", "no such message in this room");
  const page = toPage(input.room.name, JSON.parse(row.older), olderCount);
  const after: PageRow[] = JSON.parse(row.newer);
  return { messages: [...page.messages, ...toMessages(input.room.name, after.slice(0, newerCount))], hasMore: page.hasMore, hasNewer: after.length > newerCount };
}

/** Messages after `after` (exclusive), oldest first, at most `limit`: what a reconnecting client missed. */
export async function listMessagesAfter(
  db: Queryable,
  input: { room: Room; after: string; limit: number },
): Promise<Message[]> {
  const [row] = await db.query<{ page: string }>("select messages_after($1, $2, $3)::text as page", [
    input.room.id,
    parseMessageId(input.after),
    input.limit,
  ]);
  return toMessages(input.room.name, JSON.parse(row.page));
}

/** The room (id, name, kind) and previewed URL of a message that carries a link preview, if it exists. */
export async function findMessagePreview(db: Queryable, id: string): Promise<{ room: { id: string; name: string; kind: RoomKind }; url: string } | undefined> {
  const [row] = await db.query<{ room_id: string; room: string; kind: RoomKind; url: string | null }>(
    "select r.id::text as room_id, r.name as room, r.kind, m.extra->'preview'->>'url' as url from messages m join rooms r on r.id = m.room_id where m.id = $1",
    [parseMessageId(id)],
  );
  return row?.url ? { room: { id: row.room_id, name: row.room, kind: row.kind }, url: row.url } : undefined;
}

/**
 * Id of the message numbered `seq` in room `roomId` (formatted, as `Message.id`), or null when none: the
 * room's newest, given its `lastSeq` (list-rooms' `lastMessageId`). One lookup in the (room_id, seq) index.
 */
export async function messageIdAtSeq(db: Queryable, roomId: string, seq: number): Promise<string | null> {
  if (seq <= 0) return null;
  const [row] = await db.query<{ id: string }>("select id::text as id from messages where room_id = $1 and seq = $2", [roomId, seq]);
  return row ? formatMessageId(row.id) : null;
}

/** Id of the newest message of room `roomId` stored before `before` (ISO 8601), or "0" when none. */
export async function lastMessageIdBefore(db: Queryable, roomId: string, before: string): Promise<string> {
  const [cut] = await db.query<{ id: string }>(
    "select coalesce((select id from messages where room_id = $1 and created_at < $2::timestamptz order by room_id desc, id desc limit 1), 0)::text as id",
    [roomId, before],
  );
  return cut.id;
}

/**
 * Where message `id` of room `roomId` stands in threads: its own `thread_id`, whether it is deleted, and
 * for a reply whether its thread's root is deleted (`rootDeleted`: false for a root); undefined if no
 * such message.
 */
export async function threadRefOf(
  db: Queryable,
  roomId: string,
  id: string,
): Promise<{ id: string; threadId: string | null; deleted: boolean; rootDeleted: boolean } | undefined> {
  const [row] = await db.query<{ id: string; thread_id: string | null; deleted: boolean; root_deleted: boolean }>(
    `select m.id::text as id, m.thread_id::text as thread_id, m.extra->'deleted' is not null as deleted,
            coalesce(r.extra->'deleted' is not null, false) as root_deleted
       from messages m left join messages r on r.id = m.thread_id
      where m.id = $1 and m.room_id = $2`,
    [id, roomId],
  );
  return row && { id: row.id, threadId: row.thread_id, deleted: row.deleted, rootDeleted: row.root_deleted };
}

/**
 * Counts a new reply (stored at `lastAt`, seq `lastSeq` of the room) on thread root `rootId` inside the
 * transaction that stored it: `replies { count, lastAt, lastSeq }` and the root's new change position. Returns the root as stored, or
 * undefined when the root is deleted (by a deletion that committed after the root was looked up): the
 * caller then refuses the reply and rolls back.
 */
export async function addReplyToRoot(tx: Queryable, input: { rootId: string; lastAt: string; lastSeq: number; changeId: string; changeSeq: number }): Promise<MessageRow | undefined> {
  const [root] = await tx.query<MessageRow>(
    `update messages set change_id = $3, change_seq = $4, edit_change = $3,
            extra = coalesce(extra, '{}'::jsonb) || jsonb_build_object(
              'replies', jsonb_build_object('count', coalesce((extra->'replies'->>'count')::int, 0) + 1, 'lastAt', $2::text, 'lastSeq', $6::bigint),
              'changeId', $5::text, 'changeSeq', $4::bigint)
      where id = $1 and extra->'deleted' is null returning ${COLUMNS}`,
    [input.rootId, input.lastAt, input.changeId, input.changeSeq, formatMessageId(input.changeId), input.lastSeq],
  );
  return root;
}

/**
 * Takes a reply just deleted (a tombstone already, in the same transaction) off its root's `replies`:
 * the count of the replies left that are not deleted, with the newest one's `lastAt` and `lastSeq`, or
 * no `replies` once none is left. A change of the root in the room's order at `changeId`/`changeSeq`, as
 * addReplyToRoot's; a deleted root is updated alike (its tombstone stops saying "1 reply" of a thread
 * whose replies are all deleted). Returns the root as stored; undefined when `rootId` is no message of
 * room `roomId`.
 */
export async function removeReplyFromRoot(tx: Queryable, input: { roomId: string; rootId: string; changeId: string; changeSeq: number }): Promise<MessageRow | undefined> {
  const [root] = await tx.query<MessageRow>(
    `with live as (
       select count(*)::int as n, max(id) as newest from messages where room_id = $1 and thread_id = $2 and extra->'deleted' is null
     ), newest as (
       select ${isoTime("m.created_at")} as last_at, m.seq as last_seq from messages m, live where m.id = live.newest
     )
     update messages set change_id = $3, change_seq = $4, edit_change = $3,
            extra = (case when live.n = 0 then coalesce(extra, '{}'::jsonb) - 'replies'
                          else coalesce(extra, '{}'::jsonb) || jsonb_build_object('replies', jsonb_build_object(
                            'count', live.n, 'lastAt', (select last_at from newest), 'lastSeq', (select last_seq from newest))) end)
                    || jsonb_build_object('changeId', $5::text, 'changeSeq', $4::bigint)
       from live
      where id = $2 and room_id = $1 and thread_id is null returning ${COLUMNS}`,
    [input.roomId, input.rootId, input.changeId, input.changeSeq, formatMessageId(input.changeId)],
  );
  return root;
}

/** Message `rootId` of room `roomId` if it is a thread root (not itself a reply); undefined otherwise. */
export async function findRootRow(db: Queryable, roomId: string, rootId: string): Promise<MessageRow | undefined> {
  const [root] = await db.query<MessageRow>(`select ${COLUMNS} from messages where id = $1 and room_id = $2 and thread_id is null`, [rootId, roomId]);
  return root;
}

/** Replies of thread `rootId` in room `roomId` before reply `before` (all, when null), newest first, at most `limit`. */
export async function replyRows(db: Queryable, input: { roomId: string; rootId: string; before: string | null; limit: number }): Promise<MessageRow[]> {
  return db.query<MessageRow>(
    `select ${COLUMNS} from messages where room_id = $1 and thread_id = $2 and ($3::bigint is null or id < $3)
      order by room_id, thread_id, messages.id desc limit $4`,
    [input.roomId, input.rootId, input.before, input.limit],
  );
}

/**
 * User ids of thread `rootId`'s root author and repliers, without `exceptId`; with `beforeId`, only those
 * who wrote in it before that message (the ones a reply of that id was addressed to).
 */
export async function threadAuthorIds(db: Queryable, rootId: string, exceptId: string, beforeId?: string): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `select distinct author_id::text as id from messages
      where (id = $1 or thread_id = $1) and author_id <> $2 and ($3::bigint is null or id < $3::bigint)`,
    [rootId, exceptId, beforeId ?? null],
  );
  return rows.map((r) => r.id);
}

/** Messages of room `roomId` whose latest change number is above `after`, in change order, at most `limit`. */
export async function changedRows(db: Queryable, input: { roomId: string; after: number; limit: number }): Promise<MessageRow[]> {
  return db.query<MessageRow>(
    `select ${COLUMNS} from messages where room_id = $1 and change_seq > $2 and change_seq is not null
      order by room_id, change_seq limit $3`,
    [input.roomId, input.after, input.limit],
  );
}

/** A row of missedRows: `pos` its position in the room's order; `edited`: changed by more than reactions since; `is_new`: stored since. */
export type MissedRow = MessageRow & { pos: string; edited: boolean; is_new: boolean };

/**
 * Room `roomId`'s messages stored after position `after` (a message or change id, exclusive), at most
 * `limit`, and its older messages changed since, each once at its latest position, at most `limit` too,
 * merged in position order. Each part has its own limit, so a room with more new messages than the
 * limit still replays the changes of the messages the client holds (which it could not learn of
 * otherwise: new messages past the limit it fills from `history`).
 */
export async function missedRows(db: Queryable, input: { roomId: string; after: string; limit: number }): Promise<MissedRow[]> {
  return db.query<MissedRow>(
    `select * from (
       (select ${COLUMNS}, id::text as pos, false as edited, true as is_new from messages
         where room_id = $1 and id > $2 order by room_id, messages.id limit $3)
       union all
       (select ${COLUMNS}, change_id::text as pos, coalesce(edit_change > $2, false) as edited, false as is_new from messages
         where room_id = $1 and change_id > $2 and id <= $2 order by room_id, change_id limit $3)
     ) q order by pos::bigint`,
    [input.roomId, input.after, input.limit],
  );
}

/** A message row with its author's id, as a change of it is decided (lockForChange). */
export type ChangingRow = MessageRow & { author_id: string };

/**
 * Message `id` of room `roomId` with its author's id, its row locked until the end of transaction `tx`
 * (a change decides from it and stores with storeChange); undefined if no such message.
 */
export async function lockForChange(tx: Queryable, roomId: string, id: string): Promise<ChangingRow | undefined> {
  const [current] = await tx.query<ChangingRow>(`select ${COLUMNS}, author_id::text as author_id from messages where id = $1 and room_id = $2 for update`, [id, roomId]);
  return current;
}

/**
 * Stores the new state of message `id` after an edit, a deletion or a change by the server: its text,
 * its `extra` (with the change position) and the change position (`change_id`, `change_seq`; also
 * `edit_change`, which tells catch-up that more than reactions changed). Returns the row as stored.
 */
export async function storeChange(tx: Queryable, input: { id: string; body: string; extra: MessageExtra; changeId: string; changeSeq: number }): Promise<MessageRow> {
  const [row] = await tx.query<MessageRow>(
    `update messages set body = $2, extra = $3::jsonb, change_id = $4, change_seq = $5, edit_change = $4
      where id = $1 returning ${COLUMNS}`,
    [input.id, input.body, JSON.stringify(input.extra), input.changeId, input.changeSeq],
  );
  return row;
}

/** Messages `ids` of room `roomId` (those that exist), with the room's id and the latest change number (`change_seq` as text, null before any change). */
export async function rowsForToggle(q: Queryable, roomId: string, ids: string[]): Promise<(MessageRow & { room_id: string; change_seq: string | null })[]> {
  return q.query(`select ${COLUMNS}, room_id::text as room_id, change_seq::text as change_seq from messages where room_id = $1 and id = any($2::bigint[])`, [roomId, ids]);
}
