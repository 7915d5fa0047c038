/**
 * `GET /api/users/mentions?names=…&room=<room>`: only the names a mention in that room notifies, by the
 * notifier's own rule (findReaders): anyone for a public room, the members of a private room or DM,
 * as they are now. A room the caller may not read is refused as every room verb refuses it. With the
 * message's author (`from`), `@room`/`@all`/`@everyone`/`@here` too, when such a message by them notifies
 * the room (the notifier's mayNotifyRoom): never in a DM, from an admin always, from others only in a
 * room of at most ROOM_MENTION_MAX_MEMBERS members.
 */
import { api, joinAs, setupAdmin } from "../helpers/http";
import { call, connect, startTestServer, type TestServer } from "../helpers/server";

let server: TestServer;
const cookies: Record<string, string> = {};
let dm: string;

const as = (cookie: string) => connect(server.url, {}, { extraHeaders: { cookie, origin: server.url } });

const lookup = (names: string[], room: string | undefined, cookie?: string, from?: string) =>
  api(
    server,
    `/api/users/mentions?names=${names.map(encodeURIComponent).join(",")}${room === undefined ? "" : `&room=${encodeURIComponent(room)}`}${from === undefined ? "" : `&from=${encodeURIComponent(from)}`}`,
    { cookie },
  );

/** The names listed for `cookie`'s request (about a message by `from`, if given), sorted. */
async function listed(names: string[], room: string | undefined, cookie = cookies.alice, from?: string): Promise<string[]> {
  const res = await lookup(names, room, cookie, from);
  expect(res.status).toBe(200);
  return (res.body.users as { mention: string }[]).map((u) => u.mention).sort();
}

/** How a room verb (GET /api/rooms/:room/notifications) answers `cookie` about `room`. */
async function roomVerb(room: string, cookie?: string) {
  const res = await api(server, `/api/rooms/${encodeURIComponent(room)}/notifications`, { cookie });
  return { status: res.status, body: res.body };
}

beforeAll(async () => {
  // `@room` and its kin notify from anyone in rooms of at most 3 members.
  server = await startTestServer({ guestAccess: true, linkPreviews: false, roomMentionMaxMembers: 3 });
  cookies.admin = await setupAdmin(server, "root");
  for (const name of ["alice", "bob", "carol", "dave", "eve"]) cookies[name] = await joinAs(server, cookies.admin, name);
  const alice = await as(cookies.alice);
  await call(alice, "create-room", { name: "vault", private: true });
  await call(alice, "add-member", { room: "vault", name: "bob" });
  await call(alice, "add-member", { room: "vault", name: "dave" });
  await call(alice, "join-room", "lobby");
  dm = (await call(alice, "open-dm", { name: "bob" })).room.name;
  alice.disconnect();
}, 90_000); // boots a server and signs people in (argon2): slow on a busy machine
afterAll(() => server.close());

