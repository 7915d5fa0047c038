/**
 * Migration 63: the second name key (nameSkeleton) leaves out the combining diacritical marks. Stored
 * users', rooms' and held names' keys are recomputed; names stored before that now look the same all stay,
 * and one keeps the key.
 */
import type { Database } from "../../lib/db";
import { migrate } from "../../lib/db/migrations";
import { backfillNameSkeletons } from "../../lib/chat/name-keys";
import { nameKey, nameSkeleton } from "../../lib/text/skeleton";
import { migratedTo } from "../helpers/migrations";

describe("migration 63 (accents in the second name key)", () => {
  let db: Database;
  beforeAll(async () => {
    db = await migratedTo(62);
  }, 120_000);
  afterAll(() => db?.close());

  /** The second key migration 34 computed: the skeleton with its marks (NFD), as the previous nameSkeleton gave it. */
  const oldSkeleton = (name: string) => nameSkeleton(name) + [...name.normalize("NFD")].filter((c) => /[\u0300-\u036f]/.test(c)).join("");
  const keys = async (table: "users" | "rooms") =>
    Object.fromEntries((await db.query<{ name: string; key: string | null }>(`select name, name_skeleton as key from ${table} order by id`)).map((r) => [r.name, r.key]));

  it("recomputes changed keys, keeps every name, and leaves one of each now-alike pair without the key", async () => {
    const users = ["José", "Jose", "Zoë", "frank", "plain"];
    for (const name of users) {
      await db.query("insert into users (name, name_key, name_skeleton, kind) values ($1, $2, $3, 'user')", [name, nameKey(name), oldSkeleton(name)]);
    }
    await db.query("insert into rooms (name, name_key, name_skeleton, kind) values ($1, $2, $3, 'public')", ["café", nameKey("café"), oldSkeleton("café")]);
    const [frank] = await db.query<{ id: string }>("select id::text as id from users where name = 'frank'");
    await db.query("insert into name_holds (name_key, name_skeleton, name, user_id, until) values ($1, $2, $3, $4, now() + interval '1 day')", [
      nameKey("Renée"), oldSkeleton("Renée"), "Renée", frank.id,
    ]);
    expect(oldSkeleton("José")).not.toBe(nameSkeleton("José"));

    expect(await migrate(db)).toContain(63);
    // "Jose" kept its key (unchanged); "José" now looks the same and stays, without it.
    expect(await keys("users")).toEqual({ José: null, Jose: "jose", Zoë: "zoe", frank: "frank", plain: "plain" });
    expect(await keys("rooms")).toEqual({ café: "cafe" });
    const [hold] = await db.query<{ key: string }>("select name_skeleton as key from name_holds");
    expect(hold.key).toBe("renee");
    // The pair is reported at each start (the next backfill finds it again), as migration 34's were.
    const conflicts = await db.transaction((tx) => backfillNameSkeletons(tx));
    expect(conflicts.map((c) => [c.name, c.heldBy.name])).toEqual([["José", "Jose"]]);
  });
});
