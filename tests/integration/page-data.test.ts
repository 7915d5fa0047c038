/**
 * What server-rendered pages read (lib/pages/page-data.ts, through the registry as Next's copy reaches
 * it): the session and a room's newest page for a signed-in account only, under the history read's
 * room rule, and without the side effects of a join.
 */
import { getRegistry } from "@/lib/registry";
import { api, joinAs, setupAdmin } from "../helpers/http";
import { call, connect, startTestServer, type TestServer } from "../helpers/server";

let server: TestServer;
let alice: string;
let bob: string;
/** pages().setupRequired() on the fresh server, before its first account. */
let setupRequiredFresh: boolean;

const pages = () => getRegistry().pages!;

beforeAll(async () => {
  // Fifty-five messages in a moment are past one person's rate limit.
  server = await startTestServer({ rateLimitMessages: 0 });
  setupRequiredFresh = await pages().setupRequired();
  alice = await setupAdmin(server, "alice");
  bob = await joinAs(server, alice, "bob");
  for (let i = 1; i <= 55; i++) expect((await api(server, "/api/rooms/general/messages", { cookie: alice, body: { text: `line ${i}` } })).status).toBe(201);
  const socket = await connect(server.url, {}, { extraHeaders: { cookie: alice } });
  await call(socket, "create-room", { name: "secret", private: true });
  socket.disconnect();
  expect((await api(server, "/api/rooms/secret/messages", { cookie: alice, body: { text: "members only" } })).status).toBe(201);
});

afterAll(() => server?.close());

describe("page data", () => {
  it("says setup is required until the first account exists (/ then goes to /setup at once)", async () => {
    expect(setupRequiredFresh).toBe(true);
    expect(await pages().setupRequired()).toBe(false);
    expect((await api(server, "/api/session")).body).toMatchObject({ setupRequired: false });
  });

  it("answers the session as GET /api/session does, for a signed-in account only", async () => {
    const fromApi = await api(server, "/api/session", { cookie: alice });
    expect(await pages().session(alice)).toEqual(fromApi.body);
    expect(await pages().session(undefined)).toBeNull();
    expect(await pages().session("hibiki_session=not-a-session")).toBeNull();
  });

  it("gives a member the room's newest 50 messages, oldest first, as history does", async () => {
    const page = await pages().roomPage(alice, "general");
    expect(page?.messages.map((m) => m.text)).toEqual(Array.from({ length: 50 }, (_, i) => `line ${i + 6}`));
    expect(page?.hasMore).toBe(true);
    const socket = await connect(server.url, {}, { extraHeaders: { cookie: alice } });
    const history = await call(socket, "history", { room: "general", limit: 50 });
    socket.disconnect();
    expect(page?.messages).toEqual(history.messages);
  });

  it("says the room's kind, and names a DM by the other person", async () => {
    expect(await pages().roomPage(alice, "general")).toMatchObject({ kind: "public" });
    expect((await pages().roomPage(alice, "general"))?.title).toBeUndefined();
    expect(await pages().roomPage(alice, "secret")).toMatchObject({ kind: "private" });
    const socket = await connect(server.url, {}, { extraHeaders: { cookie: alice } });
    const room: string = (await call(socket, "open-dm", { name: "bob" })).room.name;
    socket.disconnect();
    expect(await pages().roomPage(alice, room)).toMatchObject({ room, kind: "dm", title: "bob", messages: [] });
    expect(await pages().roomPage(bob, room)).toMatchObject({ room, kind: "dm", title: "alice" });
  });

  it("gives nothing for a private room to a non-member, for an unknown room, or without a session", async () => {
    expect((await pages().roomPage(alice, "secret"))?.messages.map((m) => m.text)).toEqual(["members only"]);
    expect(await pages().roomPage(bob, "secret")).toBeNull();
    expect(await pages().roomPage(alice, "no-such-room")).toBeNull();
    expect(await pages().roomPage(undefined, "general")).toBeNull();
  });

  it("reads without joining: a public room's page leaves the reader's memberships as they were", async () => {
    const socket = await connect(server.url, {}, { extraHeaders: { cookie: bob } });
    await call(socket, "create-room", { name: "quiet" });
    socket.disconnect();
    const members = async () =>
      (await server.db.query<{ name: string }>(
        "select u.name from memberships m join rooms r on r.id = m.room_id join users u on u.id = m.user_id where r.name = 'quiet' order by u.name",
      )).map((r) => r.name);
    expect(await members()).toEqual(["bob"]);
    expect((await pages().roomPage(alice, "quiet"))?.messages).toEqual([]);
    expect(await members()).toEqual(["bob"]);
  });
});