describe("GET /api/users/mentions with a room", () => {
  it("lists in a private room or DM its members only, in a public room anyone, and without a room anyone (as before)", async () => {
    expect(await listed(["bob", "carol"], "vault")).toEqual(["bob"]);
    expect(await listed(["bob", "carol"], dm)).toEqual(["bob"]);
    expect(await listed(["bob", "carol"], "lobby")).toEqual(["bob", "carol"]);
    expect(await listed(["bob", "carol"], undefined)).toEqual(["bob", "carol"]);
    // Matched as mentions are matched, in a room too.
    expect((await lookup(["BOB", "ｂｏｂ"], "vault", cookies.alice)).body).toEqual({ users: [{ mention: "BOB", name: "bob" }, { mention: "ｂｏｂ", name: "bob" }] });
  });

  it("refuses a room the caller may not read exactly as a room verb does, revealing nothing more", async () => {
    for (const room of ["vault", dm, `dm:1:${Number(dm.split(":")[2]) + 100}`, "no-such-room"]) {
      const res = await lookup(["bob", "carol"], room, cookies.eve);
      expect({ room, status: res.status, body: res.body }).toEqual({ room, ...(await roomVerb(room, cookies.eve)) });
    }
    expect((await lookup(["bob"], "vault", cookies.eve)).status).toBe(403);
    expect((await lookup(["bob"], "vault", cookies.eve)).body).toEqual({ error: { code: "forbidden", message: "you are not a member of this room" } });
    // A guest (no credentials, guest access on) reads public rooms only, and is refused the others alike.
    expect(await listed(["bob", "carol"], "lobby", undefined)).toEqual(["bob", "carol"]);
    expect(await lookup(["bob"], "vault")).toMatchObject({ status: 403, body: { error: { code: "forbidden", message: "you are not a member of this room" } } });
    expect(await lookup(["bob"], dm)).toMatchObject({ status: 403, body: { error: { code: "forbidden", message: "you are not a member of this room" } } });
    // A room name no room may have is a bad request, as for the room verbs.
    expect((await lookup(["bob"], "", cookies.alice)).status).toBe(400);
  });

  it("stops listing a member at once when they are removed or deactivated", async () => {
    expect(await listed(["bob", "dave"], "vault")).toEqual(["bob", "dave"]);
    const alice = await as(cookies.alice);
    await call(alice, "remove-member", { room: "vault", name: "bob" });
    alice.disconnect();
    expect(await listed(["bob", "dave"], "vault")).toEqual(["dave"]);
    expect((await api(server, "/api/admin/users/dave/deactivate", { method: "POST", cookie: cookies.admin })).status).toBe(200);
    expect(await listed(["bob", "dave"], "vault")).toEqual([]);
    expect(await listed(["bob", "dave"], "lobby")).toEqual(["bob"]);
    expect(await listed(["bob", "dave"], undefined)).toEqual(["bob"]);
  });

  it("lists the room-wide words, given the message's author, when such a message by them notifies the room", async () => {
    const words = ["room", "All", "everyone", "ｈｅｒｅ"];
    const sockets = await Promise.all(["admin", "alice", "bob", "carol"].map((who) => as(cookies[who])));
    const [root, alice] = sockets;
    // A private room of 3, and a public room of 4 members (above the limit of 3).
    await call(alice, "create-room", { name: "trio", private: true });
    await call(alice, "add-member", { room: "trio", name: "bob" });
    await call(alice, "add-member", { room: "trio", name: "root" });
    for (const s of sockets) await call(s, "join-room", "crowd");
    const rootDm = (await call(root, "open-dm", { name: "alice" })).room.name;

    // In a small room, from anyone: the words as asked, named by the word.
    expect((await lookup(["bob", "ｈｅｒｅ", "All"], "trio", cookies.alice, "alice")).body).toEqual({
      users: [{ mention: "bob", name: "bob" }, { mention: "ｈｅｒｅ", name: "here" }, { mention: "All", name: "all" }],
    });
    expect(await listed(words, "trio", cookies.bob, "bob")).toEqual([...words].sort());
    // In a large room, only from an admin.
    expect(await listed(words, "crowd", cookies.alice, "alice")).toEqual([]);
    expect(await listed(words, "crowd", cookies.alice, "root")).toEqual([...words].sort());
    // In a DM, from no one, admins included: its other member hears of every message anyway.
    expect(await listed(words, dm, cookies.alice, "alice")).toEqual([]);
    expect(await listed(words, rootDm, cookies.admin, "root")).toEqual([]);
    // From a name nobody has, without an author, or without a room: never.
    expect(await listed(words, "trio", cookies.alice, "nobody")).toEqual([]);
    expect(await listed(words, "trio", cookies.alice)).toEqual([]);
    expect((await lookup(words, undefined, cookies.alice, "alice")).status).toBe(400);
    // The room grows past the limit: from then on, not from alice.
    await call(alice, "add-member", { room: "trio", name: "carol" });
    sockets.forEach((s) => s.disconnect());
    expect(await listed(words, "trio", cookies.alice, "alice")).toEqual([]);
    expect(await listed(words, "trio", cookies.alice, "root")).toEqual([...words].sort());
  });
});
