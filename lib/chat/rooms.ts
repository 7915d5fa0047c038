import { MENTION_TYPES, type NotificationLevel } from "../notifications/types";
import type { Queryable } from "../db";
import { AppError } from "../errors";
import { mixedScriptsRefused, restrictedLettersRefused, withoutRoomSign } from "../text/rules";
import { inIdentifierProfile, isModeratelyRestrictive } from "../text/scripts";
import { nameKey, normalizeRoomName, roomSkeleton } from "./names";
import type { RoomKind } from "./types";
import type { User } from "./users";
import { departureJoinSql, recordDeparture } from "./departures";

/**
 * The `rooms` and `memberships` tables' one home: every statement that writes them, and every read of
 * them alone, is here (docs/architecture.md, "One home per table"); statements of other modules that
 * must touch them in the same round trip take their SQL from here (takeMessageSeqSql, readUpToSql,
 * memberRoomIdsColumn).
 */

/** A room as stored. `lastSeq` is the seq of its newest message (0 when empty). */
/** `archived`: an admin archived the room (read-only; see setRoomArchived), present only then. */
export type Room = { id: string; name: string; kind: RoomKind; lastSeq: number; archived?: true };

export type RoomRow = { id: string; name: string; kind: RoomKind; last_seq: string | number; member: boolean; archived?: boolean };
const toRoom = (r: RoomRow): Room => ({ id: r.id, name: r.name, kind: r.kind, lastSeq: Number(r.last_seq), ...(r.archived ? { archived: true as const } : {}) });

/** The refusal of a change to an archived room: `forbidden` (`room_archived`). */
export const roomArchived = () => new AppError("forbidden", "this room is archived: nothing in it can change until an admin unarchives it", { reason: "room_archived" });

/**
 * Throws roomArchived() when `room` (as its lookup read it) is archived: for what no store checks, typing
 * and uploads. Posts, replies, edits, deletions and reactions are refused by the store once it holds the
 * room's row (store_messages(), apply_reactions(), takeChangeSeq()), which sees an archive committed
 * while they waited too.
 */
export function refuseArchived(room: Room): void {
  if (room.archived) throw roomArchived();
}

/**
 * The one scoped room lookup: every action on a room goes through here. Returns the room when `user`
 * may use it. A private room or DM the user is not a member of is `forbidden` (the wire contract: "anyone
 * else gets `forbidden` for join, send, history and typing"), with a message that says nothing about the
 * room; a room that does not exist is `not_found`. See roomAccess for DM names.
 */
export async function findRoomForMember(
  db: Queryable,
  user: User,
  rawName: unknown,
): Promise<{ room: Room; member: boolean }> {
  const name = normalizeRoomName(rawName);
  return roomAccess(name, await roomRow(db, user, name), user);
}

/**
 * findRoomForMember for a caller with no account: a guest's HTTP request (a guest has no HTTP
 * credential, see file-routes.ts), a member of no room. Answers a public room; refuses every other
 * name exactly as roomAccess refuses a non-member (`forbidden` for a private room or any DM name,
 * `not_found` for a name no room has).
 */
export async function findRoomForGuest(db: Queryable, rawName: unknown): Promise<Room> {
  const name = normalizeRoomName(rawName);
  const [row] = await db.query<RoomRow>(
    "select r.id::text as id, r.name, r.kind, r.last_seq, false as member from rooms r where r.name = $1",
    [name],
  );
  // No user id is in any DM name: every DM name is someone else's.
  return roomAccess(name, row, { id: "" }).room;
}

/**
 * The name of the room people mean by `rawName` when no room has it exactly: one whose name has the same
 * key (nameKey: any case or width, `General` or `ＧＥＮＥＲＡＬ` for `general`), or, when none does,
 * the same key once a leading `#` or `＃` is taken off (`#general`, as messages and search write a room),
 * else the same second key (roomSkeleton: a capital look-alike, `generaI`, whose creation that room
 * refuses as taken). Only a room `user` may read (a public room, or a private room they are a member of; without `user`,
 * public rooms only) and never a DM: nothing is said of a room the caller may not read. Undefined when
 * there is none, or when `rawName` is no room name at all. For addresses (`/rooms/General`) and the "New
 * room" form, which then open that room; the wire's room verbs still take names exactly.
 */
