/**
 * The lobby (`lobby`, the room of the seed's plain `message` event) sends every message to every
 * connection on the server. It must be a public room: a private room named `lobby` had every message its
 * members sent in it broadcast as `message` to everyone connected (guests included), and any account could
 * make one, which also left the lobby event forbidden to everyone else.
 */
import { joinAs, setupAdmin } from "../helpers/http";
import { call, collect, connect, request, startTestServer, until, type TestServer } from "../helpers/server";
import { nameKey, nameSkeleton } from "../../lib/chat/names";

let server: TestServer;
let admin: string;
let bob: string;
let carol: string;
beforeAll(async () => {
  server = await startTestServer({ linkPreviews: false, rateLimitMessages: 0 });
  admin = await setupAdmin(server, "admin");
  bob = await joinAs(server, admin, "bob");
  carol = await joinAs(server, admin, "carol");
}, 120_000);
afterAll(() => server.close());

const as = (cookie: string) => connect(server.url, {}, { extraHeaders: { cookie } });

it("refuses a private room named lobby, and any look-alike of the lobby's name, before the lobby exists", async () => {
  const b = await as(bob);
  for (const [name, isPrivate] of [["lobby", true], ["Lobby", true], ["LOBBY", false], ["l\u043ebby", false]] as const) {
    expect(await request(b, "create-room", { name, private: isPrivate })).toMatchObject({ ok: false, error: { code: "bad_request", reason: "name_reserved" } });
  }
  expect(await request(b, "join-room", "LOBBY")).toMatchObject({ ok: false, error: { code: "bad_request", reason: "name_reserved" } });
  // The lobby itself is made by the lobby event (or a public create-room), and everyone may use it.
  const c = await as(carol);
  const heard = collect<string>(b, "message");
  await call(c, "message", "hello lobby");
  await until(() => heard.includes("hello lobby"), 5000, "the lobby broadcast");
  expect(await request(b, "create-room", { name: "lobby", private: true })).toMatchObject({ ok: false });
});

it("keeps a private room named lobby (made before the rule) to its members: nothing of it is broadcast", async () => {
  // A second server whose lobby is a private room of bob's, as an older version let anyone make it.
  const old = await startTestServer({ linkPreviews: false, rateLimitMessages: 0 });
  try {
    const oldAdmin = await setupAdmin(old, "admin");
    const oldBob = await joinAs(old, oldAdmin, "bob");
    const [{ id: bobId }] = await old.db.query<{ id: string }>("select id::text as id from users where name = 'bob'");
    const [{ id: roomId }] = await old.db.query<{ id: string }>(
      "insert into rooms (name, name_key, name_skeleton, kind, created_by) values ('lobby', $1, $2, 'private', $3) returning id::text as id",
      [nameKey("lobby"), nameSkeleton("lobby"), bobId],
    );
    await old.db.query("insert into memberships (room_id, user_id, last_read_seq) values ($1, $2, 0)", [roomId, bobId]);
    const b = await connect(old.url, {}, { extraHeaders: { cookie: oldBob } });
    const a = await connect(old.url, {}, { extraHeaders: { cookie: oldAdmin } });
    await call(a, "join-room", "general");
    const broadcast = collect<string>(a, "message");
    const inGeneral = collect<{ text: string }>(a, "receive-message");
    await call(b, "send-message-to-room", { room: "lobby", message: "our private plans" });
    await call(b, "message", "more private plans");
    // Emitted to the admin after anything the two sends emitted: once it is here, they would have been.
    await call(b, "send-message-to-room", { room: "general", message: "marker" });
    await until(() => inGeneral.some((m) => m.text === "marker"), 5000, "the marker");
    expect(broadcast).toEqual([]);
  } finally {
    await old.close();
  }
});
