/**
 * The room people mean by a name no room has exactly (findRoomMeant): the same name in another case or
 * width, or with a leading `#` — what an address such as /rooms/General and the "New room" form open.
 * Only a room the asker may read; never a DM; nothing for a name that is no room name.
 */
import { findRoomMeant } from "../../lib/chat/rooms";
import { findUserByName } from "../../lib/chat/users";
import { nameKey, nameSkeleton } from "../../lib/text/skeleton";
import { joinAs, setupAdmin } from "../helpers/http";
import { call, connect, startTestServer, type TestServer } from "../helpers/server";

let server: TestServer;
let admin: { id: string };
let mio: { id: string };
beforeAll(async () => {
  server = await startTestServer({ rateLimits: { "create-room": { points: 0, duration: 1 } } });
  const adminCookie = await setupAdmin(server, "kei");
  const mioCookie = await joinAs(server, adminCookie, "mio");
  const a = await connect(server.url, {}, { extraHeaders: { cookie: adminCookie } });
  for (const name of ["dev", "雑談", "Design Review"]) await call(a, "create-room", { name });
  await call(a, "create-room", { name: "ops", private: true });
  await call(a, "open-dm", { name: "mio" });
  const m = await connect(server.url, {}, { extraHeaders: { cookie: mioCookie } });
  await call(m, "create-room", { name: "mine", private: true });
  a.close();
  m.close();
  admin = (await findUserByName(server.db, "kei"))!;
  mio = (await findUserByName(server.db, "mio"))!;
}, 120_000);
afterAll(() => server.close());

it.each([
  ["General", "general"],
  ["ＧＥＮＥＲＡＬ", "general"],
  ["DEV", "dev"],
  ["ｄｅｖ", "dev"],
  ["#dev", "dev"],
  ["＃dev", "dev"],
  ["##  DEV", "dev"],
  ["design review", "Design Review"],
  ["#雑談", "雑談"],
  ["MINE", "mine"],
  // A capital look-alike (I for l): the name is taken by that room, so it is the one meant (an outside
  // trial: /rooms/generaI offered to create it, then said it was taken, a dead end).
  ["generaI", "general"],
  ["#generaI", "general"],
  ["ＤＥＶ", "dev"],
])("takes %j to mean the room %j for a member of it", async (asked, meant) => {
  expect(await findRoomMeant(server.db, mio, asked)).toBe(meant);
});

it.each([
  ["OPS", "a private room of others"],
  ["0PS", "a look-alike of a private room of others"],
  ["generaIe", "a look-alike of no room"],
  ["#ops", "a private room of others, with #"],
  ["nowhere", "a name no room has"],
  ["#", "only the sign"],
  ["", "nothing"],
  ["x".repeat(65), "no room name"],
  [42, "not a string"],
] as [unknown, string][])("means no room by %j (%s)", async (asked, _what) => {
  expect(await findRoomMeant(server.db, mio, asked)).toBeUndefined();
});

it("finds a private room for its members only, public rooms for visitors without an account, and never a DM", async () => {
  expect(await findRoomMeant(server.db, admin, "OPS")).toBe("ops");
  expect(await findRoomMeant(server.db, admin, "0PS")).toBe("ops");
  expect(await findRoomMeant(server.db, undefined, "OPS")).toBeUndefined();
  expect(await findRoomMeant(server.db, undefined, "General")).toBe("general");
  const [dm] = await server.db.query<{ name: string }>("select name from rooms where kind = 'dm'");
  for (const who of [admin, mio, undefined]) {
    expect(await findRoomMeant(server.db, who, dm.name.toUpperCase())).toBeUndefined();
    expect(await findRoomMeant(server.db, who, `#${dm.name}`)).toBeUndefined();
  }
});

it("prefers the name as asked to the name without its #, when both are rooms", async () => {
  const a = await connect(server.url, {}, { extraHeaders: { cookie: await setupAdminCookie() } });
  // A room "#news" of an earlier version (a new one is refused: room-signs.test.ts), as it stored it.
  await server.db.query("insert into rooms (name, name_key, name_skeleton, kind) values ($1, $2, $3, 'public')", ["#news", nameKey("#news"), nameSkeleton("#news")]);
  await call(a, "create-room", { name: "news" });
  a.close();
  expect(await findRoomMeant(server.db, mio, "#NEWS")).toBe("#news");
  expect(await findRoomMeant(server.db, mio, "NEWS")).toBe("news");
});

/** A fresh session of the admin (kei). */
async function setupAdminCookie(): Promise<string> {
  const res = await fetch(`${server.url}/api/session`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "kei", password: "correct horse battery" }) });
  return res.headers.get("set-cookie")!.match(/hibiki_session=[^;]*/)![0];
}