export async function findRoomMeant(db: Queryable, user: Pick<User, "id"> | undefined, rawName: unknown): Promise<string | undefined> {
  let name: string;
  try {
    name = normalizeRoomName(rawName);
  } catch {
    return undefined;
  }
  const bare = withoutRoomSign(name);
  const spellings = [name, ...(bare !== name && bare !== "" ? [bare] : [])];
  const keys = spellings.map(nameKey);
  // The second key too (roomSkeleton: a capital look-alike, "generaI" with a capital I, is "general"):
  // a name it makes taken is a room's, which is the one meant (creating it is refused as taken).
  const [row] = await db.query<{ name: string }>(
    `select r.name from rooms r left join memberships m on m.room_id = r.id and m.user_id = $2
      where (r.name_key = any($1::text[]) or r.name_skeleton = any($4::text[])) and r.kind <> 'dm' and (r.kind = 'public' or m.user_id is not null)
      order by r.name_key = $3 desc, r.name_key = any($1::text[]) desc limit 1`,
    [keys, user?.id ?? null, keys[0], spellings.map(roomSkeleton)],
  );
  return row?.name;
}

/**
 * Whether a room (not a DM) holds `rawName` or a name that looks the same (either key create-room refuses a
 * new name by): what `create-room` would answer `conflict` for. It says no more than that answer does (a
 * room's name is not secret: docs/protocol.md, `join-room`), not whose the room is or what is in it. For
 * the page of an address no room the reader may read has, which then offers no Create that can only fail.
 */
export async function roomNameHeld(db: Queryable, rawName: unknown): Promise<boolean> {
  let name: string;
  try {
    name = normalizeRoomName(rawName);
  } catch {
    return false;
  }
  const held = await db.query("select 1 from rooms where (name_key = $1 or name_skeleton = $2) and kind <> 'dm' limit 1", [nameKey(name), roomSkeleton(name)]);
  return held.length > 0;
}

/** The row of the room named `name` (already normalised), with whether `user` is a member; undefined if none. */
async function roomRow(db: Queryable, user: User, name: string): Promise<RoomRow | undefined> {
  const [row] = await db.query<RoomRow>(
    `select r.id::text as id, r.name, r.kind, r.last_seq, (m.user_id is not null) as member, (r.archived_at is not null) as archived
       from rooms r left join memberships m on m.room_id = r.id and m.user_id = $2
      where r.name = $1`,
    [name, user.id],
  );
  return row;
}

/**
 * The access rule of the scoped lookup, for a room row fetched by `name` (undefined: no such room) and
 * the `user` asking. The history lookup (`room_history()` in SQL) fetches the row with its page and
 * decides here too. Throws `forbidden` (notAMember) for a private room or DM `user` is not a member of,
 * and for any DM name (`dm:<id>:<id>`) without `user`'s id in it, whether that DM exists or not: who
 * talks to whom is not revealed by probing names. Throws `not_found` for any other name no room has.
 */
export function roomAccess(name: string, row: RoomRow | undefined, user: Pick<User, "id">): { room: Room; member: boolean } {
  if (row && (row.kind === "public" || row.member)) return { room: toRoom(row), member: row.member };
  if (row) throw notAMember();
  return noRoomNamed(name, user);
}

/** The refusal for a name no room has: `forbidden` for a DM name of others (see roomAccess), else `not_found`. */
function noRoomNamed(name: string, user: Pick<User, "id">): never {
  throw isOthersDmName(name, user) ? notAMember() : noSuchRoom(name);
}

/** A room that does not exist. */
const noSuchRoom = (name: string) => new AppError("not_found", `no room named "${name}"`);
/** A private room or DM of others: the same words for every one of them, nothing about the room. */
export const notAMember = () => new AppError("forbidden", "you are not a member of this room");
/** Whether `name` starts like a DM's (`dm:` under either key: "DM:", "ｄｍ:" too), a name no other room may take. */
const looksLikeDmName = (name: string) => nameKey(name).startsWith(DM_PREFIX_KEY) || roomSkeleton(name).startsWith(DM_PREFIX_SKELETON);
/** Whether `name` is a DM name (`dm:` under any spelling that rooms refuse) that does not name `user`. */
function isOthersDmName(name: string, user: Pick<User, "id">): boolean {
  if (!looksLikeDmName(name)) return false;
  const ids = /^dm:(\d+):(\d+)$/.exec(name);
  return !ids || (ids[1] !== user.id && ids[2] !== user.id);
}

/** Makes `user` a member of `room` (idempotent); true when they were not one before. */
export async function grantMembership(db: Queryable, room: Room, user: User): Promise<boolean> {
  const rows = await db.query(
    `insert into memberships (room_id, user_id, last_read_seq) values ($1, $2, $3) on conflict do nothing returning 1`,
    [room.id, user.id, room.lastSeq],
  );
  return rows.length > 0;
}

/**
 * The seed's lobby: the room that the plain `message` event writes to, and whose every message goes to
 * every connection on the server as that event. It is public: no private room may take its name or a
 * look-alike of it (its messages would reach everyone), nor a public look-alike (the lobby event could
 * then never create it).
 */
