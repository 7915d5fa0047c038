import type { Database, Queryable } from "../db";
import { AppError } from "../errors";
import { cleanMessageText } from "../text/rules";
import { isBlank } from "../text/unicode";
import { normalizeRoomName } from "./names";
import { readUpToSql, roomAccess, takeMessageSeqSql, type Room } from "./rooms";
import type { Message, MessageExtra, RoomKind } from "./types";
import { claimUploads } from "./uploads";
import type { User } from "./users";

/** Message ids on the wire: 16 zero-padded digits, so string order equals numeric order. */
export const formatMessageId = (id: string | number | bigint): string => String(id).padStart(16, "0");

/** Parses a wire message id (padded or not); `bad_request` for anything else. */
export function parseMessageId(raw: string): string {
  if (!/^\d{1,18}$/.test(raw)) throw new AppError("bad_request", "message id must be a string of digits");
  return BigInt(raw).toString();
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
  return r.extra ? { ...m, ...r.extra } : m;
};

/**
 * Checks message text and returns what is stored (lib/text/rules.ts `cleanMessageText`). With
 * `allowEmpty` (a message that carries attachments) a missing or blank text is stored as "".
 */
export function cleanText(raw: unknown, maxChars: number, opts: { allowEmpty?: boolean } = {}): string {
  if (opts.allowEmpty && (raw === undefined || (typeof raw === "string" && isBlank(raw)))) return "";
  return cleanMessageText(raw, maxChars);
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
      const [inserted] = await tx.query<MessageRow>(
        `with r as (${takeMessageSeqSql("$1")}),
              seen as (${readUpToSql("$1", "$2", "(select last_seq from r)")})
         insert into messages (id, room_id, seq, author_id, author, body, client_id, extra)
         select nextval('message_ids'), $1, r.last_seq, $2, $3, $4, $5, $6::jsonb from r
         on conflict (author_id, client_id) where client_id is not null do nothing
         returning ${COLUMNS}`,
        [room.id, user.id, user.name, text, clientId ?? null, extra ? JSON.stringify(extra) : null],
      );
      // Roll back the seq taken above so the room's sequence stays gap-free.
      if (!inserted) throw new DuplicateClientId();
      if (uploadIds.length > 0) await claimUploads(tx, { messageId: inserted.id, ids: uploadIds, user, room });
      return inserted;
    });
    return { message: toMessage(room.name, row), created: true };
  } catch (err) {
    if (!(err instanceof DuplicateClientId)) throw err;
  }
  const [existing] = await db.query<MessageRow & { room_id: string }>(
    `select ${COLUMNS}, room_id::text as room_id from messages where author_id = $1 and client_id = $2`,
    [user.id, clientId],
  );
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
 * one round trip (`room_history()`), with the same access decision and errors as `findRoomForMember`.
 */
export async function roomHistory(db: Queryable, user: User, input: { room: unknown; before?: string; limit: number }): Promise<Page> {
  const name = normalizeRoomName(input.room);
  const [row] = await db.query<{ history: string | null }>("select room_history($1, $2, $3, $4)::text as history", [
    name,
    user.id,
    cursor(input.before),
    input.limit + 1,
  ]);
  const found = row.history === null ? undefined : (JSON.parse(row.history) as [string, string, RoomKind, number, boolean, PageRow[] | null]);
  const { room } = roomAccess(name, found && { id: found[0], name: found[1], kind: found[2], last_seq: found[3], member: found[4] });
  // The function reads the page under the same rule roomAccess applies; a room let through without one
  // means the two rules have drifted apart.
  if (!found?.[5]) throw new AppError("internal", "history page missing for an accessible room");
  return toPage(room.name, found[5], input.limit);
}

/** A private room's or DM's members as enter_room() lists them (by name), with their user ids. */
export type Roster = { id: string; name: string }[];

/** What a join reads (see enterRoomPage); `moved`: the user's read marker moved forward. */
export type Entered = Page & { room: Room; readSeq: number; moved: boolean; lastChange: number; roster?: Roster };

/**
 * Joins the room named `name` (already normalised) for `user` in one round trip (`enter_room()`,
 * migration 18): the scoped lookup with findRoomForMember's access rule and errors, membership of a
 * public room, the newest `limit` messages, the read marker moved to the newest of them, and for a
 * private room or DM its roster. Undefined when no room has that name (the caller may create it).
 */
export async function enterRoomPage(db: Queryable, user: User, name: string, limit: number): Promise<Entered | undefined> {
  const [row] = await db.query<{ entered: string | null }>("select enter_room($1, $2, $3)::text as entered", [name, user.id, limit + 1]);
  if (row.entered === null) return undefined;
  const found = JSON.parse(row.entered) as [string, string, RoomKind, number, boolean, number?, PageRow[]?, ([string, string][] | null)?, boolean?, number?];
  const { room } = roomAccess(name, { id: found[0], name: found[1], kind: found[2], last_seq: found[3], member: found[4] });
  if (!found[6]) throw new AppError("internal", "history page missing for an accessible room");
  const readSeq = Number(found[5]);
  const roster = found[7]?.map(([id, name]) => ({ id, name }));
  return {
    room: { ...room, lastSeq: Math.max(room.lastSeq, readSeq) },
    readSeq,
    moved: found[8] === true,
    lastChange: Number(found[9] ?? 0),
    ...toPage(room.name, found[6], limit),
    ...(roster ? { roster } : {}),
  };
}

/**
 * The page of a room's history around message `around`, oldest first: that message and the older ones
 * up to half of `limit`, then the newer ones. `hasMore`: older messages exist; `hasNewer`: newer ones
 * exist past the page. For opening a room at a search result.
 */
export async function listMessagesAround(
  db: Queryable,
  input: { room: Room; around: string; limit: number },
): Promise<Page & { hasNewer: boolean }> {
  const around = BigInt(parseMessageId(input.around));
  const olderCount = Math.ceil(input.limit / 2);
  const newerCount = input.limit - olderCount;
  const [older] = await db.query<{ page: string }>("select message_page($1, $2, $3)::text as page", [input.room.id, (around + 1n).toString(), olderCount + 1]);
  const [newer] = await db.query<{ page: string }>("select messages_after($1, $2, $3)::text as page", [input.room.id, around.toString(), newerCount + 1]);
  const page = toPage(input.room.name, JSON.parse(older.page), olderCount);
  const after: PageRow[] = JSON.parse(newer.page);
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

/** The room name and previewed URL of a message that carries a link preview, if it exists. */
export async function findMessagePreview(db: Queryable, id: string): Promise<{ room: string; url: string } | undefined> {
  const [row] = await db.query<{ room: string; url: string | null }>(
    "select r.name as room, m.extra->'preview'->>'url' as url from messages m join rooms r on r.id = m.room_id where m.id = $1",
    [parseMessageId(id)],
  );
  return row?.url ? { room: row.room, url: row.url } : undefined;
}
