import type { Database, Queryable } from "../db";
import { holdAdministrator } from "../auth/accounts";
import type { EventBus } from "../events/bus";
import type { Logger } from "../log";
import { nameKey } from "../chat/names";
import type { PresenceStore } from "../chat/presence";
import { memberCount, type Room } from "../chat/rooms";
import type { Message } from "../chat/types";
import { activeAccountIds, type User } from "../chat/users";
import { dropMessagePushes, dropMessagePushesTo, dropRoomPushes, enqueuePush, reviseMessagePushes, type Urgency } from "../push/queue";
import { invitationText, type LocalizedText } from "../push/strings";
import { pushWhenHidden } from "../push/settings";
import { createAllLevelCache, levelsOf } from "./levels";
import { HERE_MENTION, mentionWord, ROOM_MENTIONS, withoutMentionQuotes } from "./mentions";
import { mentionsInMessage } from "./message-mentions";
import type { NotificationAuthorKind } from "./types";
import { threadParticipants } from "../chat/threads";
import { markdownParserLoaded, toPlainTextPreview } from "../text/plain-text";
import { parseWithin, processParseAllowance } from "../text/parse-allowance";
import { truncateChars } from "../text/unicode";
import { lockNotificationsOf, restoreMentionsOf, retypeMentionsAsReplies, reviseMessageNotifications, storeNotifications, withdrawMentionsOf, withdrawMessageNotifications, withdrawRoomNotifications, type NewNotification } from "./store";

/**
 * Active accounts (kind `user`, not deactivated) among those picked by `by`: user ids, or name keys
 * (nameKey) of mentioned names; with `room`, only those who may read it now (any account for a public
 * room, members for the others). The one place the "who hears from this room" rule is written: the
 * notifier asks it with the room, GET /api/users/mentions with the room it is asked about (whom a
 * mention there notifies) or without one (is this name someone a mention can notify?). Answers
 * `{ id, name, nameKey }` rows in no particular order; an empty `by` asks nothing.
 */
export async function findReaders(
  db: Queryable,
  by: { ids: string[] } | { keys: string[] },
  room?: Pick<Room, "id" | "kind">,
): Promise<{ id: string; name: string; nameKey: string }[]> {
  const [column, values, type] = "ids" in by ? ["u.id", by.ids, "bigint[]"] : ["u.name_key", by.keys, "text[]"];
  if (values.length === 0) return [];
  const readable = room ? "and ($2 = 'public' or exists (select 1 from memberships m where m.room_id = $3 and m.user_id = u.id))" : "";
  return db.query<{ id: string; name: string; nameKey: string }>(
    `select u.id::text as id, u.name, u.name_key as "nameKey" from users u
      where ${column} = any($1::${type}) and u.kind = 'user' and u.deactivated_at is null ${readable}`,
    room ? [values, room.kind, room.id] : [values],
  );
}

/** ROOM_MENTION_MAX_MEMBERS's default: `@room` and its kin notify from anyone in rooms of at most this many members. */
export const ROOM_MENTION_MAX_MEMBERS_DEFAULT = 50;

/**
 * Whether a message by `author` in `room` that says `@room`, `@all`, `@everyone` or `@here` notifies the
 * room (its members; for `@here` those in it then): never in a DM (its other member hears of every
 * message as a DM anyway), never from a guest (a name typed at the door is no one to page a whole room:
 * its text stays as written, it notifies nobody), always from an admin, from others in a room of at most
 * `max` members (ROOM_MENTION_MAX_MEMBERS), so that a large room cannot be spammed. The one place the
 * rule is written: the notifier asks it of each such message, GET /api/users/mentions (with `room` and
 * `messages`) of each one a page shows.
 */
export async function mayNotifyRoom(db: Queryable, room: Pick<Room, "id" | "kind">, author: Pick<User, "admin" | "kind">, max: number): Promise<boolean> {
  if (room.kind === "dm" || author.kind === "guest") return false;
  if (author.admin) return true;
  return (await memberCount(db, room.id)) <= max;
}

/**
 * What a notification from `author` says of its kind (Notification.fromKind): `{ fromKind }` for a guest or
 * a bot, nothing for an account.
 */
const kindOf = (author: Pick<User, "kind">): { fromKind?: NotificationAuthorKind } => (author.kind === "user" ? {} : { fromKind: author.kind });

/**
 * Whether mention words (mentionWord's) by `author` call the whole room (`@room`, `@all`, `@everyone`,
 * `@here`) for what an edit keeps: a guest's never do (mayNotifyRoom), so a guest's `@bob` edited into
 * `@room` takes bob's mention away like any other edit.
 */