export const LOBBY = "lobby";
const LOBBY_KEY = nameKey(LOBBY);
const LOBBY_SKELETON = roomSkeleton(LOBBY);
const isLobbyLookAlike = (name: string) => nameKey(name) === LOBBY_KEY || roomSkeleton(name) === LOBBY_SKELETON;

/** Direct-message rooms are addressed `dm:<lower user id>:<higher user id>`; nobody else may take such names (or look-alikes). */
const DM_PREFIX = "dm:";
const DM_PREFIX_KEY = nameKey(DM_PREFIX);
const DM_PREFIX_SKELETON = roomSkeleton(DM_PREFIX);
/**
 * Signs a new room's name may not start with, under either key (so "＃", "﹟", "＠" count too): "#" is how
 * a room is written in text and in its address ("#general", `/rooms/%23general`, is the room general: a
 * room named "#general" made beside it was listed as "##general" and its address opened it, an outside
 * trial), "@" how a person is (a room "@bob" reads as a DM with bob).
 */
const ROOM_SIGNS = ["#", "@"];
const ROOM_SIGN_KEYS = ROOM_SIGNS.flatMap((sign) => [nameKey(sign), roomSkeleton(sign)]);
const startsWithSign = (key: string, skel: string) => ROOM_SIGN_KEYS.some((sign) => key.startsWith(sign) || skel.startsWith(sign));

export const dmRoomName = (a: string, b: string) => {
  const [lo, hi] = [BigInt(a), BigInt(b)].sort((x, y) => (x < y ? -1 : 1));
  return `${DM_PREFIX}${lo}:${hi}`;
};

/** A room name's words: its runs of letters, marks and digits (spaces, `-`, `_`, `.`, `/` and the like separate them). */
const WORDS = /[\p{L}\p{M}\p{N}]+/gu;

/**
 * Refuses `name` (normalised) as a new room's name, when no room holds it or a look-alike of it, if one
 * of its words mixes scripts beyond UTS #39's Moderately Restrictive level (section 5.2,
 * lib/text/scripts.ts): `genera\u04cf` (a Cyrillic palochka for the l: confusables.txt maps it to "i",
 * so neither key of it is "general"'s), `r\u0430ndom` (Cyrillic а): `bad_request` `name_mixed_scripts`.
 * The level is applied per word, as browsers apply it per domain label: a room name is a topic, and
 * `Q3 планы` or `design デザイン` are honest ones; a word that mixes look-alike alphabets is not. Letters
 * outside the identifier profile that level requires (`ᴀnnouncements`, small capital A, which
 * confusables.txt does not fold) are `name_restricted_letters`. A name a room holds (either key) is left
 * to the insert's own answer, `conflict`, as for a person's name (refuseNewRestrictedName, which holds a
 * person's name to the level as a whole). One indexed read, for such names only. Rooms named before this
 * rule keep their names and can still be joined.
 */
export async function refuseNewRestrictedRoomName(db: Queryable, name: string): Promise<void> {
  const scripts = [...name.matchAll(WORDS)].every(([word]) => isModeratelyRestrictive(word));
  const letters = inIdentifierProfile(name);
  if (scripts && letters) return;
  const held = await db.query("select 1 from rooms where name_key = $1 or name_skeleton = $2 limit 1", [nameKey(name), roomSkeleton(name)]);
  if (held.length === 0) throw scripts ? restrictedLettersRefused() : mixedScriptsRefused();
}

/**
 * Creates a room with `creator` as its first member; `conflict` when the name, or one that looks the
 * same, is taken: another room has its key (the UTS #39 skeleton of its lower case, `nameKey`) or its
 * second key (the skeleton of the name as written, `roomSkeleton`: "generaI" with a capital I is
 * "general"). `bad_request` for a name that looks like a DM's (`dm:` under either key) or starts with a
 * room's or a person's sign (ROOM_SIGNS), and for a new one
 * that mixes look-alike scripts or uses restricted letters (refuseNewRestrictedRoomName). `beforeCreate`
 * runs (and may throw, e.g. `rate_limited`) once the name passed those rules, before the insert: a name
 * no room may take costs nothing, one that is taken costs what a new room does.
 */
