import type { Database } from "../db";
import { limitKeyOf } from "../limits";
import type { DomainEvents } from "./domain-events";
import { AppError } from "../errors";
import { cleanText, lastMessageIdBefore, messageIdAtSeq, listMessages, listMessagesAround, parseMessageId, roomHistory, type Roster } from "./messages";
import { changesAfter, deleteMessage, editMessage, listMissed, type MessageChange, type Missed } from "./changes";
import { cleanEmoji } from "./emoji";
import { findThreadRoot, postReply, threadPage } from "./threads";
import { createMessageWriter } from "./message-writer";
import { createJoinReader } from "./join-reader";
import { createReactionWriter, type Toggled } from "./reaction-writer";
import { cleanClientId } from "../text/rules";
import type { PresenceStore } from "./presence";
import type { NotificationLevel } from "../notifications/types";
import { dropFollowLevel } from "../notifications/levels";
import { addMember, createRoom, findRoomForMember, setRoomArchived, LOBBY, findRoomsByIds, findRoomsForMemberByIds, joinRoom, listRoomsForUser, markRead, memberRoomIds, openDirectRoom, otherMemberName, removeMember, memberRoomIdsAmong, roomRoster, type Room } from "./rooms";
import { findUserByName } from "./users";
import { normalizeRoomName } from "./names";
import { attachmentsForSend } from "./uploads";
import type { Member, Message, MessageExtra, RoomKind, RoomSummary } from "./types";
import type { User } from "./users";
import { holdAdministrator } from "../auth/accounts";

export type ChatDeps = {
  db: Database;
  presence: PresenceStore;
  messageMaxChars: number;
  /** Throws AppError("rate_limited") when the user whose limit key (limitKeyOf) is `key` may not post now. */
  allowMessage?: (key: string) => Promise<void>;
  /** Told after a new message is stored and after someone is added to a room (delivery, notifications). */
  events?: DomainEvents;
  /** Told the number of posts of every group commit of the message writer (metrics). */
  onWriteBatch?: (size: number) => void;
  /** Told the number of new messages each group commit stored, once stored (the search index's merges). */
  onMessagesStored?: (count: number) => void;
  /** Builds a message's search document on the Node thread (lib/search/document.ts); absent: the database does. */
  searchDocument?: (text: string) => string | null;
  /** Told the number of toggles of every group commit of the reaction writer (metrics). */
  onReactBatch?: (size: number) => void;
  /** Told the number of joins of every statement of the join reader (metrics). */
  onJoinBatch?: (size: number) => void;
  /**
   * Told, after the commit, that `userId` may have become (`member`) or stopped being a member of
   * `roomId` (the handshake's identity cache keeps the user's room ids). Creating a room, adding a
   * member, opening a DM or posting to the lobby always tell it (whether or not the user was a member).
   */
  onMembership?: (userId: string, roomId: string, member: boolean) => void;
};

/** The seed's lobby: the room that the plain `message` event writes to (see rooms.ts). */
export { LOBBY };

/** A member list's entry; `bot` only for a bot. */
const member = (name: string, online: boolean, bot?: boolean): Member => (bot ? { name, online, bot: true } : { name, online });

const summarize = (
  room: Room,
  online: number,
  extra: { unread?: number; readSeq?: number; lastChange?: number; mentions?: number; level?: NotificationLevel; lastMessageId?: string | null; title?: string; left?: true } = {},
): RoomSummary => ({
  name: room.name,
  kind: room.kind,
  private: room.kind !== "public",
  online,
  unread: extra.unread ?? 0,
  ...(extra.readSeq !== undefined ? { readSeq: extra.readSeq } : {}),
  ...(extra.lastChange !== undefined ? { lastChange: extra.lastChange } : {}),
  ...(extra.mentions !== undefined ? { mentions: extra.mentions } : {}),
  ...(extra.level ? { level: extra.level } : {}),
  lastSeq: room.lastSeq,
  lastMessageId: extra.lastMessageId ?? null,
  ...(extra.title ? { title: extra.title } : {}),
  ...(room.archived ? { archived: true as const } : {}),
  ...(extra.left ? { left: true as const } : {}),
});

/**
 * The chat verbs, transport-free: plain values in, plain values out, AppError on refusal. Every verb
 * that touches a room resolves it through the caller's memberships first.
 */
