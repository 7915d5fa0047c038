/**
 * Several instances: a member is removed from a private room on another instance. That instance takes
 * the user's connections out of the room and its watch list everywhere (the adapter), then tells every
 * instance (the bus). A `leave-room` of theirs handled in between, on their own instance where the
 * connection was still joined, put it back on the room's watch list: it went on receiving the room's
 * activity (`room-activity`: its name, newest seq and message id) after the removal. The bus event now
 * takes the watch away whether or not the connection was still joined.
 *
 * The order is the cluster's, played on one real server with its own Socket.IO server and bus: the
 * removal committed, the adapter's leave, the `leave-room`, then the bus event.
 */
import { joinAs, setupAdmin } from "../helpers/http";
import { call, collect, connect, startTestServer, until, type TestServer } from "../helpers/server";
import { roomKey, userKey, watchKey } from "../../lib/realtime/context";

describe("a leave-room between another instance's removal and its announcement", () => {
  let server: TestServer;
  let admin: string;
  let bob: string;
  beforeAll(async () => {
    server = await startTestServer({ linkPreviews: false, rateLimitMessages: 0 });
    admin = await setupAdmin(server, "alice");
    bob = await joinAs(server, admin, "bob");
  }, 120_000);
  afterAll(() => server?.close());

  /**
   * Alice's private room `name` with bob in it, both connected and in it and in general; then the other
   * instance's first steps — the removal commits, its adapter takes bob's connections out everywhere —
   * and bob's page leaving the room meanwhile (it does not know yet: here the connection was still joined).
   */
  async function removedThenLeft(name: string) {
    const alice = await connect(server.url, {}, { extraHeaders: { cookie: admin } });
    await call(alice, "create-room", { name, private: true });
    await call(alice, "add-member", { room: name, name: "bob" });
    await call(alice, "join-room", name);
    await call(alice, "join-room", "general");
    const bobSocket = await connect(server.url, {}, { extraHeaders: { cookie: bob } });
    await call(bobSocket, "join-room", name);
    await call(bobSocket, "join-room", "general");
    const [{ roomId, bobId }] = await server.db.query<{ roomId: string; bobId: string }>(
      `select r.id::text as "roomId", u.id::text as "bobId" from rooms r, users u where r.name = $1 and u.name = 'bob'`,
      [name],
    );
    await server.db.query("delete from memberships where room_id = $1 and user_id = $2", [roomId, bobId]);
    server.io.in(userKey(bobId)).socketsLeave([roomKey(roomId), watchKey(roomId)]);
    await call(bobSocket, "leave-room", name);
    return { alice, bobSocket, roomId, bobId };
  }

  it.each([["plans-1"], ["企画-2"]])("leaves the removed member's connection off the watch list of %s", async (name) => {
    const { alice, bobSocket, roomId, bobId } = await removedThenLeft(name);
    // Then the bus brings the removal.
    await server.bus.publish({ type: "member-removed", roomId, userId: bobId });

    await until(async () => !(await server.io.in(watchKey(roomId)).fetchSockets()).some((s) => s.id === bobSocket.id), 5000, "bob off the watch list");
    // What the room says after that reaches bob no more: a message there, then one in general as a marker.
    const activity = collect<{ room: string }>(bobSocket, "room-activity");
    const general = collect<{ text: string }>(bobSocket, "receive-message");
    await call(alice, "send-message-to-room", { room: name, message: "after bob left" });
    await call(alice, "send-message-to-room", { room: "general", message: `marker ${name}` });
    await until(() => general.some((m) => m.text === `marker ${name}`), 10_000, "the marker");
    expect(activity.filter((a) => a.room === name)).toEqual([]);
  });

  it("keeps the watch of a member added back before the removal's announcement came", async () => {
    const name = "plans-again";
    const { alice, bobSocket, roomId, bobId } = await removedThenLeft(name);
    // Added back (committed) before the removal's bus event arrives here.
    await server.db.query("insert into memberships (room_id, user_id) values ($1, $2)", [roomId, bobId]);
    await server.bus.publish({ type: "member-removed", roomId, userId: bobId });
    // The room's activity reaches bob: still watching, as a member.
    const activity = collect<{ room: string }>(bobSocket, "room-activity");
    const general = collect<{ text: string }>(bobSocket, "receive-message");
    await call(alice, "send-message-to-room", { room: "general", message: "marker again" });
    await until(() => general.some((m) => m.text === "marker again"), 10_000, "the marker");
    await call(alice, "send-message-to-room", { room: name, message: "welcome back" });
    await until(() => activity.some((a) => a.room === name), 10_000, "the room's activity");
    expect((await server.io.in(watchKey(roomId)).fetchSockets()).some((s) => s.id === bobSocket.id)).toBe(true);
  });
});