export async function createRoom(
  db: Queryable,
  creator: User,
  input: { name: unknown; kind?: RoomKind },
  beforeCreate?: () => Promise<void>,
): Promise<Room> {
  const name = normalizeRoomName(input.name);
  const kind = input.kind ?? "public";
  if (kind !== "public" && creator.kind === "guest") throw new AppError("forbidden", "guests cannot create private rooms", { reason: "guests_excluded" });
  const key = nameKey(name);
  const skel = roomSkeleton(name);
  if (kind !== "dm" && (key.startsWith(DM_PREFIX_KEY) || skel.startsWith(DM_PREFIX_SKELETON))) {
    throw new AppError("bad_request", `room names starting with "${DM_PREFIX}" are reserved`, { reason: "name_reserved" });
  }
  if (kind !== "dm" && startsWithSign(key, skel)) {
    throw new AppError("bad_request", `room names may not start with "${ROOM_SIGNS.join('" or "')}"`, { reason: "name_reserved" });
  }
  if (isLobbyLookAlike(name) && (name !== LOBBY || kind !== "public")) {
    throw new AppError("bad_request", `"${LOBBY}" is the public lobby (the message event's room): no other room may take its name or one like it`, { reason: "name_reserved" });
  }
  if (kind !== "dm") await refuseNewRestrictedRoomName(db, name);
  await beforeCreate?.();
  const [row] = await db.query<RoomRow>(
    `insert into rooms (name, name_key, name_skeleton, kind, created_by) values ($1, $2, $3, $4, $5) on conflict do nothing
     returning id::text as id, name, kind, last_seq, true as member`,
    [name, key, skel, kind, creator.id],
  );
  if (!row) throw new AppError("conflict", `a room named "${name}", or one that looks the same, already exists`, { reason: "name_taken" });
  const room = toRoom(row);
  await grantMembership(db, room, creator);
  return room;
}

/**
 * Joins a room by name: an unknown name creates a public room (the tutorial behaviour); a public room
 * makes the user a member; a private room or DM requires membership already, and a non-member gets
 * `forbidden` as on every other verb (roomAccess). Names starting with `dm:` are never created here, and
 * someone else's DM name answers `forbidden` whether that DM exists or not. `beforeCreate` runs (and may throw, e.g. `rate_limited`)
 * only when the name is unknown and a room is about to be created, so creating rooms by joining them
 * costs what `create-room` costs.
 */
export async function joinRoom(
  db: Queryable,
  user: User,
  rawName: unknown,
  opts: { beforeCreate?: () => Promise<void>; retry?: boolean } = {},
): Promise<Room> {
  const retry = opts.retry ?? true;
  const name = normalizeRoomName(rawName);
  const row = await roomRow(db, user, name);
  if (row) {
    const { room, member } = roomAccess(name, row, user);
    if (!member) await grantMembership(db, room, user);
    return room;
  }
  // Never created here: a DM of others is forbidden whether it exists or not, one's own is not found.
  if (looksLikeDmName(name)) noRoomNamed(name, user);
  try {
    return await createRoom(db, user, { name }, opts.beforeCreate);
  } catch (err) {
    // Someone else created it between our lookup and insert: join theirs. Still not found the second
    // time: the conflict is a look-alike name, which stays a conflict.
    if (retry && err instanceof AppError && err.code === "conflict") return joinRoom(db, user, name, { retry: false });
    throw err;
  }
}

/**
 * Holds `room`'s row (`FOR UPDATE`, to the end of `tx`) and, for a private room or DM, checks in a
 * statement of its own, so with a snapshot taken after the wait, that `user` is still a member: a
 * removal (which holds the same row, see removeMember) committed while the caller waited is seen.
 * Throws `forbidden` (notAMember) when not. Public rooms: nothing to check, nothing held.
 * For the paths that store one message in their own transaction (a thread reply, the message writer's
 * one-at-a-time retry: called after the insert, which already holds the row, so that a retried clientId
 * gives back what was stored, as store_messages() does; it checks a batch the same way, migration 45) and
 * for edits and deletions.
 */
export async function holdRoomAsMember(tx: Queryable, room: Room, user: Pick<User, "id">): Promise<void> {
  if (room.kind === "public") return;
  await tx.query("select 1 from rooms where id = $1 for update", [room.id]);
  const [row] = await tx.query<{ member: boolean }>("select exists (select 1 from memberships where room_id = $1 and user_id = $2) as member", [
    room.id,
    user.id,
  ]);
  if (!row?.member) throw notAMember();
}

/** Ends `user`'s membership of `room` (their read marker goes with it); true when they were one. */
export async function revokeMembership(db: Queryable, room: Room, user: User): Promise<boolean> {
  const rows = await db.query("delete from memberships where room_id = $1 and user_id = $2 returning 1", [room.id, user.id]);
  return rows.length > 0;
}

export type RoomListing = Room & {
  member: boolean;
  unread: number;
  /** A member's read marker: the seq of the last message they read (unread counts live messages past it). */
  readSeq?: number;
  /** The room's change count as this list read it: the changes (deletions) its counts already reflect. */
  lastChange: number;
  mentions: number;
  level: NotificationLevel;
  lastMessageId: string | null;
  title?: string;
  /** A public room the user left (remove-member of themselves) and has not opened since: listed apart. */
  left?: true;
};

