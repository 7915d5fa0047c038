/**
 * A message edited or deleted while its notifications were still being decided: the notifier reads the
 * text, looks up who hears of it, then stores — and an edit or a deletion committed in between used to
 * find nothing to revise or withdraw, so the notification (and its push) kept the old or deleted text
 * for days. Each store now reads the message as it is (storeNotifications) and holds it to its commit.
 *
 * The store is held back here by the per-user notification lock (lib/notifications/store.ts,
 * lockNotificationsOf), taken by a test transaction on PostgreSQL; the edit or deletion happens while it
 * waits. A later message to the same person is stored after it (the same lock, in order), which tells
 * the test that the held store has finished.
 */
import { Client } from "pg";
import { joinAs, setupAdmin } from "../helpers/http";
import { call, connect, freshPostgresUrl, startTestServer, until, type TestServer } from "../helpers/server";
import type { Socket } from "socket.io-client";

const NOTIFY_LOCK_CLASS = 0x6e6f74;
const pg = process.env.DATABASE_URL ? describe : describe.skip;
if (!process.env.DATABASE_URL) process.stdout.write("skipping the notification races: DATABASE_URL is not set\n");

pg("a message changed while its notification is being stored (PostgreSQL)", () => {
  let server: TestServer;
  let admin: string;
  let alice: Socket;
  let bobId: string;
  let lockHolder: Client;
  beforeAll(async () => {
    const databaseUrl = await freshPostgresUrl();
    server = await startTestServer({ databaseUrl, linkPreviews: false, rateLimitMessages: 0 });
    admin = await setupAdmin(server, "alice");
    await joinAs(server, admin, "bob");
    [{ id: bobId }] = await server.db.query<{ id: string }>("select id::text as id from users where name = 'bob'");
    lockHolder = new Client({ connectionString: databaseUrl });
    await lockHolder.connect();
  }, 120_000);
  // Connections are closed after each test (helpers/server).
  beforeEach(async () => {
    alice = await connect(server.url, {}, { extraHeaders: { cookie: admin } });
    await call(alice, "join-room", "general");
  });
  afterAll(async () => {
    await lockHolder?.end();
    await server?.close();
  });

  const bobsNotifications = () =>
    server.db.query<{ message: string; message_id: string }>("select message, message_id::text as message_id from notifications where user_id = $1 order by id", [bobId]);

  /**
   * Sends `text` while bob's notification lock is held, runs `meanwhile` (with the message's id) once the
   * notifier waits for it, lets it go, and waits until a marker message's notification is stored after it.
   */
  async function whileStoreWaits(text: string, meanwhile: (id: string) => Promise<unknown>, marker: string) {
    await lockHolder.query("begin");
    await lockHolder.query("select pg_advisory_xact_lock($1, ($2::bigint % 2147483647)::int)", [NOTIFY_LOCK_CLASS, bobId]);
    try {
      const sent = await call(alice, "send-message-to-room", { room: "general", message: text });
      await until(
        async () => (await lockHolder.query("select 1 from pg_locks where locktype = 'advisory' and classid = $1 and not granted", [NOTIFY_LOCK_CLASS])).rowCount! > 0,
        10_000,
        "the notifier to wait for bob's lock",
      );
      await meanwhile(sent.message.id);
      await call(alice, "send-message-to-room", { room: "general", message: marker });
      return sent.message.id as string;
    } finally {
      await lockHolder.query("commit");
    }
  }

  const waitForMarker = (marker: string) => until(async () => (await bobsNotifications()).some((n) => n.message === marker), 10_000, "the marker's notification");

  it.each([
    ["@bob the door code is 4711", "door code"],
    ["@bob, _the_ **vault** code: 0815", "vault code"],
  ])("stores nothing about a message deleted meanwhile (%s)", async (text, secret) => {
    const marker = `@bob marker ${secret.length}`;
    const id = await whileStoreWaits(text, (id) => call(alice, "delete-message", { room: "general", id }), marker);
    await waitForMarker(marker);
    const held = await bobsNotifications();
    expect(held.filter((n) => BigInt(n.message_id) === BigInt(id))).toEqual([]);
    expect(JSON.stringify(held)).not.toContain(secret);
  });

  it.each([
    ["@bob first draft: meet at 9", "@bob final: meet at **10**", "@bob final: meet at 10"],
    ["@bob 会議は9時", "@bob 会議は10時です", "@bob 会議は10時です"],
  ])("tells of a message edited meanwhile as it reads now (%s)", async (text, edited, shown) => {
    const marker = `@bob marker ${edited.length}`;
    const id = await whileStoreWaits(text, (id) => call(alice, "edit-message", { room: "general", id, message: edited }), marker);
    await waitForMarker(marker);
    expect((await bobsNotifications()).filter((n) => BigInt(n.message_id) === BigInt(id)).map((n) => n.message)).toEqual([shown]);
  });
});
