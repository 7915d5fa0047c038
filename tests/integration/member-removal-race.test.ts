/**
 * A member removed from a private room while their send waits to be stored: the server checked their
 * membership when the send arrived, then the post waited for the room's row (held by the removal, as
 * every change to a room holds it). It used to be stored anyway and delivered to the room they had just
 * left. Now the store checks membership again once it holds the row (store_messages(), migration 45; a
 * thread reply through holdRoomAsMember): `forbidden`, nothing stored, nothing delivered. The same for a
 * reaction (apply_reactions(), migration 46), an edit and a deletion of their own message.
 *
 * The test holds the room's row from its own transaction on PostgreSQL, lets the send wait for it,
 * removes the membership in that transaction and commits: a removal that committed while the send
 * waited. A marker message sent by a member afterwards tells the test that everything before it was
 * delivered.
 */
import { Client } from "pg";
import { joinAs, setupAdmin } from "../helpers/http";
import { call, collect, connect, freshPostgresUrl, request, startTestServer, until, type TestServer } from "../helpers/server";
import type { Socket } from "socket.io-client";
import { createReactionWriter } from "../../lib/chat/reaction-writer";
import type { User } from "../../lib/chat/users";

const pg = process.env.DATABASE_URL ? describe : describe.skip;
if (!process.env.DATABASE_URL) process.stdout.write("skipping the member removal race: DATABASE_URL is not set\n");