/**
 * Every room `user` may see: all public rooms and the private rooms and DMs they belong to, with their
 * read marker (`readSeq`) and unread count (messages past the marker, deleted ones left out) as of the
 * room's change `lastChange`, the unread messages among them that notified the user
 * as a mention, a reply or a DM, withdrawn mentions left out (notifications name their message since migration 36; a room at level `none`
 * stores none, so it counts none), and the user's level for the room (DMs default to `all`, rooms to
 * `mentions`). A public room the user never opened (not a member: no read marker) counts only what
 * notified them there, as its unread and its mentions: someone asked for them in a room they do not
 * follow, and the list shows it until they open the room (which makes them a member, read to the end).
 * A public room they left (leavePublicRoom) and have not opened since is `left`; there only what notified
 * them after they left counts (notifications made after `left_at`, migration 57: a mention an edit adds
 * to an older message too), as for a room never opened.
 */
export async function listRoomsForUser(db: Queryable, user: User): Promise<RoomListing[]> {
  const rows = await db.query<
    RoomRow & {
      last_read_seq: string | null;
      last_message_id: string | null;
      title: string | null;
      mentions: string;
      deleted_unread: string;
      last_change: string;
      level: NotificationLevel;
      departed: boolean;
    }
  >(
    `with mine as materialized (
       select mm.room_id, mm.seq, n.created_at from notifications n join messages mm on mm.id = n.message_id
        where n.user_id = $1 and n.message_id is not null and n.type = any($2::text[]) and not n.withdrawn)
     select r.id::text as id, r.name, r.kind, r.last_seq, r.last_change::text as last_change, (m.user_id is not null) as member, m.last_read_seq,
            (r.archived_at is not null) as archived, (m.user_id is null and d.left_at is not null) as departed,
            (select max(id)::text from messages where room_id = r.id) as last_message_id,
            case when r.kind = 'dm' then (select u.name from memberships o join users u on u.id = o.user_id
                                           where o.room_id = r.id and o.user_id <> $1 limit 1) end as title,
            case when m.user_id is null then (select count(*) from mine where mine.room_id = r.id and (d.left_at is null or mine.created_at > d.left_at))
                 else (select count(*) from mine where mine.room_id = r.id and mine.seq > m.last_read_seq) end::text as mentions,
            case when m.user_id is null then 0
                 else (select count(*) from messages d where d.room_id = r.id and d.seq > m.last_read_seq and d.extra ? 'deleted') end::text as deleted_unread,
            coalesce(l.level, case when r.kind = 'dm' then 'all' else 'mentions' end) as level
       from rooms r left join memberships m on m.room_id = r.id and m.user_id = $1
       left join notification_levels l on l.room_id = r.id and l.user_id = $1
       ${departureJoinSql("d", "r.id", "$1")}
      where r.kind = 'public' or m.user_id is not null
      order by r.name`,
    [user.id, MENTION_TYPES],
  );
  return rows.map((r) => ({
    ...toRoom(r),
    member: r.member,
    unread: r.member ? Math.max(0, Number(r.last_seq) - Number(r.last_read_seq ?? 0) - Number(r.deleted_unread)) : Number(r.mentions),
    ...(r.member ? { readSeq: Number(r.last_read_seq ?? 0) } : {}),
    lastChange: Number(r.last_change),
    mentions: Number(r.mentions),
    level: r.level,
    lastMessageId: r.last_message_id === null ? null : r.last_message_id.padStart(16, "0"),
    ...(r.title ? { title: r.title } : {}),
    ...(r.departed ? { left: true as const } : {}),
  }));
}

/**
 * An admin archives (`archived` true) or unarchives the room named `rawName`: archived, its history stays
 * readable and searchable, and nothing is posted, edited, deleted or reacted to in it (the stores refuse
 * it once they hold the room's row, migration 56; see refuseArchived). The room is found as every verb
 * finds it (a private room: the admin must be a member); a DM or the lobby (the seed's broadcast room,
 * which `message` posts to) cannot be archived (`bad_request`). Run it in a transaction (`tx`), in which
 * the caller holds the admin's role (holdAdministrator): the room's row is locked while it changes.
 * `changed` is false when the room already was so; `members`: a private room's member ids (who is to be
 * told), absent for a public room (everyone).
 */