const callsRoom = (words: string[], author: Pick<User, "kind">): boolean =>
  author.kind !== "guest" && words.some((w) => ROOM_MENTIONS.has(w) || w === HERE_MENTION);

/**
 * The page a notification opens: its room (encoded, `:` kept, as the app links it: `/rooms/dm:2:3`), at
 * its message when it is about one (`#m-<id>`, the app's message link: the room opens there, a thread reply
 * in its thread), or the app.
 */
export const notificationUrl = (room?: string, messageId?: string) =>
  room ? `/rooms/${encodeURIComponent(room).replace(/%3A/gi, ":")}${messageId ? `#m-${messageId}` : ""}` : "/rooms";

/**
 * What a notification says of a message: its text as a reader sees it (no Markdown syntax, see
 * lib/text/plain-text.ts), at most 200 code points (lib/text's counting rule: a cut never splits a
 * surrogate pair), parsed from the message's first 800 characters only (toPlainTextPreview); once the
 * process or the author (`author`'s share) spent its Markdown parsing time for now (lib/text/parse-allowance.ts), the text as written,
 * cut the same way. Toasts, desktop notifications and pushes all show it as it is.
 */
const preview = async (text: string, author?: Pick<User, "id">) => {
  // Loading the parser (once per process, up to a few hundred ms on a cold server) is not parsing: not charged.
  await markdownParserLoaded();
  return withoutMentionQuotes(
    await parseWithin(processParseAllowance, () => toPlainTextPreview(text, 200), () => truncateChars(text, 200), { parseFor: author && { who: author.id } }),
  );
};

