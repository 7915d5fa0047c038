/**
 * `GET /api/users/mentions?names=…&room=<room>`: only the names a mention in that room notifies, by the
 * notifier's own rule (findReaders): anyone for a public room, the members of a private room or DM,
 * as they are now. A room the caller may not read is refused as every room verb refuses it. With
 * `messages`, which of those messages' `@room`/`@all`/`@everyone`/`@here` notify the room (the
 * notifier's mayNotifyRoom): never in a DM, an admin's always, others' only in a room of at most
 * ROOM_MENTION_MAX_MEMBERS members.
 */
import { api, joinAs, setupAdmin } from "../helpers/http";
import { call, connect, startTestServer, type TestServer } from "../helpers/server";

let server: TestServer;
const cookies: Record<string, string> = {};
let dm: string;

const as = (cookie: string) => connect(server.url, {}, { extraHeaders: { cookie, origin: server.url } });

const lookup = (names: string[], room: string | undefined, cookie?: string) =>
  api(server, `/api/users/mentions?names=${names.map(encodeURIComponent).join(",")}${room === undefined ? "" : `&room=${encodeURIComponent(room)}`}`, { cookie });

/** The names listed for `cookie`'s request, sorted. */
async function listed(names: string[], room: string | undefined, cookie = cookies.alice): Promise<string[]> {
  const res = await lookup(names, room, cookie);
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

  it("lists the messages whose room-wide words notify the room (roomWide), as the notifier decides, and no others", async () => {
    const sockets = await Promise.all(["admin", "alice", "bob", "carol"].map((who) => as(cookies[who])));
    const [root, alice] = sockets;
    const say = async (who: typeof alice, room: string, message: string): Promise<string> =>
      (await call(who, "send-message-to-room", { room, message })).message.id;
    // A private room of 3, and a public room of 4 members (above the limit of 3).
    await call(alice, "create-room", { name: "trio", private: true });
    await call(alice, "add-member", { room: "trio", name: "bob" });
    await call(alice, "add-member", { room: "trio", name: "root" });
    for (const s of sockets) await call(s, "join-room", "crowd");
    const rootDm = (await call(root, "open-dm", { name: "alice" })).room.name;
    await call(alice, "join-room", "trio");
    await call(alice, "join-room", dm);
    await call(root, "join-room", "trio");
    await call(root, "join-room", rootDm);
    const trio = { alice: await say(alice, "trio", "＠ｈｅｒｅ look"), plain: await say(alice, "trio", "no words, @bob"), root: await say(root, "trio", "@ALL") };
    const crowd = { alice: await say(alice, "crowd", "@room look"), root: await say(root, "crowd", "@everyone look") };
    const dms = { alice: await say(alice, dm, "@here"), root: await say(root, rootDm, "@here") };

    const roomWide = async (room: string, ids: string[], names?: string[]) => {
      const res = await api(server, `/api/users/mentions?room=${encodeURIComponent(room)}&messages=${ids.join(",")}${names ? `&names=${names.join(",")}` : ""}`, { cookie: cookies.alice });
      expect(res.status).toBe(200);
      return res.body;
    };
    // In a small room, anyone's; names answered alongside, as without messages.
    expect(await roomWide("trio", [trio.alice, trio.plain, trio.root], ["bob", "carol"])).toEqual({ users: [{ mention: "bob", name: "bob" }], roomWide: [trio.alice, trio.root] });
    // In a large room, only an admin's.
    expect(await roomWide("crowd", [crowd.alice, crowd.root])).toEqual({ users: [], roomWide: [crowd.root] });
    // In a DM, no one's, an admin's included: its other member hears of every message anyway.
    expect((await roomWide(dm, [dms.alice])).roomWide).toEqual([]);
    const rootAsks = await api(server, `/api/users/mentions?room=${encodeURIComponent(rootDm)}&messages=${dms.root}`, { cookie: cookies.admin });
    expect(rootAsks.body).toEqual({ users: [], roomWide: [] });
    // Another room's message, or no message, is left out; ids may be given unpadded.
    expect((await roomWide("trio", [crowd.root, "99999", String(BigInt(trio.root))])).roomWide).toEqual([String(BigInt(trio.root))]);
    // `messages` needs a room and ids of digits.
    expect((await api(server, `/api/users/mentions?messages=${trio.alice}`, { cookie: cookies.alice })).status).toBe(400);
    expect((await api(server, `/api/users/mentions?room=trio&messages=x`, { cookie: cookies.alice })).status).toBe(400);
    // The room grows past the limit: from then on, not alice's.
    await call(alice, "add-member", { room: "trio", name: "carol" });
    sockets.forEach((s) => s.disconnect());
    expect((await roomWide("trio", [trio.alice, trio.root])).roomWide).toEqual([trio.root]);
  });
});