export async function setRoomArchived(tx: Queryable, actor: User, rawName: unknown, archived: boolean): Promise<{ room: Room; changed: boolean; members?: string[] }> {
  if (!actor.admin) throw new AppError("forbidden", "only an administrator can archive a room", { reason: "not_admin" });
  // The lobby is refused whether `message` has made it yet or not.
  if (typeof rawName === "string" && normalizeRoomName(rawName) === LOBBY) throw new AppError("bad_request", "the lobby cannot be archived");
  const { room } = await findRoomForMember(tx, actor, rawName);
  if (room.kind === "dm") throw new AppError("bad_request", "a direct message cannot be archived");
  const [row] = await tx.query<{ changed: boolean }>(
    `with was as (select archived_at from rooms where id = $1 for update)
     update rooms r set archived_at = case when $2 then coalesce(w.archived_at, now()) end
       from was w where r.id = $1
     returning (w.archived_at is not null) <> $2 as changed`,
    [room.id, archived],
  );
  const members = room.kind === "public" ? undefined : (await tx.query<{ id: string }>("select user_id::text as id from memberships where room_id = $1", [room.id])).map((r) => r.id);
  const { archived: _was, ...rest } = room;
  return { room: { ...rest, ...(archived ? { archived: true as const } : {}) }, changed: row?.changed === true, ...(members ? { members } : {}) };
}

/**
 * A member adds an account to a private room. `added` is false when the account was a member already:
 * nothing changed, so nothing is to be announced (no invitation, no `rooms-changed`).
 */
export async function addMember(db: Queryable, actor: User, input: { room: unknown; target: User }): Promise<{ room: Room; added: boolean }> {
  const { room } = await findRoomForMember(db, actor, input.room);
  if (room.kind === "public") throw new AppError("bad_request", "anyone may join a public room; no need to add members");
  if (room.kind === "dm") throw new AppError("forbidden", "a direct message cannot gain members");
  if (input.target.kind === "guest") throw new AppError("forbidden", "guests cannot join private rooms", { reason: "guests_excluded" });
  return { room, added: await grantMembership(db, room, input.target) };
}

/**
 * A member removes someone (or themselves) from a private room. Its last member cannot leave: nobody
 * could ever get in again (only members add members) and its name would stay taken, so that is refused
 * with `conflict` (`last_member`). Run it in a transaction (`tx`): the room row is locked while the
 * members are counted, so two members leaving at once cannot both go. `removed` is false when the
 * target was not a member: nothing changed, so nothing is to be announced.
 *
 * Removing oneself from a public room is leaving it (leavePublicRoom): `left` is true then, and
 * `removed` says whether they were a member. Removing anyone else from a public room stays `bad_request`
 * (a public room is anyone's to join: there is nobody to keep out), as does a DM; the public `lobby`
 * cannot be left (`bad_request`; a private one of an earlier version is left as any private room).
 */
export async function removeMember(tx: Queryable, actor: User, input: { room: unknown; target: User }): Promise<{ room: Room; removed: boolean; left?: true }> {
  const { room } = await findRoomForMember(tx, actor, input.room);
  if (room.kind === "public" && input.target.id === actor.id) {
    // Its messages go to everyone connected whatever their list says (the `message` event).
    if (room.name === LOBBY) throw new AppError("bad_request", "the lobby cannot be left: every message of it goes to everyone connected");
    return { room, removed: await leavePublicRoom(tx, room, actor), left: true };
  }
  if (room.kind !== "private") throw new AppError("bad_request", "only private rooms have members to remove");
  // The room's row first, in a statement of its own: the count below then reads the memberships as they
  // are after any removal this waited for (in one statement its snapshot was older than the wait, and two
  // members of a room of two leaving at once both counted two, both went, and left it with nobody).
  await lockRoom(tx, room.id);
  const [row] = await tx.query<{ members: string; target: boolean }>(
    `select count(*)::text as members, bool_or(m.user_id = $2) as target from memberships m where m.room_id = $1`,
    [room.id, input.target.id],
  );
  if (row?.target && Number(row.members) <= 1) {
    throw new AppError("conflict", "the last member of a private room cannot leave it: nobody could get in again", { reason: "last_member" });
  }
  if (!row?.target) return { room, removed: false };
  return { room, removed: await revokeMembership(tx, room, input.target) };
}

/**
 * `user` leaves public room `room` (Slack's "Leave channel", Zulip's "Unsubscribe"): their membership,
 * with its read marker, goes, and the departure is recorded (recordDeparture), so their list shows the
 * room apart (`left`) until they open it again, which makes them a member as any join does. A room they
 * were not a member of (never opened, or left already) is left too: they can put away a room they never
 * opened. True when they were a member. Mentions of them there still notify them, as any non-member of a
 * public room; nothing they were told before is taken back (the room stays theirs to read). Run it in a
 * transaction (`tx`), so both rows change together.
 */
async function leavePublicRoom(tx: Queryable, room: Room, user: User): Promise<boolean> {
  const removed = await revokeMembership(tx, room, user);
  await recordDeparture(tx, room, user);
  return removed;
}

/**
 * The direct-message room of two people: created on first use, the same room ever after. `targetAdded`
 * is true only when `target` became a member now (the DM is new to them).
 */
