import type { Queryable } from "../db/database";
import { nameKey, nameSkeleton, roomSkeleton } from "../text/skeleton";

/**
 * Recomputes `name_key` of every user and room with the current `nameKey` (migration 6), then makes
 * rooms' keys unique. Rows whose new keys collide (look-alike names stored before keys were skeletons)
 * all keep their names; the oldest keeps the key and the others get `key U+0001 id`, which no name can
 * produce (names have no control characters), so they can still be listed but are no longer found by
 * name, and nobody can take a look-alike of them again.
 */
export async function rekeyNames(tx: Queryable): Promise<void> {
  for (const table of ["users", "rooms"] as const) {
    const rows = await tx.query<{ id: string; name: string }>(`select id::text as id, name from ${table} order by ${table}.id`);
    const taken = new Set<string>();
    const keys = rows.map((r) => {
      const key = nameKey(r.name);
      if (!taken.has(key)) return (taken.add(key), key);
      return `${key}\u0001${r.id}`;
    });
    // Two steps so no intermediate state breaks the unique index (a new key may equal another row's old one).
    await tx.query(`update ${table} set name_key = chr(1) || id::text`);
    await tx.query(
      `update ${table} t set name_key = k.key from unnest($1::bigint[], $2::text[]) as k(id, key) where t.id = k.id`,
      [rows.map((r) => r.id), keys],
    );
  }
  await tx.query("create unique index rooms_by_name_key on rooms (name_key)");
}

/** The second key of a user's name (nameSkeleton) and of a room's (roomSkeleton). */
const secondKey = { users: nameSkeleton, rooms: roomSkeleton } as const;

/** Two stored names that look the same under their second key: `name` (row `id`) was left without the key, which `heldBy` holds. */
export type NameSkeletonConflict = { table: "users" | "rooms"; id: string; name: string; heldBy: { id: string; name: string } };

/**
 * Gives every user and room that holds a name and has no `name_skeleton` yet its nameSkeleton (migration
 * 34, and every start: rows written by an older instance during a rolling upgrade, or freed by a rename
 * since). Rows whose name_key is not a name (it holds U+0001: a retired guest, a look-alike that
 * migration 6 re-keyed) are skipped: they hold no name.
 *
 * Names stored before this key existed may already collide under it ("Kate" and "Κate"). Both keep
 * their names and everything else; of the two the holder (the row that has the key, else the oldest)
 * keeps it, and the other row's stays null (the unique index allows any number of nulls). Nothing else
 * changes: the holder's key still refuses every new look-alike of both. Resolves to those conflicts, for
 * the operator's log (a rename of either name resolves one; the next start fills the key in). Run it in
 * a transaction: a table with names to key is locked against writes (share mode) until the end of it,
 * so a name stored meanwhile by another instance cannot take a key between the read and the write.
 */
export async function backfillNameSkeletons(tx: Queryable): Promise<NameSkeletonConflict[]> {
  const conflicts: NameSkeletonConflict[] = [];
  for (const table of ["users", "rooms"] as const) {
    const unkeyed = `select id::text as id, name from ${table} where name_skeleton is null and strpos(name_key, chr(1)) = 0 order by ${table}.id`;
    // Locked only when there is something to fill in: share mode also holds up every message's
    // `update rooms set last_seq`, and most starts find nothing.
    if ((await tx.query(unkeyed)).length === 0) continue;
    await tx.query(`lock table ${table} in share mode`);
    const rows = await tx.query<{ id: string; name: string }>(unkeyed);
    const keys = rows.map((r) => secondKey[table](r.name));
    const held = await tx.query<{ id: string; name: string; key: string }>(
      `select id::text as id, name, name_skeleton as key from ${table} where name_skeleton = any($1::text[])`,
      [[...new Set(keys)]],
    );
    const holders = new Map(held.map((h) => [h.key, { id: h.id, name: h.name }]));
    const ids: string[] = [];
    const values: string[] = [];
    rows.forEach((r, i) => {
      const holder = holders.get(keys[i]);
      if (holder) return void conflicts.push({ table, id: r.id, name: r.name, heldBy: holder });
      holders.set(keys[i], { id: r.id, name: r.name });
      ids.push(r.id);
      values.push(keys[i]);
    });
    await tx.query(
      `update ${table} t set name_skeleton = k.key from unnest($1::bigint[], $2::text[]) as k(id, key) where t.id = k.id`,
      [ids, values],
    );
  }
  return conflicts;
}

/**
 * Gives every room the second key the current `roomSkeleton` makes of its name, after that function changed
 * (migration 63: the combining diacritical marks left out). Rooms whose key changes lose it first;
 * backfillNameSkeletons then keys them again. Of names that now look the same (a "café" beside a "cafe")
 * the one whose key did not change keeps it, else the oldest; the others keep their names, their members
 * and messages without the key, logged at every start as backfillNameSkeletons says. Run it in the
 * migration's transaction.
 */
export async function rekeyRoomSkeletons(tx: Queryable): Promise<void> {
  const rows = await tx.query<{ id: string; name: string; key: string }>("select id::text as id, name, name_skeleton as key from rooms where name_skeleton is not null");
  const changed = rows.filter((r) => roomSkeleton(r.name) !== r.key).map((r) => r.id);
  if (changed.length) await tx.query("update rooms set name_skeleton = null where id = any($1::bigint[])", [changed]);
  await backfillNameSkeletons(tx);
}
