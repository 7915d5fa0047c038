import { z } from "zod";
import type { Queryable } from "../db";
import type { RoomKind } from "../chat/types";
import { findRoomForMember, type Room } from "../chat/rooms";
import type { User } from "../chat/users";

import type { NotificationLevel } from "./types";

export type { NotificationLevel };
export const NOTIFICATION_LEVELS = ["all", "mentions", "none"] as const satisfies readonly NotificationLevel[];

/** The level of a room nobody chose one for: every message of a DM, mentions elsewhere. */
export const defaultLevel = (kind: RoomKind): NotificationLevel => (kind === "dm" ? "all" : "mentions");

/** A level as a request body carries it; anything else is `bad_request` "level must be one of all, mentions, none". */
export const notificationLevelSchema = z.enum(NOTIFICATION_LEVELS, {
  error: `level must be one of ${NOTIFICATION_LEVELS.join(", ")}`,
});

/** `userId`'s level for a room (the default when they chose none). */
export async function getLevel(db: Queryable, userId: string, room: { id: string; kind: RoomKind }): Promise<NotificationLevel> {
  const [row] = await db.query<{ level: NotificationLevel }>("select level from notification_levels where user_id = $1 and room_id = $2", [
    userId,
    room.id,
  ]);
  return row?.level ?? defaultLevel(room.kind);
}

/** Stores `userId`'s choice for a room. */
export async function setLevel(db: Queryable, userId: string, roomId: string, level: NotificationLevel): Promise<void> {
  await db.query(
    `insert into notification_levels (user_id, room_id, level) values ($1, $2, $3)
     on conflict (user_id, room_id) do update set level = excluded.level`,
    [userId, roomId, level],
  );
}

/**
 * `userId` left public room `roomId`: a level of `all` (every message) goes with it, back to the default
 * (mentions), as leaving is unfollowing (an outside trial kept getting every message of a room it had
 * left). `none` stays: someone who muted a room and left it is not to hear its mentions again.
 */
export async function dropFollowLevel(db: Queryable, userId: string, roomId: string): Promise<void> {
  await db.query("delete from notification_levels where user_id = $1 and room_id = $2 and level = 'all'", [userId, roomId]);
}

/** Every room `userId` chose a level for, by room id. */
export async function listLevels(db: Queryable, userId: string): Promise<Map<string, NotificationLevel>> {
  const rows = await db.query<{ room_id: string; level: NotificationLevel }>(
    "select room_id::text as room_id, level from notification_levels where user_id = $1",
    [userId],
  );
  return new Map(rows.map((r) => [r.room_id, r.level]));
}

/** The levels of `userIds` in a room, with the room's default for those who chose none. */
export async function levelsOf(db: Queryable, room: { id: string; kind: RoomKind }, userIds: string[]): Promise<Map<string, NotificationLevel>> {
  const levels = new Map(userIds.map((id) => [id, defaultLevel(room.kind)]));
  if (userIds.length === 0) return levels;
  const rows = await db.query<{ user_id: string; level: NotificationLevel }>(
    "select user_id::text as user_id, level from notification_levels where room_id = $1 and user_id = any($2::bigint[])",
    [room.id, userIds],
  );
  for (const r of rows) levels.set(r.user_id, r.level);
  return levels;
}

/**
 * Who asked for every message of a room (level `all`), cached per room so that a message nobody is
 * mentioned in costs no query once the room's set is known. `invalidate(roomId)` is called on every
 * instance when someone changes a level there (the event bus carries it).
 */
export function createAllLevelCache(db: Queryable, maxRooms = 5000) {
  const cache = new Map<string, Promise<Set<string>>>();
  return {
    listeners(roomId: string): Promise<Set<string>> {
      let hit = cache.get(roomId);
      if (!hit) {
        if (cache.size >= maxRooms) cache.delete(cache.keys().next().value!);
        hit = db
          .query<{ user_id: string }>("select user_id::text as user_id from notification_levels where room_id = $1 and level = 'all'", [roomId])
          .then((rows) => new Set(rows.map((r) => r.user_id)));
        hit.catch(() => cache.delete(roomId));
        cache.set(roomId, hit);
      }
      return hit;
    },
    invalidate(roomId: string) {
      cache.delete(roomId);
    },
  };
}

/**
 * The caller's level for the room named `rawName`, through the scoped room lookup: a room the caller
 * may not read answers exactly as every other room verb does.
 */
export async function roomLevel(db: Queryable, user: User, rawName: unknown): Promise<{ room: Room; level: NotificationLevel }> {
  const { room } = await findRoomForMember(db, user, rawName);
  return { room, level: await getLevel(db, user.id, room) };
}

/** Sets the caller's level for the room named `rawName` (a room they may read); returns it. */
export async function chooseLevel(db: Queryable, user: User, rawName: unknown, level: NotificationLevel): Promise<{ room: Room; level: NotificationLevel }> {
  const { room } = await findRoomForMember(db, user, rawName);
  await setLevel(db, user.id, room.id, level);
  return { room, level };
}

/** Every room `user` is a member of, with their level there (DMs titled with the other person). */
export async function listRoomLevels(
  db: Queryable,
  user: User,
): Promise<{ room: string; kind: RoomKind; title?: string; level: NotificationLevel }[]> {
  const rows = await db.query<{ name: string; kind: RoomKind; level: NotificationLevel | null; other: string | null }>(
    `select r.name, r.kind, l.level,
            case when r.kind = 'dm' then (select u.name from memberships o join users u on u.id = o.user_id
                                           where o.room_id = r.id and o.user_id <> $1 limit 1) end as other
       from memberships m join rooms r on r.id = m.room_id
       left join notification_levels l on l.room_id = r.id and l.user_id = $1
      where m.user_id = $1
      order by r.kind = 'dm', r.name`,
    [user.id],
  );
  return rows.map((r) => ({ room: r.name, kind: r.kind, ...(r.other ? { title: r.other } : {}), level: r.level ?? defaultLevel(r.kind) }));
}