export async function openDirectRoom(db: Queryable, actor: User, target: User): Promise<{ room: Room; targetAdded: boolean }> {
  if (actor.kind === "guest" || target.kind === "guest") throw new AppError("forbidden", "guests cannot use direct messages", { reason: "guests_excluded" });
  if (actor.id === target.id) throw new AppError("bad_request", "you cannot open a direct message with yourself", { reason: "self_dm" });
  const name = dmRoomName(actor.id, target.id);
  await db.query(`insert into rooms (name, name_key, name_skeleton, kind, created_by) values ($1, $2, $3, 'dm', $4) on conflict do nothing`, [
    name,
    nameKey(name),
    roomSkeleton(name),
    actor.id,
  ]);
  const [row] = await db.query<RoomRow>(
    `select id::text as id, name, kind, last_seq, true as member from rooms where name = $1`,
    [name],
  );
  const room = toRoom(row);
  await grantMembership(db, room, actor);
  return { room, targetAdded: await grantMembership(db, room, target) };
}

/**
 * Moves `user`'s read marker in `room` forward to `seq` (clamped to the room's newest), in one statement.
 * Returns the marker (`readSeq`, 0 for a non-member) and whether it `moved`. A marker already at or past
 * `seq` is not written: no new row version, WAL record or commit to wait for, as for a join that read
 * nothing new (migration 37).
 */
export async function markRead(db: Queryable, room: Room, user: User, seq: number): Promise<{ readSeq: number; moved: boolean }> {
  const [row] = await db.query<{ read_seq: string | null; moved: boolean }>(
    `with target as (
       select m.last_read_seq as current, least($3::bigint, r.last_seq) as wanted
         from memberships m join rooms r on r.id = m.room_id
        where m.room_id = $1 and m.user_id = $2),
     moved as (
       update memberships m set last_read_seq = t.wanted from target t
        where m.room_id = $1 and m.user_id = $2 and m.last_read_seq < t.wanted
       returning m.last_read_seq)
     select coalesce((select last_read_seq from moved), (select current from target))::text as read_seq,
            exists (select 1 from moved) as moved`,
    [room.id, user.id, Math.max(0, Math.floor(seq))],
  );
  return { readSeq: row?.read_seq == null ? 0 : Number(row.read_seq), moved: row?.moved === true };
}

/** The rooms among `ids` that `user` may still use (after a reconnect, memberships may have changed). */
export async function findRoomsForMemberByIds(db: Queryable, user: User, ids: string[]): Promise<Room[]> {
  if (ids.length === 0) return [];
  const rows = await db.query<RoomRow>(
    `select r.id::text as id, r.name, r.kind, r.last_seq, (m.user_id is not null) as member
       from rooms r left join memberships m on m.room_id = r.id and m.user_id = $2
      where r.id = any($1::bigint[]) and (r.kind = 'public' or m.user_id is not null)`,
    [ids, user.id],
  );
  return rows.map(toRoom);
}

/**
 * A column (`room_ids`) listing the ids of every room the user `userColumn` is a member of, comma-separated
 * (null for none; see parseRoomIds). The identity functions of migration 18 return the same list, so a
 * handshake learns its rooms in the same round trip. A string, because a string crosses from PGlite's
 * worker more cheaply than an array.
 */
export const memberRoomIdsColumn = (userColumn: string) =>
  `(select string_agg(room_id::text, ',') from memberships where user_id = ${userColumn}) as room_ids`;

/** The ids in a `memberRoomIdsColumn` value. */
export const parseRoomIds = (value: string | null | undefined): string[] => (value ? value.split(",") : []);

/** The ids among `ids` of the rooms `user` is a member of (a public room too: only once joined). */
export async function memberRoomIdsAmong(db: Queryable, user: User, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db.query<{ id: string }>("select room_id::text as id from memberships where user_id = $1 and room_id = any($2::bigint[])", [user.id, ids]);
  return rows.map((r) => r.id);
}

/** Ids of every room `user` is a member of. */
export async function memberRoomIds(db: Queryable, user: User): Promise<string[]> {
  const [row] = await db.query<{ room_ids: string | null }>(`select ${memberRoomIdsColumn("$1")}`, [user.id]);
  return parseRoomIds(row?.room_ids);
}

/** Rooms by id, whoever asks (server-side bookkeeping, e.g. announcing who left; never a user's lookup). */
export async function findRoomsByIds(db: Queryable, ids: string[]): Promise<Room[]> {
  if (ids.length === 0) return [];
  const rows = await db.query<RoomRow>(
    "select id::text as id, name, kind, last_seq, false as member from rooms where id = any($1::bigint[])",
    [ids],
  );
  return rows.map(toRoom);
}