pg("a member removed while their send waits for the room (PostgreSQL)", () => {
  let server: TestServer;
  let admin: string;
  let bob: string;
  let bobId: string;
  let holder: Client;
  let n = 0;
  beforeAll(async () => {
    const databaseUrl = await freshPostgresUrl();
    server = await startTestServer({ databaseUrl, linkPreviews: false, rateLimitMessages: 0 });
    admin = await setupAdmin(server, "alice");
    bob = await joinAs(server, admin, "bob");
    [{ id: bobId }] = await server.db.query<{ id: string }>("select id::text as id from users where name = 'bob'");
    holder = new Client({ connectionString: databaseUrl });
    await holder.connect();
  }, 120_000);
  afterAll(async () => {
    await holder?.end();
    await server?.close();
  });

  /** A new private room of alice's with bob in it; both connected and joined (connections close after each test). */
  async function privateRoom() {
    const name = `secret-${++n}`;
    const alice = await connect(server.url, {}, { extraHeaders: { cookie: admin } });
    await call(alice, "create-room", { name, private: true });
    await call(alice, "add-member", { room: name, name: "bob" });
    await call(alice, "join-room", name);
    const bobSocket = await connect(server.url, {}, { extraHeaders: { cookie: bob } });
    await call(bobSocket, "join-room", name);
    const [{ id }] = await server.db.query<{ id: string }>("select id::text as id from rooms where name = $1", [name]);
    return { name, id, alice, bobSocket };
  }

  /**
   * At least `n` sessions wait for our transaction (the room's row it holds), directly or behind another
   * waiter for the same row; other suites' waits do not count.
   */
  const waiting = async (n = 1) => {
    const { rows } = await holder.query(
      `with w as (select pid, pg_blocking_pids(pid) as by from pg_stat_activity)
       select count(*) as n from w
        where pg_backend_pid() = any(w.by) or exists (select 1 from w x where x.pid = any(w.by) and pg_backend_pid() = any(x.by))`,
    );
    return Number(rows[0].n) >= n;
  };

  /** Runs `send` while the room's row is held; bob's membership goes and commits while it waits. */
  async function removedWhileWaiting<T>(roomId: string, send: () => Promise<T>): Promise<T> {
    await holder.query("begin");
    let committed = false;
    try {
      await holder.query("select 1 from rooms where id = $1 for update", [roomId]);
      const sent = send();
      await until(() => waiting(), 10_000, "the send to wait for the room's row");
      await holder.query("delete from memberships where room_id = $1 and user_id = $2", [roomId, bobId]);
      await holder.query("commit");
      committed = true;
      return await sent;
    } finally {
      if (!committed) await holder.query("rollback");
    }
  }

  /** Alice sends a marker and sees it arrive: whatever the room was sent before it has arrived too. */
  async function afterMarker(alice: Socket, room: string, seen: { text: string }[]) {
    const marker = `marker ${++n}`;
    await call(alice, "send-message-to-room", { room, message: marker });
    await until(() => seen.some((m) => m.text === marker), 10_000, "the marker");
  }

  const stored = async (roomId: string, text: string) =>
    (await server.db.query("select 1 from messages where room_id = $1 and body = $2", [roomId, text])).length;

  it.each([
    ["the door code is 4711"],
    ["今日の会議室の暗証番号は 0815"],
    ["**vault** code: `2112`"],
  ])("refuses a message to the room (%s): nothing stored, nothing delivered", async (text) => {
    const { name, id, alice, bobSocket } = await privateRoom();
    const seen = collect<{ text: string }>(alice, "receive-message");
    const ack = await removedWhileWaiting(id, () => request(bobSocket, "send-message-to-room", { room: name, message: text, clientId: `c-${n}` }));
    expect(ack).toMatchObject({ ok: false, error: { code: "forbidden" } });
    await afterMarker(alice, name, seen);
    expect(seen.map((m) => m.text)).not.toContain(text);
    expect(await stored(id, text)).toBe(0);
  });

  it("refuses every one of several sends that waited together", async () => {
    const { name, id, alice, bobSocket } = await privateRoom();
    const seen = collect<{ text: string }>(alice, "receive-message");
    const texts = ["first secret", "second secret", "third secret"];
    const acks = await removedWhileWaiting(id, () =>
      Promise.all(texts.map((message) => request(bobSocket, "send-message-to-room", { room: name, message }))),
    );
    for (const ack of acks) expect(ack).toMatchObject({ ok: false, error: { code: "forbidden" } });
    await afterMarker(alice, name, seen);
    for (const text of texts) {
      expect(seen.map((m) => m.text)).not.toContain(text);
      expect(await stored(id, text)).toBe(0);
    }
  });

  it("refuses a thread reply", async () => {
    const { name, id, alice, bobSocket } = await privateRoom();
    const { message: root } = await call(alice, "send-message-to-room", { room: name, message: "the plan" });
    const seen = collect<{ text: string }>(alice, "receive-message");
    const text = "reply: the password is swordfish";
    const ack = await removedWhileWaiting(id, () => request(bobSocket, "send-message-to-room", { room: name, message: text, threadId: root.id }));
    expect(ack).toMatchObject({ ok: false, error: { code: "forbidden" } });
    await afterMarker(alice, name, seen);
    expect(seen.map((m) => m.text)).not.toContain(text);
    expect(await stored(id, text)).toBe(0);
  });

  it("refuses an edit of their message: the text stays, nothing is announced", async () => {
    const { name, id, alice, bobSocket } = await privateRoom();
    const { message } = await call(bobSocket, "send-message-to-room", { room: name, message: "meet at 3" });
    const updates = collect<{ text: string }>(alice, "message-updated");
    const ack = await removedWhileWaiting(id, () => request(bobSocket, "edit-message", { room: name, id: message.id, message: "meet at 4, code 9911" }));
    expect(ack).toMatchObject({ ok: false, error: { code: "forbidden" } });
    const [row] = await server.db.query<{ body: string }>("select body from messages where id = $1", [BigInt(message.id).toString()]);
    expect(row.body).toBe("meet at 3");
    await afterMarker(alice, name, collect<{ text: string }>(alice, "receive-message"));
    expect(updates).toEqual([]);
  });

  it("refuses a deletion of their message: it stays", async () => {
    const { name, id, alice, bobSocket } = await privateRoom();
    const { message } = await call(bobSocket, "send-message-to-room", { room: name, message: "keep me" });
    const deletions = collect(alice, "message-deleted");
    const ack = await removedWhileWaiting(id, () => request(bobSocket, "delete-message", { room: name, id: message.id }));
    expect(ack).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await stored(id, "keep me")).toBe(1);
    await afterMarker(alice, name, collect<{ text: string }>(alice, "receive-message"));
    expect(deletions).toEqual([]);
  });

  const reactionsOf = async (messageId: string) =>
    (await server.db.query<{ reactions: unknown }>("select extra->'reactions' as reactions from messages where id = $1", [BigInt(messageId).toString()]))[0]
      ?.reactions ?? null;

  it.each([["👍"], ["🎉"], ["❤️"]])("refuses a reaction (%s): not stored, not announced", async (emoji) => {
    const { name, id, alice, bobSocket } = await privateRoom();
    const { message } = await call(alice, "send-message-to-room", { room: name, message: "vote here" });
    const updates = collect<{ id: string; reactions: unknown[] }>(alice, "reactions-updated");
    const ack = await removedWhileWaiting(id, () => request(bobSocket, "react", { room: name, id: message.id, emoji }));
    expect(ack).toMatchObject({ ok: false, error: { code: "forbidden" } });
    // Alice's own reaction afterwards is announced with hers alone: bob's never was.
    const mine = await call(alice, "react", { room: name, id: message.id, emoji: "👀" });
    expect(mine.reactions).toEqual([{ emoji: "👀", count: 1, users: ["alice"] }]);
    await until(() => updates.length > 0, 10_000, "alice's reaction to be announced");
    expect(updates).toEqual([expect.objectContaining({ id: message.id, reactions: [{ emoji: "👀", count: 1, users: ["alice"] }] })]);
    expect(JSON.stringify(await reactionsOf(message.id))).not.toContain("bob");
  });

  it("refuses a removed reactor's toggles and stores a member's from the same batch", async () => {
    const { name, id, alice } = await privateRoom();
    const { message } = await call(alice, "send-message-to-room", { room: name, message: "lunch?" });
    // Both toggles are handed to one writer in the same turn of the event loop: one batch.
    const writer = createReactionWriter(server.db);
    const room = { id, name, kind: "private" as const, lastSeq: 0 };
    const users = await server.db.query<User>("select id::text as id, name, kind from users where name in ('alice', 'bob') order by name");
    const messageId = BigInt(message.id).toString();
    const [alices, bobs] = await removedWhileWaiting(id, async () =>
      Promise.allSettled([
        writer.toggle({ user: users[0], room, id: messageId, emoji: "🍣" }),
        writer.toggle({ user: users[1], room, id: messageId, emoji: "🍣" }),
        writer.toggle({ user: users[0], room, id: messageId, emoji: "🍜" }),
      ]).then((r) => [r[0], r[1], r[2]] as const),
    );
    expect(bobs).toMatchObject({ status: "rejected", reason: { code: "forbidden" } });
    expect(alices).toMatchObject({ status: "fulfilled", value: { message: { reactions: [{ emoji: "🍣", count: 1, users: ["alice"] }] } } });
    const stored = await reactionsOf(message.id);
    expect(JSON.stringify(stored)).not.toContain("bob");
    expect(stored).toEqual([expect.objectContaining({ emoji: "🍣", users: ["alice"] }), expect.objectContaining({ emoji: "🍜", users: ["alice"] })]);
  });

  it("still stores a message of a member that waited for the same row, and bob's message from before", async () => {
    const { name, id, alice, bobSocket } = await privateRoom();
    await call(bobSocket, "send-message-to-room", { room: name, message: "sent while a member" });
    const ack = await removedWhileWaiting(id, () => request(alice, "send-message-to-room", { room: name, message: "alice stays" }));
    expect(ack).toMatchObject({ ok: true, data: { message: { text: "alice stays" } } });
    expect(await stored(id, "alice stays")).toBe(1);
    expect(await stored(id, "sent while a member")).toBe(1);
  });

  it("keeps one member when the last two leave at the same moment", async () => {
    const { name, id, alice, bobSocket } = await privateRoom();
    await holder.query("begin");
    try {
      await holder.query("select 1 from rooms where id = $1 for update", [id]);
      const leaving = Promise.all([
        request(alice, "remove-member", { room: name, name: "alice" }),
        request(bobSocket, "remove-member", { room: name, name: "bob" }),
      ]);
      await until(() => waiting(2), 10_000, "both removals to wait for the room's row");
      await holder.query("commit");
      const acks = await leaving;
      // One went; the other, counted after it, was the last member and stays.
      expect(acks.map((a) => (a.ok ? "left" : a.error.reason)).sort()).toEqual(["last_member", "left"]);
    } catch (err) {
      await holder.query("rollback").catch(() => undefined);
      throw err;
    }
    const [{ members }] = await server.db.query<{ members: number }>("select count(*)::int as members from memberships where room_id = $1", [id]);
    expect(members).toBe(1);
  });
});
