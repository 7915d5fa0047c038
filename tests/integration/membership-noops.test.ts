/**
 * The membership verbs announce a change only when there was one. Adding someone who is a member
 * already, removing someone who is not a member, and opening a DM that exists changed nothing: no
 * invitation (a notification and a Web Push each), no `rooms-changed` (which makes every page of that
 * person fetch its room list again). Before, a member of any private room could send these to anyone,
 * as often as the verbs allowed (remove-member had no limit at all).
 */
import { joinAs, setupAdmin } from "../helpers/http";
import { call, collect, connect, startTestServer, until, type TestServer } from "../helpers/server";
import type { Socket } from "socket.io-client";

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

/** Sends a message to `general` and waits until `reader` (in general) has it: what was emitted to the reader before it has arrived. */
async function marker(author: Socket, reader: Socket, text: string) {
  const got = collect<{ text: string }>(reader, "receive-message");
  await call(author, "send-message-to-room", { room: "general", message: text });
  await until(() => got.some((m) => m.text === text), 5000, `the marker "${text}"`);
}

const invitesOf = async (name: string, room: string) => {
  const [row] = await server.db.query<{ n: number }>(
    `select count(*)::int as n from notifications n join users u on u.id = n.user_id where u.name = $1 and n.type = 'invite' and n.room = $2`,
    [name, room],
  );
  return row.n;
};

describe("membership verbs that change nothing announce nothing", () => {
  it("adding a member again: no second invitation, no rooms-changed", async () => {
    const a = await as(admin);
    const b = await as(bob);
    await call(b, "join-room", "general");
    await call(a, "create-room", { name: "again", private: true });
    const changed = collect(b, "rooms-changed");
    await call(a, "add-member", { room: "again", name: "bob" });
    await until(() => changed.length === 1, 5000, "bob's rooms-changed");
    await until(async () => (await invitesOf("bob", "again")) === 1, 5000, "the invitation");

    for (let i = 0; i < 3; i++) expect(await call(a, "add-member", { room: "again", name: "bob" })).toEqual({});
    await marker(a, b, "after the re-adds");
    expect(changed).toHaveLength(1);
    expect(await invitesOf("bob", "again")).toBe(1);
  });

  it("removing someone and adding them again, over and over: one invitation a day, the room in their list each time", async () => {
    const a = await as(admin);
    const b = await as(bob);
    await call(b, "join-room", "general");
    await call(a, "create-room", { name: "cycled", private: true });
    const changed = collect(b, "rooms-changed");
    for (let i = 0; i < 4; i++) {
      await call(a, "add-member", { room: "cycled", name: "bob" });
      await until(() => changed.length === 2 * i + 1, 5000, `bob's rooms-changed for add ${i + 1}`);
      await call(a, "remove-member", { room: "cycled", name: "bob" });
      await until(() => changed.length === 2 * i + 2, 5000, `bob's rooms-changed for removal ${i + 1}`);
    }
    await marker(a, b, "after the cycles");
    expect(await invitesOf("bob", "cycled")).toBe(1);
    // A day later the next addition invites again.
    await server.db.query("update notifications set created_at = created_at - interval '25 hours' where type = 'invite' and room = 'cycled'");
    await call(a, "add-member", { room: "cycled", name: "bob" });
    await until(async () => (await invitesOf("bob", "cycled")) === 2, 5000, "the next day's invitation");
  });

  it("removing someone who is not a member: no rooms-changed, no departure", async () => {
    const a = await as(admin);
    const c = await as(carol);
    await call(c, "join-room", "general");
    await call(a, "create-room", { name: "without-carol", private: true });
    await call(a, "join-room", "without-carol");
    const changed = collect(c, "rooms-changed");
    const left = collect(a, "user-left");
    for (let i = 0; i < 3; i++) expect(await call(a, "remove-member", { room: "without-carol", name: "carol" })).toEqual({});
    await marker(a, c, "after the removals");
    expect(changed).toHaveLength(0);
    expect(left).toHaveLength(0);
    // Positive control: a real removal still tells the person removed.
    await call(a, "add-member", { room: "without-carol", name: "carol" });
    await until(() => changed.length === 1, 5000, "carol's rooms-changed for the add");
    await call(a, "remove-member", { room: "without-carol", name: "carol" });
    await until(() => changed.length === 2, 5000, "carol's rooms-changed for the removal");
  });

  it("opening a DM that exists: the other person is told once", async () => {
    const b = await as(bob);
    const c = await as(carol);
    await call(c, "join-room", "general");
    const changed = collect(c, "rooms-changed");
    const first = await call(b, "open-dm", { name: "carol" });
    await until(() => changed.length === 1, 5000, "carol's rooms-changed for the new DM");
    for (let i = 0; i < 3; i++) expect((await call(b, "open-dm", { name: "carol" })).room.name).toBe(first.room.name);
    await marker(b, c, "after the re-opens");
    expect(changed).toHaveLength(1);
  });
});