/** Decides who is notified of what, stores it, and publishes it on the bus for the SSE streams. */
export function createNotifier(deps: {
  db: Database;
  bus: EventBus;
  presence: PresenceStore;
  log: Logger;
  /** `@room`/`@all`/`@here` notify only when an admin sends them or the room has at most this many members. */
  roomMentionMaxMembers?: number;
  /** Told after pushes were queued, so the sender starts at once instead of at its next poll. */
  onPushQueued?: () => void;
  /**
   * Those of `userIds` with a connection in room `roomId` that shows it in a visible tab (server.ts asks
   * Socket.IO, cluster-wide). Asked only about people in the room who opted in to pushes while their
   * tabs are hidden; without it, being in the room is looking at it.
   */
  seeingRoom?: (roomId: string, userIds: string[]) => Promise<Set<string>>;
}) {
  const { db, bus } = deps;
  const allLevels = createAllLevelCache(db);
  const roomMentionMax = deps.roomMentionMaxMembers ?? ROOM_MENTION_MAX_MEMBERS_DEFAULT;
  bus.subscribe((e) => {
    if (e.type === "levels-changed") allLevels.invalidate(e.roomId);
  });

  /**
   * `localized`: see enqueuePush (the stored notification keeps `n.message`, the English sentence).
   * `sourceText`: the message's text `n.message` is the preview of; told as it reads at the store when
   * it was edited since (storeNotifications), previewed for `author` (whose share of the parse allowance it uses).
   */
  async function send(
    userIds: string[],
    n: NewNotification,
    {
      urgency = "high",
      localized,
      sourceText,
      author,
      addressed,
      first,
    }: {
      urgency?: Urgency;
      localized?: LocalizedText;
      sourceText?: string;
      author?: Pick<User, "id">;
      addressed?: (tx: Queryable, text: string) => Promise<Set<string> | "all">;
      first?: (tx: Queryable) => Promise<void>;
    } = {},
  ) {
    // With `first`, nobody to tell still checks it: an announcement on a server of one admin is refused
    // as any other once its author is no longer an administrator.
    if (userIds.length === 0 && !first) return;
    // The notification and its pushes are stored together: a push is never queued for nothing, nor lost,
    // and goes only to those whose notification was stored (one per person per message). `first` runs in
    // that transaction before anything is stored (it throws to refuse: then nothing is).
    const { stored, queued } = await db.transaction(async (tx) => {
      await first?.(tx);
      const stored = await storeNotifications(tx, userIds, n, sourceText === undefined ? undefined : { text: sourceText, preview: (text) => preview(text, author), addressed });
      const to = stored.map((s) => s.userId);
      if (to.length === 0) return { stored, queued: 0 };
      // What was stored (an edit since may have changed the preview); a push carries at most the
      // preview's 200 code points (an announcement is stored whole; a push's payload is limited to about 4 KB).
      const told = stored[0].notification;
      const message = truncateChars(told.message, 200);
      const payload = { type: n.type, message, room: n.room, from: n.from, ...(n.fromKind ? { fromKind: n.fromKind } : {}), url: notificationUrl(n.room, n.messageId) };
      return { stored, queued: await enqueuePush(tx, to, payload, urgency, { messageId: n.messageId, localized }) };
    });
    await Promise.all(stored.map(({ userId, notification }) => bus.publish({ type: "notification", userId, notification })));
    if (queued > 0) deps.onPushQueued?.();
  }

  /**
   * Active accounts that may read `room` now, among those picked by `by` (user ids, or name keys of
   * mentions), excluding `except` (findReaders).
   */
  async function readers(room: Room, by: { ids: string[] } | { keys: string[] }, except = new Set<string>()): Promise<string[]> {
    return (await findReaders(db, by, room)).map((r) => r.id).filter((id) => !except.has(id));
  }

  /** Members of a room (accounts only, active), excluding `except`. */
  async function roomMembers(room: Room, except: Set<string>): Promise<string[]> {
    const rows = await db.query<{ id: string }>(
      `select m.user_id::text as id from memberships m join users u on u.id = m.user_id
        where m.room_id = $1 and u.kind = 'user' and u.deactivated_at is null`,
      [room.id],
    );
    return rows.map((r) => r.id).filter((id) => !except.has(id));
  }

  /**
   * Those of `candidates` who are looking at `room` now, and so need no notification of a plain message:
   * the ones in it (presence), except those who opted in to pushes while hidden and whose every
   * connection in the room is a hidden tab. Sockets are asked only about such opted-in viewers: when no
   * candidate is in the room, or none opted in, this costs no more than presence did.
   */
  async function lookingAt(room: Room, viewing: Set<string>, candidates: Iterable<string>): Promise<Set<string>> {
    const inRoom = [...candidates].filter((id) => viewing.has(id));
    const looking = new Set(inRoom);
    if (inRoom.length === 0 || !deps.seeingRoom) return looking;
    const optedIn = await pushWhenHidden(db, inRoom);
    if (optedIn.length === 0) return looking;
    // An instance that does not answer in time (fetchSockets) must not cost everyone their notification:
    // then they count as looking, the rule before tabs reported visibility.
    const seeing = await deps.seeingRoom(room.id, optedIn).catch((err: unknown) => {
      deps.log.warn({ err, module: "notifications", roomId: room.id }, "could not tell whether viewers' tabs are hidden");
      return new Set(optedIn);
    });
    for (const id of optedIn) if (!seeing.has(id)) looking.delete(id);
    return looking;
  }

  /**
   * Whom `text` by `author` mentions in `room` now (for storeNotifications' `addressed`, on its connection
   * `tx`): the readers its `@name`s name, or "all" when it calls the room (`@room`, `@all`, `@everyone`,
   * `@here`: whoever it was meant for stays addressed; a guest's calls no one, see callsRoom). A mention's
   * text that was edited before its store ran is stored only for those it still mentions (an outside
   * trial saw `@bob` edited away at once still counted, and replayed with the new text).
   */
  const mentionedBy = (room: Room, author: Pick<User, "kind" | "id">) => async (tx: Queryable, text: string): Promise<Set<string> | "all"> => {
    const words = (await mentionsInMessage(text, undefined, { who: author.id })).map(mentionWord);
    if (callsRoom(words, author)) return "all";
    return new Set((await findReaders(tx, { keys: words.map(nameKey) }, room)).map((r) => r.id));
  };

  /** Tells each holder's open pages that these notifications were taken back (`notification-withdrawn`). */
  const announceWithdrawn = (withdrawn: { userId: string; id: string }[]) =>
    Promise.all(withdrawn.map(({ userId, id }) => bus.publish({ type: "notification-withdrawn", userId, id })));

  return {
    /**
     * After a message is stored, honouring each person's level for the room (`none` hears nothing,
     * `mentions` only mentions, `all` every message; DMs default to all, rooms to mentions):
     * - a DM: the other member, unless they are viewing it (a hidden tab does not count for someone who
     *   opted in to pushes while hidden, see lookingAt);
     * - `@name` mentions of people who may read the room; `@room`/`@all`/`@everyone` (every member) and
     *   `@here` (the members in the room now), when the author may notify the whole room;
     * - members who chose `all` and are not viewing the room (as for DMs) get the message itself.
     * A room message that mentions nobody, in a room where nobody chose `all`, costs nothing more.
     */
    async messagePosted(room: Room, message: Message, author: User) {
      // `@room`/`@here` are words, compared in lower case after NFKC (`＠ｈｅｒｅ` is `@here`); names compare by their key (skeleton).
      const words = (await mentionsInMessage(message.text, undefined, { who: author.id })).map(mentionWord);
      const wantsRoom = words.some((w) => ROOM_MENTIONS.has(w));
      const wantsHere = words.includes(HERE_MENTION);
      const keys = words.filter((w) => !ROOM_MENTIONS.has(w) && w !== HERE_MENTION).map(nameKey);
      const everyMessage = room.kind === "dm" ? undefined : await allLevels.listeners(room.id);
      if (room.kind !== "dm" && words.length === 0 && everyMessage!.size === 0 && !message.threadId) return;
      const skip = new Set([author.id]);
      const viewing = new Set((await deps.presence.online(room.id)).map((u) => u.id));
      const mentioned = new Set(await readers(room, { keys }, skip));
      if ((wantsRoom || wantsHere) && (await mayNotifyRoom(db, room, author, roomMentionMax))) {
        const everyone = await roomMembers(room, skip);
        for (const id of everyone) if (wantsRoom || viewing.has(id)) mentioned.add(id);
      }
      // A reply is addressed to the thread's root author and earlier repliers (like a mention, by level).
      // Those it also mentions are told of it once, as a mention (sent first; a person holds one
      // notification per message), and as a reply if the mention was edited away before it was stored.
      const replied = new Set<string>();
      if (message.threadId && room.kind !== "dm") {
        const participants = await threadParticipants(db, message.threadId, author);
        for (const id of await readers(room, { ids: participants })) if (!skip.has(id)) replied.add(id);
      }
      const plain = new Set<string>();
      if (room.kind === "dm") {
        const others = (await roomMembers(room, skip)).filter((id) => !mentioned.has(id));
        const looking = await lookingAt(room, viewing, others);
        for (const id of others) if (!looking.has(id)) plain.add(id);
      } else {
        const unaddressed = [...everyMessage!].filter((id) => !skip.has(id) && !mentioned.has(id) && !replied.has(id));
        const looking = await lookingAt(room, viewing, unaddressed);
        const candidates = unaddressed.filter((id) => !looking.has(id));
        // A level outlives a membership: only those who may still read the room hear from it.
        for (const id of await readers(room, { ids: candidates })) plain.add(id);
      }
      const levels = await levelsOf(db, room, [...mentioned, ...plain, ...replied]);
      const hears = (id: string, isMention: boolean) => {
        const level = levels.get(id);
        return level === "all" || (level === "mentions" && isMention);
      };
      // Who hears of it is settled before its preview is made: a message nobody hears costs no Markdown parse.
      const thread = message.threadId ? { threadId: message.threadId } : {};
      if (room.kind === "dm") {
        // In a DM every message is addressed to the other person: a mention adds nothing.
        const dmTo = [...plain, ...mentioned].filter((id) => hears(id, mentioned.has(id)));
        if (dmTo.length === 0) return;
        await send(dmTo, { type: "dm", message: await preview(message.text, author), room: room.name, roomTitle: author.name, from: author.name, ...kindOf(author), messageId: message.id, ...thread }, { sourceText: message.text, author });
        return;
      }
      const toMention = [...mentioned].filter((id) => hears(id, true));
      const toReply = [...replied].filter((id) => hears(id, true));
      const toPlain = [...plain].filter((id) => hears(id, false));
      if (toMention.length + toReply.length + toPlain.length === 0) return;
      const about = { message: await preview(message.text, author), room: room.name, from: author.name, ...kindOf(author), messageId: message.id, ...thread };
      await send(toMention, { type: "mention", ...about }, { sourceText: message.text, author, addressed: mentionedBy(room, author) });
      await send(toReply, { type: "reply", ...about }, { sourceText: message.text, author });
      await send(toPlain, { type: "message", ...about }, { urgency: "normal", sourceText: message.text });
    },

    /**
     * After a deletion: the message's notifications go (a stream no longer replays its text, the room
     * list no longer counts its mentions), with its pushes not sent yet, and each holder's open pages
     * are told to take its toast away (`notification-withdrawn`, sent on their streams as `event: dismissed`).
     */
    async messageDeleted(messageId: string) {
      await dropMessagePushes(db, messageId);
      await announceWithdrawn(await withdrawMessageNotifications(db, messageId));
    },

    /**
     * After `userId` was removed from room `roomId`: their notifications about its messages go, with the
     * pushes about them still queued (a retry would put a private room's text on their lock screen
     * after the removal), and their open pages take those toasts away (`notification-withdrawn`).
     */
    async memberRemoved(roomId: string, userId: string) {
      // Under the person's notification lock: a store of theirs that was under way when the removal
      // committed (its readers chosen before it) has committed by now, so it is withdrawn too; a later
      // one finds them no member and stores nothing (storeNotifications).
      const withdrawn = await db.transaction(async (tx) => {
        await lockNotificationsOf(tx, [userId]);
        await dropRoomPushes(tx, userId, roomId);
        return withdrawRoomNotifications(tx, userId, roomId);
      });
      await announceWithdrawn(withdrawn.map((id) => ({ userId, id })));
    },

    /**
     * After an edit: @mentions of people the previous text did not mention, unless they were notified of
     * this message before in any way (a mention, a reply, a message at level `all`: storeNotifications
     * keeps one per person per message); a DM is not notified again. A mention the edit took away is
     * withdrawn (withdrawMentionsOf: out of the @ badge, its toast and queued push gone; edited back in,
     * it counts in the badge again without notifying again: restoreMentionsOf), unless the new text calls
     * the whole room.
     */
    async messageEdited(room: Room, message: Message, previousText: string, author: User) {
      // What was already said of it now says the new text: the old one is not replayed, nor pushed on a retry.
      const text = await preview(message.text, author);
      await reviseMessagePushes(db, message.id, truncateChars(text, 200));
      await reviseMessageNotifications(db, message.id, text);
      const before = new Set((await mentionsInMessage(previousText, undefined, { who: author.id })).map(nameKey));
      const said = await mentionsInMessage(message.text, undefined, { who: author.id });
      const now = new Set(said.map(nameKey));
      const gone = [...before].filter((k) => !now.has(k));
      if (gone.length > 0 && !callsRoom(said.map(mentionWord), author)) {
        let unsaid = await readers(room, { keys: gone });
        // A thread reply is still addressed to the root's author and those who wrote in the thread before
        // it: their mention becomes the reply they would have had without it, not nothing.
        if (message.threadId && room.kind !== "dm") {
          const addressed = new Set(await threadParticipants(db, message.threadId, author, message.id));
          const kept = new Set(await retypeMentionsAsReplies(db, message.id, unsaid.filter((id) => addressed.has(id))));
          unsaid = unsaid.filter((id) => !kept.has(id));
        }
        await dropMessagePushesTo(db, message.id, unsaid);
        await announceWithdrawn(await withdrawMentionsOf(db, message.id, unsaid));
      }
      const keys = [...now].filter((k) => !before.has(k));
      const mentioned = await readers(room, { keys }, new Set([author.id]));
      const levels = await levelsOf(db, room, mentioned);
      const hears = mentioned.filter((id) => levels.get(id) === "all" || levels.get(id) === "mentions");
      // A mention edited away and back in counts again, quietly: its holders are not sent it again.
      const restored = new Set(await restoreMentionsOf(db, message.id, hears));
      await Promise.all([...restored].map((userId) => bus.publish({ type: "mentions-restored", userId })));
      await send(hears.filter((id) => !restored.has(id)), { type: "mention", message: text, room: room.name, from: author.name, ...kindOf(author), messageId: message.id, ...(message.threadId ? { threadId: message.threadId } : {}) }, { sourceText: message.text, author, addressed: mentionedBy(room, author) });
    },

    /**
     * Someone was added to a private room: one invitation (notification and push) per person and room a
     * day. Removing someone and adding them again is a real change each time, but repeated it would
     * otherwise be a stream of notifications and pushes a member can aim at anyone; the room still
     * appears in their list at once (`rooms-changed`).
     */
    async invited(room: Room, target: User, by: User) {
      const [recent] = await db.query(
        "select 1 from notifications where user_id = $1 and type = 'invite' and room = $2 and created_at > now() - interval '1 day' limit 1",
        [target.id, room.name],
      );
      if (recent) return;
      const text = invitationText(by.name, room.name, kindOf(by).fromKind);
      await send([target.id], { type: "invite", message: text.en, room: room.name, from: by.name, ...kindOf(by) }, { localized: text });
    },

    /**
     * An admin announcement to every active account but its author's, whole (at most 2,000 characters):
     * it is read in the toast and, by those who were away, when their page next opens (GET /api/announcements).
     */
    async announce(text: string, by: User) {
      // The author wrote it: no toast, push or "missed" copy of their own, as with their own messages.
      const everyone = (await activeAccountIds(db)).filter((id) => id !== by.id);
      // Stored only while `by` is still an administrator (holdAdministrator, in the store's transaction):
      // one demoted or deactivated after the request arrived announces nothing (`forbidden`, `not_admin`).
      await send(everyone, { type: "system", message: text, from: by.name }, { urgency: "normal", first: (tx) => holdAdministrator(tx, by) });
    },
  };
}

export type Notifier = ReturnType<typeof createNotifier>;
