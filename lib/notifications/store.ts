import type { Queryable } from "../db";
import { formatMessageId } from "../chat/messages";
import type { Notification, NotificationAuthorKind, NotificationType } from "./types";

/** A user's stream replays at most this many, from at most this far back. */
export const KEEP_LAST = 1000;
export const KEEP_MS = 7 * 24 * 3600 * 1000;

type Row = {
  id: string;
  type: NotificationType;
  message: string;
  room: string | null;
  room_title: string | null;
  from_name: string | null;
  from_kind: NotificationAuthorKind | null;
  message_id: string | null;
  created_at: Date;
  /** The thread root of the message it is about, for a thread reply (read with the message, not stored). */
  thread_id?: string | null;
};
const COLUMNS = "id::text as id, type, message, room, room_title, from_name, from_kind, message_id::text as message_id, created_at";
/** COLUMNS of `notifications n` with the thread root of its message (messages.thread_id), by the message's primary key. */
const COLUMNS_WITH_THREAD = `${COLUMNS}, (select m.thread_id::text from messages m where m.id = n.message_id) as thread_id`;

const toNotification = (r: Row): Notification => ({
  id: r.id,
  type: r.type,
  message: r.message,
  ...(r.room !== null ? { room: r.room } : {}),
  ...(r.room_title !== null ? { roomTitle: r.room_title } : {}),
  ...(r.from_name !== null ? { from: r.from_name } : {}),
  ...(r.from_kind ? { fromKind: r.from_kind } : {}),
  ...(r.message_id !== null ? { messageId: formatMessageId(r.message_id) } : {}),
  ...(r.thread_id ? { threadId: formatMessageId(r.thread_id) } : {}),
  timestamp: new Date(r.created_at).toISOString(),
});

/**
 * `messageId`: the message it is about (a mention, reply, DM or message), absent for invites and
 * announcements; `threadId`: that message's thread root when it is a thread reply (not stored: read back
 * from the message, see listNotificationsAfter); `fromKind`: `from` is a guest or a bot (stored, migration 60).
 */
export type NewNotification = Omit<Notification, "id" | "timestamp">;

/** The first key of the per-user advisory locks that order a user's notifications (see storeNotifications). */
const NOTIFY_LOCK_CLASS = 0x6e6f74;

/**
 * Takes the per-user notification locks of `userIds` (transaction-scoped advisory locks, in id order so
 * two holders never wait on each other crosswise), held to the commit. Call it inside a transaction.
 * Stores (storeNotifications) and withdrawals (the notifier's memberRemoved) of one person take turns.
 */
export async function lockNotificationsOf(db: Queryable, userIds: string[]): Promise<void> {
  await db.query(
    `select pg_advisory_xact_lock($1, (u % 2147483647)::int)
       from (select distinct u from unnest($2::bigint[]) as u order by u) ordered`,
    [NOTIFY_LOCK_CLASS, userIds],
  );
}

/**
 * Stores one notification for each user id and returns those stored, with their ids. A person holds at
 * most one notification about one message (migration 36): ids already notified of `n.messageId` are left
 * out of the result, whatever the type was (a reply, then the same reply edited to mention them).
 *
 * Call it inside a transaction: it takes a lock per user (held to the commit, taken in id order so two
 * stores never wait on each other crosswise) before the ids are drawn, so one person's notifications
 * commit in the order of their ids. Once a notification is visible, every older one of that person is
 * too, which is what lets a stream resume after an id (listNotificationsAfter) without missing one
 * still being written.
 *
 * A notification about a message is stored only for those who may read its room when it is stored
 * (public, or a member): the caller chose them earlier (findReaders), and someone removed from a
 * private room since then must not get its text after the removal withdrew what they held
 * (withdrawRoomNotifications, which takes the same lock, so it also sees a store that was under way).
 * Nor is one stored about a message deleted meanwhile; `source` (the text `n.message` was made from, and
 * how to make it) lets a message edited meanwhile be told as it reads now (see below), and, with
 * `source.addressed`, be told only to those its text still addresses: a mention edited away before this
 * store ran (its withdrawal, messageEdited, found nothing to withdraw then) is not stored at all.
 * `addressed` gets this store's connection and the text now, and answers the ids it addresses, or
 * "all" when it addresses everyone it was meant for. Resolves with [] when nobody is notified.
 */
