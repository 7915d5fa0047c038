import type { Database } from "../../lib/db";
import { migrate } from "../../lib/db/migrations";
import { nameKey, nameSkeleton } from "../../lib/text/skeleton";
import { backfillNameSkeletons } from "../../lib/chat/name-keys";
import { insertUser, renameUser } from "../../lib/chat/users";
import { migratedTo } from "../helpers/migrations";

/** A database as migration 5 left it: keys were NFC lower case, rooms had none. */
const migratedTo5 = () => migratedTo(5);

describe("migration 6 (confusable-skeleton name keys)", () => {
  let db: Database;
  beforeAll(async () => {
    db = await migratedTo5();
  }, 120_000);
  afterAll(() => db?.close());

  it("re-keys existing users and rooms; of stored look-alikes the oldest keeps the key, the others stay listed", async () => {
    // "admin" gets id 9 and its look-alike id 10: the oldest is the smaller id, not the smaller text.
    for (let i = 1; i <= 8; i++) await db.query("insert into users (name, name_key, kind) values ($1, $1, 'user')", [`filler-${i}`]);
    const users = [["admin", "user"], ["\u0430dmin", "user"], ["José", "user"], ["ゆき", "guest"]];
    for (const [name, kind] of users) await db.query("insert into users (name, name_key, kind) values ($1, $2, $3)", [name, name.toLowerCase(), kind]);
    for (const name of ["general", "Secret", "secret", "Aの話題の部屋"]) await db.query("insert into rooms (name, kind) values ($1, 'public')", [name]);

    // Migration 6 runs now (later ones too: they are independent of it).
    expect(await migrate(db)).toContain(6);

    const keyOf = async (table: string, name: string) => (await db.query<{ k: string }>(`select name_key as k from ${table} where name = $1`, [name]))[0].k;
    expect(await keyOf("users", "admin")).toBe(nameKey("admin"));
    expect(await keyOf("users", "\u0430dmin")).toMatch(new RegExp(`^${nameKey("admin")}\\u0001\\d+$`));
    expect(await keyOf("users", "José")).toBe(nameKey("José"));
    expect(await keyOf("rooms", "Secret")).toBe(nameKey("secret"));
    expect(await keyOf("rooms", "secret")).not.toBe(nameKey("secret"));
    expect(await keyOf("rooms", "Aの話題の部屋")).toBe(nameKey("Aの話題の部屋"));
    // From now on the database refuses a look-alike room by itself.
    await expect(db.query("insert into rooms (name, name_key, kind) values ('SECRET', $1, 'public')", [nameKey("SECRET")])).rejects.toThrow(/unique|duplicate/);
  });
});

describe("migration 34 (the second name key, capitals compared by shape)", () => {
  let db: Database;
  beforeAll(async () => {
    db = await migratedTo(33);
  }, 120_000);
  afterAll(() => db?.close());

  const skeletonOf = async (table: string, name: string) =>
    (await db.query<{ k: string | null }>(`select name_skeleton as k from ${table} where name = $1`, [name]))[0].k;

  it("keys existing names; of two that collide the older keeps the key, both stay, and each start reports the pair", async () => {
    const users = ["Kate", "\u039aate", "alice", "allce", "aIice", "retired"];
    for (const name of users) await db.query("insert into users (name, name_key, kind) values ($1, $2, 'user')", [name, nameKey(name)]);
    await db.query("update users set name_key = chr(1) || 'retired-guest:' || id::text, kind = 'guest' where name = 'retired'");
    for (const name of ["general", "generaI"]) await db.query("insert into rooms (name, name_key, kind) values ($1, $2, 'public')", [name, nameKey(name)]);

    expect(await migrate(db)).toContain(34);

    expect(await skeletonOf("users", "Kate")).toBe(nameSkeleton("Kate"));
    expect(await skeletonOf("users", "\u039aate")).toBeNull();
    expect(await skeletonOf("users", "alice")).toBe(nameSkeleton("alice"));
    expect(await skeletonOf("users", "allce")).toBe(nameSkeleton("allce"));
    expect(await skeletonOf("users", "aIice")).toBeNull();
    expect(await skeletonOf("users", "retired")).toBeNull();
    expect(await skeletonOf("rooms", "general")).toBe(nameSkeleton("general"));
    expect(await skeletonOf("rooms", "generaI")).toBeNull();
    expect((await db.query("select 1 from users")).length).toBe(users.length);

    // What the server logs at every start (server.ts), until a rename tells a pair apart.
    const conflicts = await db.transaction((tx) => backfillNameSkeletons(tx));
    const idOf = async (table: string, name: string) => (await db.query<{ id: string }>(`select id::text as id from ${table} where name = $1`, [name]))[0].id;
    expect(conflicts).toEqual([
      { table: "users", id: await idOf("users", "\u039aate"), name: "\u039aate", heldBy: { id: await idOf("users", "Kate"), name: "Kate" } },
      { table: "users", id: await idOf("users", "aIice"), name: "aIice", heldBy: { id: await idOf("users", "alice"), name: "alice" } },
      { table: "rooms", id: await idOf("rooms", "generaI"), name: "generaI", heldBy: { id: await idOf("rooms", "general"), name: "general" } },
    ]);

    // New look-alikes of both are refused by the holder's key.
    expect(await insertUser(db, { name: "\u039aATE", kind: "bot" })).toBeUndefined();
    // Once the holder is renamed, the next start gives the other name the key.
    const kate = await idOf("users", "Kate");
    expect(await renameUser(db, kate, "Kathleen")).toBe("Kathleen");
    const after = await db.transaction((tx) => backfillNameSkeletons(tx));
    expect(after.map((c) => c.name)).toEqual(["aIice", "generaI"]);
    expect(await skeletonOf("users", "\u039aate")).toBe(nameSkeleton("Kate"));
  });
});
