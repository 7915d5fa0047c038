import type { Database } from "../../lib/db";
import { migrate } from "../../lib/db/migrations";
import { nameKey } from "../../lib/text/skeleton";
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