export async function storeNotifications(
  db: Queryable,
  userIds: string[],
  n: NewNotification,
  source?: { text: string; preview: (text: string) => Promise<string>; addressed?: (db: Queryable, text: string) => Promise<Set<string> | "all"> },
): Promise<{ userId: string; notification: Notification }[]> {
  if (userIds.length === 0) return [];
  await lockNotificationsOf(db, userIds);
  if (n.messageId) {
    // The message as it is now, held (FOR SHARE) to the commit: an edit or a deletion committed while
    // the notifier was deciding (after it read the text, before this store) is seen here, and one
    // arriving now waits for this commit, after which its own step (reviseMessageNotifications,
    // withdrawMessageNotifications) finds what was stored. A deleted message notifies nobody; an edited
    // one is told with its text now (`source.preview` of it), not with the text the caller was given.
    const [message] = await db.query<{ body: string; deleted: boolean }>(
      "select body, extra->'deleted' is not null as deleted from messages where id = $1::bigint for share",
      [n.messageId],
    );
    if (!message || message.deleted) return [];
    if (source && message.body !== source.text) {
      const still = source.addressed ? await source.addressed(db, message.body) : "all";
      if (still !== "all") userIds = userIds.filter((id) => still.has(id));
      if (userIds.length === 0) return [];
      n = { ...n, message: await source.preview(message.body) };
    }
  }
  const rows = await db.query<Row & { user_id: string }>(
    `insert into notifications (user_id, type, message, room, room_title, from_name, message_id, from_kind)
     select u, $2, $3, $4, $5, $6, $7::bigint, $8 from unnest($1::bigint[]) as u
      where $7::bigint is null
         or exists (select 1 from messages m join rooms r on r.id = m.room_id
                     where m.id = $7::bigint
                       and (r.kind = 'public' or exists (select 1 from memberships ms where ms.room_id = r.id and ms.user_id = u)))
     on conflict (message_id, user_id) where message_id is not null do nothing
     returning ${COLUMNS}, user_id::text as user_id`,
    [userIds, n.type, n.message, n.room ?? null, n.roomTitle ?? null, n.from ?? null, n.messageId ?? null, n.fromKind ?? null],
  );
  return rows.map((r) => ({ userId: r.user_id, notification: toNotification({ ...r, thread_id: n.threadId ?? null }) }));
}

/**
 * Deletes every notification about message `messageId` (it was deleted: its text must not be replayed,
 * nor its mentions counted, see listRoomsForUser) and returns who held which, so their open pages can
 * take the toasts away.
 */
export async function withdrawMessageNotifications(db: Queryable, messageId: string): Promise<{ userId: string; id: string }[]> {
  const rows = await db.query<{ id: string; user_id: string }>(
    "delete from notifications where message_id = $1::bigint returning id::text as id, user_id::text as user_id",
    [messageId],
  );
  return rows.map((r) => ({ userId: r.user_id, id: r.id }));
}

/**
 * Makes the mentions (`type` mention, not withdrawn) of thread reply `messageId` held by `userIds` replies:
 * an edit took their `@name` away, and the reply is still addressed to them (the thread's root author or
 * an earlier replier), so it still counts and stays in their stream, as a reply. Returns who held one.
 */
export async function retypeMentionsAsReplies(db: Queryable, messageId: string, userIds: string[]): Promise<string[]> {
  if (userIds.length === 0) return [];
  const rows = await db.query<{ user_id: string }>(
    `update notifications set type = 'reply'
      where message_id = $1::bigint and type = 'mention' and user_id = any($2::bigint[]) and not withdrawn
      returning user_id::text as user_id`,
    [messageId, userIds],
  );
  return rows.map((r) => r.user_id);
}

/**
 * Withdraws the mentions (`type` mention) of message `messageId` held by `userIds`: an edit took their
 * `@name` away. The rows stay, marked `withdrawn` (see migration 50): not counted in the room list's
 * mentions, not replayed to a stream, and the same mention edited back in finds its row, which
 * restoreMentionsOf puts back without notifying anyone again. Returns who held which, so their open pages can take the toasts away.
 */
export async function withdrawMentionsOf(db: Queryable, messageId: string, userIds: string[]): Promise<{ userId: string; id: string }[]> {
  if (userIds.length === 0) return [];
  const rows = await db.query<{ id: string; user_id: string }>(
    `update notifications set withdrawn = true
      where message_id = $1::bigint and type = 'mention' and user_id = any($2::bigint[]) and not withdrawn
      returning id::text as id, user_id::text as user_id`,
    [messageId, userIds],
  );
  return rows.map((r) => ({ userId: r.user_id, id: r.id }));
}

/**
 * Restores the mentions of message `messageId` held by `userIds` that an edit had withdrawn
 * (withdrawMentionsOf): the text names them again, so they count in the room's @ badge and are replayed to
 * a stream resumed from before them, as the mention was before the first edit. Nothing is told anew (no
 * toast, no push): an author editing a name out and in again cannot make it a stream of notifications.
 * Returns the user ids whose mention came back.
 */
