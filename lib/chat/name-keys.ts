import type { Queryable } from "../db/database";
import { nameKey } from "../text/skeleton";

/**
 * Recomputes `name_key` of every user and room with the current `nameKey` (migration 6), then makes
 * rooms' keys unique. Rows whose new keys collide (look-alike names stored before keys were skeletons)
 * all keep their names; the oldest keeps the key and the others get `key U+0001 id`, which no name can
 * produce (names have no control characters), so they can still be listed but are no longer found by
 * name, and nobody can take a look-alike of them again.
 */
export async function rekeyNames(tx: Queryable): Promise<void> {
  for (const table of ["users", "rooms"] as const) {
    const rows = await tx.query<{ id: string; name: string }>(`select id::text as id, name from ${table} order by id`);
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