export function createChat(deps: ChatDeps) {
  const { db, presence } = deps;
  const membership = (userId: string, roomId: string, member: boolean) => deps.onMembership?.(userId, roomId, member);

  /**
   * Who is in a room: a public room's online users; a private room's or DM's members, each online or
   * not; bots marked `bot`. `roster` is the members as enter_room() just read them (by name), saving the query.
   */
  async function members(room: Room, roster?: Roster): Promise<Member[]> {
    const online = await presence.online(room.id);
    if (room.kind === "public") return online.map((u) => member(u.name, true, u.bot));
    const ids = new Set(online.map((u) => u.id));
    const rows = roster ?? (await roomRoster(db, room.id));
    return rows.map((r) => member(r.name, ids.has(r.id), r.bot));
  }

  /**
   * A room as `viewer` sees it (a DM is titled with the other person's name, taken from `roster` when
   * the caller has the room's members at hand), with its newest message's id (`lastMessageId`, as
   * list-rooms gives it): `newest`, the last message of a page read with the room (join-room's), saves
   * its lookup when it is that message (its `seq` is the room's `lastSeq`).
   */
  async function summary(room: Room, viewer?: User, roster?: Roster, newest?: Pick<Message, "id" | "seq">): Promise<RoomSummary> {
    const counts = await presence.counts([room.id]);
    let title: string | undefined;
    if (room.kind === "dm" && viewer && roster) title = roster.find((m) => m.id !== viewer.id)?.name;
    else if (room.kind === "dm" && viewer) title = await otherMemberName(db, room.id, viewer.id);
    const lastMessageId = newest && newest.seq === room.lastSeq ? newest.id : await messageIdAtSeq(db, room.id, room.lastSeq);
    return summarize(room, counts.get(room.id) ?? 0, { title, lastMessageId });
  }

  async function findTarget(rawName: unknown) {
    const target = typeof rawName === "string" ? await findUserByName(db, rawName) : null;
    if (!target || target.deactivated) throw new AppError("not_found", "no such user", { reason: "no_such_account" });
    return target;
  }

  const allowMessage = deps.allowMessage ?? (async () => undefined);
  const writer = createMessageWriter(db, { onBatch: deps.onWriteBatch, onStored: deps.onMessagesStored, searchDocument: deps.searchDocument });
  const reactions = createReactionWriter(db, { onBatch: deps.onReactBatch });
  const joins = createJoinReader(db, { limit: 50, onBatch: deps.onJoinBatch });

  async function extraOf(user: User, room: Room, ids: unknown): Promise<MessageExtra | undefined> {
    const attachments = await attachmentsForSend(db, user, room, ids);
    return attachments.length > 0 ? { attachments } : undefined;
  }

  /** A page before `before` (or the newest), or around `around` (then with `hasNewer`). */
  const historyOf = (room: Room, input: { before?: string; around?: string; limit?: number }) =>
    input.around !== undefined
      ? listMessagesAround(db, { room, around: input.around, limit: input.limit ?? 50 })
      : listMessages(db, { room, before: input.before, limit: input.limit ?? 50 });

  async function post(user: User, room: Room, text: string, clientId?: string, given?: MessageExtra, threadId?: string) {
    await allowMessage(limitKeyOf(user));
    // A guest's or a bot's message says so (Message.authorKind), for as long as it is kept.
    const extra = user.kind === "user" ? given : { ...given, authorKind: user.kind };
    // A reply is stored on its own (it also updates its root); other messages go through the group commit.
    const posted: { message: Message; created: boolean; rootChange?: MessageChange } = threadId
      ? await postReply(db, { user, room, text, clientId, extra, rootId: await findThreadRoot(db, room, threadId) })
      : await writer.post({ user, room, text, clientId, extra });
    if (posted.created) deps.events?.posted(room, posted.message, user);
    // A reply also changed its root (`replies`): announced after the reply, as its order says.
    if (posted.rootChange) deps.events?.changed(room, posted.rootChange, user);
    return { room, message: posted.message, created: posted.created };
  }

  function announce(room: Room, user: User, result: { change?: MessageChange; message: Message }) {
    if (result.change) deps.events?.changed(room, result.change, user);
    return result.message;
  }

  /** Toggles (group-committed with concurrent toggles), then announces the change. */
  async function toggle(user: User, room: Room, id: string, emoji: string): Promise<Toggled> {
    const done = await reactions.toggle({ user, room, id, emoji });
    deps.events?.changed(room, done.change, user);
    return done;
  }

  return {
    members,
    summary,
    /** The longest message text, in characters (MESSAGE_MAX_CHARS): the server's limit, which clients are told. */
    messageMaxChars: deps.messageMaxChars,

    /** Resolves a room the user may use (the scoped lookup), without joining it. */
    access: (user: User, name: unknown) => findRoomForMember(db, user, name).then((r) => r.room),

    /**
     * Joins (creating an unknown public room, after `beforeCreate`), marks it read, and returns it with
     * its newest 50 messages (and, for a private room or DM, its roster: see enterRoomPage). One round
     * trip to the database for a room that exists, shared with the joins that wait for it (createJoinReader).
     */
    async enterRoom(user: User, name: unknown, beforeCreate?: () => Promise<void>) {
      const wanted = normalizeRoomName(name);
      const entered = await joins.enter(user, wanted);
      if (entered) {
        if (entered.newMember) membership(user.id, entered.room.id, true);
        return entered;
      }
      // Unknown: joinRoom creates it (or joins the one someone created meanwhile; refuses `dm:` names).
      const room = await joinRoom(db, user, wanted, { beforeCreate });
      membership(user.id, room.id, true);
      const created = await joins.enter(user, room.name);
      if (!created) throw new AppError("not_found", `no room named "${room.name}"`);
      return created;
    },

    /**
     * Moves the user's read marker forward to `seq` (never back, never past the newest message):
     * `{ room, readSeq, moved }`, `moved` false when the marker stayed (nothing was written).
     */
    async markRead(user: User, input: { room: unknown; seq: number }) {
      const { room, member } = await findRoomForMember(db, user, input.room);
      if (!member) return { room, readSeq: 0, moved: false };
      return { room, ...(await markRead(db, room, user, input.seq)) };
    },

    /** Rooms by id for server-side bookkeeping (who left a room when an instance died); no access check. */
    roomsByIds: (ids: string[]) => findRoomsByIds(db, ids),

    /** The rooms among `ids` the user may still use. */
    roomsStillAllowed: (user: User, ids: string[]) => findRoomsForMemberByIds(db, user, ids),

    /** The ids among `ids` of the rooms the user is a member of (whose watch list they belong on). */
    memberOfAmong: (user: User, ids: string[]) => memberRoomIdsAmong(db, user, ids),

    /** Ids of every room the user is a member of (their sockets watch these for unread counts). */
    memberRoomIds: (user: User) => memberRoomIds(db, user),

    /**
     * Creates a room (see rooms.ts createRoom); `beforeCreate` runs once its name passed the naming
     * rules, before it is stored (the creation limits: a name no room may take costs nothing).
     */
    async createRoom(user: User, input: { name: unknown; private?: boolean }, beforeCreate?: () => Promise<void>) {
      const kind: RoomKind = input.private ? "private" : "public";
      const room = await createRoom(db, user, { name: input.name, kind }, beforeCreate);
      membership(user.id, room.id, true);
      return summary(room);
    },

    /**
     * A member adds an account to a private room; returns the room, who was added, and whether they
     * were not a member before (`added`). Adding a member again changes nothing and announces nothing:
     * no second invitation (a notification and a push each time) for the same membership.
     */
    async addMember(user: User, input: { room: unknown; name: unknown }) {
      const target = await findTarget(input.name);
      const { room, added } = await addMember(db, user, { room: input.room, target });
      if (added) {
        membership(target.id, room.id, true);
        deps.events?.invited(room, target, user);
      }
      return { room, target, added };
    },

    /** Removing someone who is not a member changes nothing and announces nothing (`removed` false). */
    /**
     * `beforeCommit(room, target)` runs once the membership row is deleted and before the removal commits:
     * a join waiting behind the deletion (it read the membership first) gets its answer only after the
     * commit, so whatever `beforeCommit` records is there when that join checks (see enter()). If the
     * commit then fails, it has recorded a removal that did not happen: such a join is refused once.
     * Removing oneself from a public room is leaving it (`left`, see rooms.ts removeMember): recorded
     * whether or not they were a member (`removed`), with no `beforeCommit` (anyone may join a public room
     * again, so no join is to be refused) and nothing they were told taken back (they may still read it).
     */
    async removeMember(user: User, input: { room: unknown; name: unknown }, opts: { beforeCommit?: (room: Room, target: User) => void } = {}) {
      const target = await findTarget(input.name);
      const { room, removed, left } = await db.transaction(async (tx) => {
        const done = await removeMember(tx, user, { room: input.room, target });
        // Leaving is unfollowing: every-message notifications stop with it (a mute stays).
        if (done.left) await dropFollowLevel(tx, target.id, done.room.id);
        if (done.removed && !done.left) opts.beforeCommit?.(done.room, target);
        return done;
      });
      if (removed) membership(target.id, room.id, false);
      if (removed && !left) deps.events?.removed(room, target, user);
      return { room, target, removed, ...(left ? { left } : {}) };
    },

    /** `targetAdded`: the DM is new to the other person (only then is their room list changed). */
    /**
     * An admin archives or unarchives a room (setRoomArchived): the room as it is now, whether it changed,
     * and for a private room its member ids (who to tell).
     */
    async setArchived(user: User, input: { room: unknown; archived: boolean }) {
      const done = await db.transaction(async (tx) => {
        const changed = await setRoomArchived(tx, user, input.room, input.archived);
        // Still an administrator when the room changes (the role held until commit).
        await holdAdministrator(tx, user);
        return changed;
      });
      return { ...done, summary: await summary(done.room, user) };
    },

    async openDm(user: User, name: unknown) {
      const target = await findTarget(name);
      const { room, targetAdded } = await openDirectRoom(db, user, target);
      membership(user.id, room.id, true);
      membership(target.id, room.id, true);
      return { room, target, targetAdded, summary: await summary(room, user) };
    },

    /**
     * Posts a message; `attachments` are upload ids (see attachmentsForSend), and with some the text may
     * be empty. With `threadId`, a reply in that message's thread (see findThreadRoot).
     */
    async send(user: User, input: { room: unknown; text: unknown; clientId?: unknown; attachments?: unknown; threadId?: string }) {
      const withFiles = Array.isArray(input.attachments) && input.attachments.length > 0;
      const text = cleanText(input.text, deps.messageMaxChars, { allowEmpty: withFiles });
      const clientId = cleanClientId(input.clientId);
      const { room } = await findRoomForMember(db, user, input.room);
      return post(user, room, text, clientId, await extraOf(user, room, input.attachments), input.threadId);
    },

    /**
     * Like send, for a room this connection already joined (the scoped lookup was done at join, and
     * losing membership takes the connection out of the room): saves a query on the hot path.
     */
    async sendToJoined(user: User, room: Room, input: { text: unknown; clientId?: unknown; attachments?: unknown; threadId?: string }) {
      const withFiles = Array.isArray(input.attachments) && input.attachments.length > 0;
      const text = cleanText(input.text, deps.messageMaxChars, { allowEmpty: withFiles });
      return post(user, room, text, cleanClientId(input.clientId), await extraOf(user, room, input.attachments), input.threadId);
    },

    /** A thread's root and a page of its replies, oldest first. */
    async threadHistory(user: User, input: { room: unknown; threadId: string; before?: string; limit?: number }) {
      const { room } = await findRoomForMember(db, user, input.room);
      return threadPage(db, { room, threadId: input.threadId, before: input.before, limit: input.limit ?? 50 });
    },

    /** The messages whose latest change came after change number `after`, as they are now (see changesAfter). */
    async changes(user: User, input: { room: unknown; after: number; limit?: number }) {
      const { room } = await findRoomForMember(db, user, input.room);
      return changesAfter(db, { room, after: input.after, limit: input.limit ?? 100 });
    },

    /** The seed's lobby broadcast: stored in room `lobby`, which is created on first use. */
    async postToLobby(user: User, rawText: unknown) {
      const text = cleanText(rawText, deps.messageMaxChars);
      const lobby = await joinRoom(db, user, LOBBY);
      membership(user.id, lobby.id, true);
      return post(user, lobby, text);
    },

    /**
     * The author replaces a message's text; returns the message as it is now. A blank text is stored as
     * "" when the message carries attachments (as it could have been sent), refused otherwise (see editMessage).
     */
    async editMessage(user: User, input: { room: unknown; id: string; text: unknown }) {
      const text = cleanText(input.text, deps.messageMaxChars, { allowEmpty: typeof input.text === "string" });
      const { room } = await findRoomForMember(db, user, input.room);
      return announce(room, user, await editMessage(db, { user, room, id: input.id, text }));
    },

    /** The author or an administrator turns a message into a tombstone; returns the tombstone. */
    async deleteMessage(user: User, input: { room: unknown; id: string }) {
      const { room } = await findRoomForMember(db, user, input.room);
      const done = await deleteMessage(db, { user, room, id: input.id });
      const tombstone = announce(room, user, done);
      // Then the root it was a reply of, its `replies` without it (the root's change comes after the deletion's).
      if (done.rootChange) deps.events?.changed(room, done.rootChange, user);
      return tombstone;
    },

    /**
     * Toggles the user's reaction `emoji` on a message: the message as it is after this toggle (its
     * change position included) and what the toggle did. `bad_request` for anything but one emoji or a
     * malformed id; `not_found` for a message not in that room or deleted; `too_large` past the
     * distinct-emoji cap (lib/chat/reactions.ts).
     */
    async react(user: User, input: { room: unknown; id: string; emoji: unknown }) {
      const emoji = cleanEmoji(input.emoji);
      const { room } = await findRoomForMember(db, user, input.room);
      return toggle(user, room, parseMessageId(input.id), emoji);
    },

    /** Like react, for a room this connection already joined (as sendToJoined: no room lookup on the hot path). */
    async reactInJoined(user: User, room: Room, input: { id: string; emoji: unknown }) {
      const emoji = cleanEmoji(input.emoji);
      return toggle(user, room, parseMessageId(input.id), emoji);
    },

    history: async (user: User, input: { room: unknown; before?: string; around?: string; limit?: number }) => {
      if (input.around !== undefined) return historyOf((await findRoomForMember(db, user, input.room)).room, input);
      const { room: _room, ...page } = await roomHistory(db, user, { room: input.room, before: input.before, limit: input.limit ?? 50 });
      return page;
    },

    /**
     * A room's newest `limit` messages for a server-rendered page, with the room's kind (a private room's
     * start says so from the first paint) and, for a DM, `title`: the other person's name (the page names
     * the conversation by it, not by its address); the access rule and errors of `history`.
     */
    firstPage: async (user: User, input: { room: unknown; limit: number }) => {
      const { room, ...page } = await roomHistory(db, user, input);
      const kind = room.kind;
      if (kind !== "dm") return { ...page, kind };
      // The same title a DM's summary has (otherMemberName).
      const title = await otherMemberName(db, room.id, user.id);
      return title ? { ...page, kind, title } : { ...page, kind };
    },

    /** History of a room the connection joined and is still in (its membership was checked on join). */
    historyOfJoined: historyOf,

    /**
     * What a room (already access-checked) got since `since` (ms since the epoch), in the room's order:
     * from the newest message stored before `since` on (see listMissed).
     */
    async missedSinceTime(room: Room, since: number, limit: number): Promise<Missed[]> {
      const after = await lastMessageIdBefore(db, room.id, new Date(since).toISOString());
      return listMissed(db, { room, after, limit });
    },

    /**
     * What a reconnecting client missed in a room after position `after` (a message or change id), in
     * the room's order (see listMissed); empty if it may no longer read the room.
     */
    async missedSince(user: User, roomName: unknown, after: string, limit: number): Promise<Missed[]> {
      try {
        const { room } = await findRoomForMember(db, user, roomName);
        return await listMissed(db, { room, after, limit });
      } catch (err) {
        if (err instanceof AppError && err.code !== "internal") return [];
        throw err;
      }
    },

    async listRooms(user: User): Promise<RoomSummary[]> {
      const rooms = await listRoomsForUser(db, user);
      const counts = await presence.counts(rooms.map((r) => r.id));
      return rooms.map((r) => summarize(r, counts.get(r.id) ?? 0, r));
    },
  };
}

export type Chat = ReturnType<typeof createChat>;