export async function restoreMentionsOf(db: Queryable, messageId: string, userIds: string[]): Promise<string[]> {
  if (userIds.length === 0) return [];
  const rows = await db.query<{ user_id: string }>(
    `update notifications set withdrawn = false
      where message_id = $1::bigint and type = 'mention' and user_id = any($2::bigint[]) and withdrawn
      returning user_id::text as user_id`,
    [messageId, userIds],
  );
  return rows.map((r) => r.user_id);
}

/**
 * Deletes `userId`'s notifications about messages of room `roomId` (they were removed from it: a stream
 * resumed from before must not replay its texts, see listNotificationsAfter) and returns their ids, so
 * the user's open pages can take the toasts away. Invitations (no message) stay.
 */
export async function withdrawRoomNotifications(db: Queryable, userId: string, roomId: string): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    "delete from notifications n using messages m where n.user_id = $1::bigint and n.message_id = m.id and m.room_id = $2::bigint returning n.id::text as id",
    [userId, roomId],
  );
  return rows.map((r) => r.id);
}

/**
 * After message `messageId` was edited: its notifications say `text` (its new preview), so a stream
 * resumed from before, or a page's list, no longer shows what the author took back. Returns how many.
 */
export async function reviseMessageNotifications(db: Queryable, messageId: string, text: string): Promise<number> {
  const rows = await db.query("update notifications set message = $2 where message_id = $1::bigint returning id", [messageId, text]);
  return rows.length;
}

/**
 * What a user missed after event id `after` (oldest first), within the retention window, withdrawn
 * mentions left out; replies say their thread (`threadId`).
 */
export async function listNotificationsAfter(db: Queryable, userId: string, after: string): Promise<Notification[]> {
  const rows = await db.query<Row>(
    `select * from (
       select ${COLUMNS_WITH_THREAD} from notifications n
        where user_id = $1 and n.id > $2::bigint and not n.withdrawn and created_at > now() - ($3::bigint * interval '1 millisecond')
        order by n.id desc limit $4) newest
     order by id::bigint asc`,
    [userId, after, KEEP_MS, KEEP_LAST],
  );
  return rows.map(toNotification);
}

/** At most this many announcements are handed to a page when it opens (the newest). */
export const ANNOUNCEMENTS_SHOWN = 20;

/**
 * The user's announcements (`system` notifications from an admin) that they have not dismissed, within
 * the retention window (KEEP_MS), oldest first: the newest `limit`. A page shows them when it opens, so
 * that someone who was away when an admin announced something still reads it.
 */
export async function listAnnouncements(db: Queryable, userId: string, limit = ANNOUNCEMENTS_SHOWN): Promise<Notification[]> {
  const rows = await db.query<Row>(
    `select * from (
       select ${COLUMNS} from notifications n
        where user_id = $1 and type = 'system' and created_at > now() - ($2::bigint * interval '1 millisecond')
        order by n.id desc limit $3) newest
     order by id::bigint asc`,
    [userId, KEEP_MS, limit],
  );
  return rows.map(toNotification);
}

/**
 * Dismisses announcement `id` for the user: their copy is deleted, so no page of theirs shows it again
 * (on any device). Returns false when the user holds no announcement with that id. `id`: digits (the
 * caller checks).
 */
export async function dismissAnnouncement(db: Queryable, userId: string, id: string): Promise<boolean> {
  const rows = await db.query<{ id: string }>(
    "delete from notifications where id = $1::bigint and user_id = $2 and type = 'system' returning id::text as id",
    [id, userId],
  );
  return rows.length > 0;
}

/** The id of the user's newest notification ("0" when none): the id of the `connected` event. */
export async function latestNotificationId(db: Queryable, userId: string): Promise<string> {
  const [row] = await db.query<{ id: string | null }>("select max(id)::text as id from notifications where user_id = $1", [userId]);
  return row?.id ?? "0";
}

/** Drops what no stream will replay any more: older than 7 days, or beyond the newest 1000 per user. */
export async function pruneNotifications(db: Queryable): Promise<void> {
  await db.query("delete from notifications where created_at < now() - ($1::bigint * interval '1 millisecond')", [KEEP_MS]);
  await db.query(
    `delete from notifications n using (
       select id from (select id, row_number() over (partition by user_id order by id desc) as rn from notifications) ranked
        where rn > $1) old
     where n.id = old.id`,
    [KEEP_LAST],
  );
}