/**
 * SQL, for a CTE of a statement that stores a message: takes room `room`'s next message seq
 * (`returning last_seq`; `room` is an SQL expression such as `$1`). The room row stays locked until
 * commit, so a room's seqs (and message ids) grow in commit order.
 */
export const takeMessageSeqSql = (room: string) => `update rooms set last_seq = last_seq + 1 where id = ${room} returning last_seq`;

/**
 * SQL, for a CTE of a statement that stores a message: sets member `user`'s read marker in `room` to
 * `seq` (all three SQL expressions); an author has read what they just wrote.
 */
export const readUpToSql = (room: string, user: string, seq: string) =>
  `update memberships set last_read_seq = ${seq} where room_id = ${room} and user_id = ${user}`;

/**
 * Takes room `roomId`'s next change number (`rooms.last_change`, gap-free while the transaction commits
 * or rolls back whole) inside transaction `tx`; the room row stays locked until commit. Undefined if the
 * room no longer exists; `forbidden` (`room_archived`) when it is archived.
 */
export async function takeChangeSeq(tx: Queryable, roomId: string): Promise<number | undefined> {
  // The row as it is once this holds it: an archive committed while this waited for it is seen, and
  // refused (roomArchived), as store_messages() refuses a post (every change of a room comes here).
  const [row] = await tx.query<{ change_seq: string; archived: boolean }>(
    "update rooms set last_change = last_change + 1 where id = $1 returning last_change::text as change_seq, archived_at is not null as archived",
    [roomId],
  );
  if (row?.archived) throw roomArchived();
  return row ? Number(row.change_seq) : undefined;
}

/** Room `roomId`'s change count now: the `changeSeq` of its latest change (0 before any). */
export async function roomChangeCount(db: Queryable, roomId: string): Promise<number> {
  const [row] = await db.query<{ n: string }>("select last_change::text as n from rooms where id = $1", [roomId]);
  return Number(row?.n ?? 0);
}

/** How many members room `roomId` has (private rooms and DMs: everyone in it; public rooms: everyone who joined). */
export async function memberCount(db: Queryable, roomId: string): Promise<number> {
  const [row] = await db.query<{ n: string }>("select count(*)::text as n from memberships where room_id = $1", [roomId]);
  return Number(row.n);
}

/** The members of room `roomId` (user id and name; `bot` for a bot), by name. */
export async function roomRoster(db: Queryable, roomId: string): Promise<{ id: string; name: string; bot?: true }[]> {
  const rows = await db.query<{ id: string; name: string; bot: boolean }>(
    "select u.id::text as id, u.name, u.kind = 'bot' as bot from memberships m join users u on u.id = m.user_id where m.room_id = $1 order by u.name",
    [roomId],
  );
  return rows.map((r) => (r.bot ? { id: r.id, name: r.name, bot: true } : { id: r.id, name: r.name }));
}

/** The name of a member of room `roomId` other than `viewerId` (a DM's other person), if any. */
/**
 * The people `userId` has a DM with (user ids): whose room lists title a DM with `userId`'s name, so a
 * rename of theirs is told to them (`rooms-changed`).
 */
export async function dmPartnerIds(db: Queryable, userId: string): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `select distinct o.user_id::text as id
       from memberships m join rooms r on r.id = m.room_id and r.kind = 'dm'
       join memberships o on o.room_id = r.id and o.user_id <> m.user_id
      where m.user_id = $1`,
    [userId],
  );
  return rows.map((r) => r.id);
}

export async function otherMemberName(db: Queryable, roomId: string, viewerId: string): Promise<string | undefined> {
  const [other] = await db.query<{ name: string }>(
    "select u.name from memberships m join users u on u.id = m.user_id where m.room_id = $1 and m.user_id <> $2 limit 1",
    [roomId, viewerId],
  );
  return other?.name;
}

/**
 * The public room `name` (already normalised) at first run: created by `creator` unless a room already
 * has either of its keys (nameKey, roomSkeleton), and `creator` made a member of the room of exactly
 * that name (none when a look-alike holds a key).
 */
export async function seedPublicRoom(db: Queryable, creator: User, name: string): Promise<void> {
  await db.query(`insert into rooms (name, name_key, name_skeleton, kind, created_by) values ($1, $2, $3, 'public', $4) on conflict do nothing`, [
    name,
    nameKey(name),
    roomSkeleton(name),
    creator.id,
  ]);
  await db.query(`insert into memberships (room_id, user_id) select id, $2 from rooms where name = $1 on conflict do nothing`, [name, creator.id]);
}

/** Locks room `roomId`'s row until the end of transaction `tx`: every change of the room's messages waits for it. */
export async function lockRoom(tx: Queryable, roomId: string): Promise<void> {
  await tx.query("select 1 from rooms where id = $1 for update", [roomId]);
}
