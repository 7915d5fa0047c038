import { api, setupAdmin } from "../helpers/http";
import { call, connect, startTestServer, type TestServer } from "../helpers/server";
import { nameKey, nameSkeleton } from "../../lib/text/skeleton";
import { nameSuite } from "../helpers/name-ways";

/**
 * `@room`, `@all`, `@everyone` and `@here` address a room, never a person: a person (account, guest,
 * bot) named one of those words could never be mentioned, and picking them from the `@` suggestions
 * would write a room-wide mention instead. Such a new name is refused as `name_reserved` on every way a
 * name comes in; names that merely contain the words stay allowed, and a name stored before the rule
 * keeps working.
 */
const { world, join, rename, bot, guestRefusal, rowsNamed } = nameSuite();
let server: TestServer;
let admin: string;
let bob: string;
beforeAll(() => ({ server, admin, bob } = world));

// Each is a room-wide word as mentions read it (NFKC, lower case): `@ＡＬＬ` is `@all`.
const words = ["here", "Here", "all", "ALL", "everyone", "Everyone", "room", "\uff21\uff2c\uff2c", "\uff48\uff45\uff52\uff45"];

it.each(words)("refuses %j as name_reserved for accounts, renames, bots and guests, and stores nothing", async (name) => {
  for (const res of [await join(name), await rename(name), await bot(name)]) {
    expect([res.status, res.body.error]).toEqual([400, expect.objectContaining({ code: "bad_request", reason: "name_reserved", field: "name" })]);
  }
  expect(await guestRefusal(name)).toMatchObject({ code: "bad_request", reason: "name_reserved" });
  expect(await rowsNamed(name)).toBe(0);
});

it("refuses the first account's name too", async () => {
  const fresh = await startTestServer({ linkPreviews: false });
  try {
    const res = await api(fresh, "/api/setup", { body: { name: "everyone", password: "correct horse battery" } });
    expect([res.status, res.body.error]).toEqual([400, expect.objectContaining({ reason: "name_reserved", field: "name" })]);
  } finally {
    await fresh.close();
  }
});

it("accepts names that only contain the words, and those names can be mentioned", async () => {
  for (const name of ["hereford", "all-hands", "room101", "everyone2"]) expect([name, (await join(name)).status]).toEqual([name, 201]);
  const found = await api(server, "/api/users/mentions?names=hereford,all-hands,room101", { cookie: bob });
  expect(found.body.users.map((u: { name: string }) => u.name).sort()).toEqual(["all-hands", "hereford", "room101"]);
});

it("admits a guest whose name was stored before the rule, under that name", async () => {
  const legacy = "everyone";
  await server.db.query("insert into users (name, name_key, name_skeleton, kind) values ($1, $2, $3, 'guest') on conflict do nothing", [legacy, nameKey(legacy), nameSkeleton(legacy)]);
  const guest = await connect(server.url, { name: legacy });
  expect((await call(guest, "join-room", "general")).room.name).toBe("general");
  guest.disconnect();
  expect(await rowsNamed(legacy)).toBe(1);
});
