import type { Queryable } from "../db";
import type { Room } from "./rooms";
import type { User } from "./users";

/**
 * The `room_departures` table's one home (migration 57; docs/architecture.md, "One home per table"): who
 * left which public room. A departure hides the room in its leaver's list (`left`) only while they are
 * not a member: opening the room again makes them one (enter_room()), which ends it without touching
 * this table, so the rule lives in the listing's join (departureJoinSql), not in a write on every join.
 */

/**
 * Records that `user` left public room `room`, now: what notified them there before no longer counts in
 * their list. Leaving again moves it forward. One statement; the caller deletes the membership in the
 * same transaction.
 */
export async function recordDeparture(tx: Queryable, room: Room, user: Pick<User, "id">): Promise<void> {
  await tx.query(
    `insert into room_departures (user_id, room_id) values ($2, $1)
     on conflict (user_id, room_id) do update set left_at = now()`,
    [room.id, user.id],
  );
}

/**
 * SQL, for the room list (listRoomsForUser): a left join of `alias` on the departure of user `user` from
 * room `room` (SQL expressions, e.g. `$1` and `r.id`). Its `alias.left_at` is null when there is none.
 */
export const departureJoinSql = (alias: string, room: string, user: string) =>
  `left join room_departures ${alias} on ${alias}.room_id = ${room} and ${alias}.user_id = ${user}`;
