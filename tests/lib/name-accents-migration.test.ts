/**
 * Migration 63: a room's second key (roomSkeleton) leaves out the combining diacritical marks. Stored
 * rooms' keys are recomputed; rooms stored before that now look the same all stay, and one keeps the key.
 * People's keys are untouched.
 */
import type { Database } from "../../lib/db";
import { migrate } from "../../lib/db/migrations";
import { backfillNameSkeletons } from "../../lib/chat/name-keys";
import { nameKey, nameSkeleton, roomSkeleton } from "../../lib/text/skeleton";
import { migratedTo } from "../helpers/migrations";

describe("migration 63 (accents in a room's second key)", () => {
  let db: Database;
  beforeAll(async () => {
    db = await migratedTo(62);
  }, 120_000);
  afterAll(() => db?.close());

  const keys = async (table: "users" | "rooms") =>
    Object.fromEntries((await db.query<{ name: string; key: string | null }>(`select name, name_skeleton as key from ${table} order by id`)).map((r) => [r.name, r.key]));

  it("recomputes rooms' changed keys, keeps every room, leaves one of each now-alike pair without the key, and leaves people's keys", async () => {
    // As the previous version stored them: the second key with its marks (nameSkeleton).
    for (const name of ["café", "cafe", "generał", "résumé", "plain"]) {
      await db.query("insert into rooms (name, name_key, name_skeleton, kind) values ($1, $2, $3, 'public')", [name, nameKey(name), nameSkeleton(name)]);
    }
    for (const name of ["José", "Jose"]) {
      await db.query("insert into users (name, name_key, name_skeleton, kind) values ($1, $2, $3, 'user')", [name, nameKey(name), nameSkeleton(name)]);
    }
    const usersBefore = await keys("users");
    expect(nameSkeleton("café")).not.toBe(roomSkeleton("café"));

    expect(await migrate(db)).toContain(63);
    // "cafe" kept its key (unchanged); "café" now looks the same and stays, without it.
    expect(await keys("rooms")).toEqual({ café: null, cafe: "cafe", generał: "general", résumé: roomSkeleton("resume"), plain: "plain" });
    expect(await keys("users")).toEqual(usersBefore);
    // The pair is reported at each start (the next backfill finds it again), as migration 34's were.
    const conflicts = await db.transaction((tx) => backfillNameSkeletons(tx));
    expect(conflicts.map((c) => [c.table, c.name, c.heldBy.name])).toEqual([["rooms", "café", "cafe"]]);
  });
});
