import type { Queryable } from "../db";
import type { NotificationAuthorKind } from "../notifications/types";
import { AUTHOR_KIND_TEXT, PUSH_LANGS, type LocalizedText, type PushLang } from "./strings";

/**
 * What a push says, as the service worker receives it after decryption (contract v2). `fromKind`: `from`
 * is a guest or a bot (Notification.fromKind); each browser's push then also carries `fromKindText`, that
 * word in the language it subscribed with (AUTHOR_KIND_TEXT), which public/sw.js shows beside the name.
 */
export type PushPayload = { type: string; message: string; room?: string; from?: string; fromKind?: NotificationAuthorKind; url: string };
/** RFC 8030 §5.3 urgency. */
export type Urgency = "very-low" | "low" | "normal" | "high";

/** A claimed push: one request to one subscription. */
export type PushJob = {
  id: string;
  userId: string;
  subscriptionId: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  payload: string;
  urgency: Urgency;
  attempts: number;
  /** Sent even while the person is online (a test push they asked for). */
  always: boolean;
  /** The person chose to be pushed while every tab of theirs is hidden (push_settings.when_hidden). */
  whenHidden: boolean;
};

/**
 * Queues `payload` for every subscribed browser of `userIds` whose session (the one that subscribed it,
 * see saveSubscription) has not expired, in the caller's transaction when it has one. `messageId`: the
 * message the push is about, so its deletion can take the pushes not sent yet back (dropMessagePushes).
 * `localized`: a sentence of the server's own (an invitation, the test push) in every language; each
 * browser's push then says it in the language it subscribed with (`push_subscriptions.lang`), and
 * `payload.message` is ignored. A payload with `fromKind` is one per language too (its `fromKindText`).
 * Returns how many pushes were queued (0 when nobody has subscribed: the common case costs one index probe).
 */
export async function enqueuePush(
  db: Queryable,
  userIds: string[],
  payload: PushPayload,
  urgency: Urgency = "normal",
  opts: { always?: boolean; messageId?: string; localized?: LocalizedText } = {},
): Promise<number> {
  if (userIds.length === 0) return 0;
  // A sentence or word of the server's: one payload per language, chosen per subscription ($6, lang →
  // payload text). Anything else (a message, an announcement) is the same payload for every browser ($2).
  const { localized } = opts;
  const inLang = (lang: PushLang) => ({
    ...payload,
    ...(localized ? { message: localized[lang] } : {}),
    ...(payload.fromKind ? { fromKindText: AUTHOR_KIND_TEXT[payload.fromKind][lang] } : {}),
  });
  const byLang = localized || payload.fromKind ? JSON.stringify(Object.fromEntries(PUSH_LANGS.map((lang) => [lang, JSON.stringify(inLang(lang))]))) : null;
  const rows = await db.query<{ id: string }>(
    `insert into push_queue (subscription_id, user_id, payload, urgency, always, message_id)
     select s.id, s.user_id, coalesce($6::jsonb ->> s.lang, $2), $3, $4, $5::bigint from push_subscriptions s
      where s.user_id = any($1::bigint[])
        and (s.session_id is null or exists (select 1 from sessions x where x.token_hash = s.session_id and x.expires_at > now()))
     returning id::text as id`,
    [userIds, JSON.stringify(inLang("en")), urgency, opts.always ?? false, opts.messageId ?? null, byLang],
  );
  return rows.length;
}

/**
 * Drops the pushes about message `messageId` that are still queued (waiting to be sent, or for a retry
 * after a 429 or 5xx): it was deleted, and its text must not reach a lock screen now. A request being
 * made at this moment still goes out, but is never retried (finishPush and retryPush find no row).
 * Returns how many were dropped.
 */
export async function dropMessagePushes(db: Queryable, messageId: string): Promise<number> {
  const rows = await db.query("delete from push_queue where message_id = $1::bigint returning id", [messageId]);
  return rows.length;
}

/**
 * Drops the queued pushes about message `messageId` to `userIds`: its mention of them was edited away.
 * Returns how many.
 */
export async function dropMessagePushesTo(db: Queryable, messageId: string, userIds: string[]): Promise<number> {
  if (userIds.length === 0) return 0;
  const rows = await db.query("delete from push_queue where message_id = $1::bigint and user_id = any($2::bigint[]) returning id", [messageId, userIds]);
  return rows.length;
}

/**
 * Drops `userId`'s queued pushes about messages of room `roomId`: they were removed from it, and what it
 * says after the removal must not reach them, nor a retry of what it said before. Returns how many.
 */
export async function dropRoomPushes(db: Queryable, userId: string, roomId: string): Promise<number> {
  const rows = await db.query(
    "delete from push_queue q using messages m where q.user_id = $1::bigint and q.message_id = m.id and m.room_id = $2::bigint returning q.id",
    [userId, roomId],
  );
  return rows.length;
}

/**
 * After message `messageId` was edited: its pushes still queued (waiting for a retry, say) say `message`
 * instead of the text the author took back. Returns how many.
 */
export async function reviseMessagePushes(db: Queryable, messageId: string, message: string): Promise<number> {
  const rows = await db.query(
    "update push_queue set payload = jsonb_set(payload::jsonb, '{message}', to_jsonb($2::text))::text where message_id = $1::bigint returning id",
    [messageId, message],
  );
  return rows.length;
}

/**
 * Claims up to `limit` due pushes for `leaseMs`: rows locked by another instance's claim are skipped
 * (`for update skip locked`), and a claimed row is not due again until its lease ends, so two instances
 * never send the same push at once. A sender that dies mid-send leaves the row to be retried after the
 * lease (at-least-once).
 */
export async function claimPushes(db: Queryable, limit: number, leaseMs: number): Promise<PushJob[]> {
  // Columns are named as PushJob's fields, so a row is a job once the numbers are numbers.
  const rows = await db.query<PushJob>(
    `with due as (
       select q.id from push_queue q
        where q.not_before <= now() and (q.locked_until is null or q.locked_until < now())
        order by q.id limit $1 for update skip locked
     ), claimed as (
       update push_queue q set locked_until = now() + ($2::bigint * interval '1 millisecond'), attempts = q.attempts + 1
         from due where q.id = due.id
       returning q.id, q.user_id, q.subscription_id, q.payload, q.urgency, q.attempts, q.always
     )
     select c.id::text as id, c.user_id::text as "userId", c.subscription_id::text as "subscriptionId", s.endpoint, s.p256dh, s.auth,
            c.payload, c.urgency, c.attempts, c.always, coalesce(p.when_hidden, false) as "whenHidden"
       from claimed c join push_subscriptions s on s.id = c.subscription_id
       left join push_settings p on p.user_id = c.user_id
      order by c.id`,
    [limit, leaseMs],
  );
  return rows.map((r) => ({ ...r, attempts: Number(r.attempts), always: r.always === true, whenHidden: r.whenHidden === true }));
}

/** The push is done (sent, or given up on). */
export async function finishPush(db: Queryable, id: string): Promise<void> {
  await db.query("delete from push_queue where id = $1", [id]);
}

/** Sends the push again no sooner than `delayMs` from now. */
export async function retryPush(db: Queryable, id: string, delayMs: number): Promise<void> {
  await db.query("update push_queue set not_before = now() + ($2::bigint * interval '1 millisecond'), locked_until = null where id = $1", [
    id,
    Math.round(delayMs),
  ]);
}

/** Pushes waiting to be sent (the queue depth, for metrics and tests). */
export async function pendingPushes(db: Queryable): Promise<number> {
  const [row] = await db.query<{ n: string }>("select count(*)::text as n from push_queue");
  return Number(row.n);
}
