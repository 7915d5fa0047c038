import { joinAs, setupAdmin } from "../helpers/http";
import { call, connect, startTestServer, type TestServer } from "../helpers/server";
import type { Socket } from "socket.io-client";

/**
 * `room.lastMessageId` in the replies that carry a room summary (join-room, archive-room) is the room's
 * newest message, as list-rooms gives it (an outside trial: join-room always said null, so a bot filling
 * `auth.lastSeen` from it had nothing).
 */
describe("room.lastMessageId in join-room and archive-room replies", () => {
  let server: TestServer;
  let root: Socket;
  let alice: Socket;
  beforeAll(async () => {
    server = await startTestServer({ rateLimitMessages: 0 });
    const admin = await setupAdmin(server, "root", "root-password");
    const aliceCookie = await joinAs(server, admin, "alice");
    root = await connect(server.url, {}, { extraHeaders: { cookie: admin, origin: server.url } });
    alice = await connect(server.url, {}, { extraHeaders: { cookie: aliceCookie, origin: server.url } });
  });
  afterAll(() => server.close());

  const listed = async (socket: Socket, name: string) =>
    ((await call(socket, "list-rooms")).rooms as { name: string; lastMessageId: string | null }[]).find((r) => r.name === name)?.lastMessageId;

  it("is null for a room without messages, and the newest message's id after one, a reply or a deletion", async () => {
    const empty = await call(alice, "join-room", "quiet-corner");
    expect(empty.room.lastMessageId).toBeNull();
    expect(await listed(alice, "quiet-corner")).toBeNull();

    const { message: first } = await call(alice, "send-message-to-room", { room: "quiet-corner", message: "first words" });
    const joined = await call(root, "join-room", "quiet-corner");
    expect(joined.room.lastMessageId).toBe(first.id);
    expect(joined.room.lastMessageId).toBe(await listed(root, "quiet-corner"));

    // A reply in a thread is the room's newest message too.
    const { message: reply } = await call(alice, "send-message-to-room", { room: "quiet-corner", message: "a reply", threadId: first.id });
    const again = await call(root, "join-room", "quiet-corner");
    expect(again.room.lastMessageId).toBe(reply.id);
    expect(again.room.lastMessageId).toBe(await listed(root, "quiet-corner"));

    // A deleted message stays the newest (its tombstone keeps its id), as in list-rooms.
    const { message: last } = await call(alice, "send-message-to-room", { room: "quiet-corner", message: "oops" });
    await call(alice, "delete-message", { room: "quiet-corner", id: last.id });
    const afterDelete = await call(root, "join-room", "quiet-corner");
    expect(afterDelete.room.lastMessageId).toBe(last.id);
    expect(afterDelete.room.lastMessageId).toBe(await listed(root, "quiet-corner"));

    const archived = await call(root, "archive-room", { room: "quiet-corner" });
    expect(archived.room.lastMessageId).toBe(last.id);
  });
});
