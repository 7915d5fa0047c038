/**
 * A notification stream asked for just before its session ended must not stay open. The stream reads
 * who is asking, then its position (the newest notification id), then registers itself where sign-out
 * finds it. PostgreSQL holds the race open: a test transaction locks the notifications table, so the
 * position read waits while the session signs out.
 */
import { Client } from "pg";
import { api, joinAs, setupAdmin } from "../helpers/http";
import { openStream } from "../helpers/sse";
import { call, connect, freshPostgresUrl, startTestServer, until, type TestServer } from "../helpers/server";

const pg = process.env.DATABASE_URL ? describe : describe.skip;
if (!process.env.DATABASE_URL) process.stdout.write("skipping the notification stream sign-out race test: DATABASE_URL is not set\n");

pg("a notification stream racing its session's end", () => {
  let server: TestServer;
  let url: string;
  let alice: string;
  beforeAll(async () => {
    url = (await freshPostgresUrl())!;
    server = await startTestServer({ databaseUrl: url });
    const admin = await setupAdmin(server);
    alice = await joinAs(server, admin, "alice");
    await joinAs(server, admin, "bob");
  }, 90_000);
  afterAll(() => server.close());

  it("closes a stream whose session signed out while it was being opened, before it streams anything", async () => {
    const bob = (await api(server, "/api/session", { body: { name: "bob", password: "password-bob" } })).cookie!;
    const db = new Client({ connectionString: url });
    await db.connect();
    let stream: Awaited<ReturnType<typeof openStream>>;
    try {
      await db.query("begin");
      await db.query("lock table notifications in access exclusive mode");
      // Bob's identity is read; the stream's position then waits on the lock.
      const opening = openStream(`${server.url}/api/notifications/stream`, { cookie: bob });
      await until(
        async () => Number((await db.query("select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()")).rows[0].n) === 1,
        10_000,
        "the stream's position read to wait on the lock",
      );
      expect((await api(server, "/api/session", { method: "DELETE", cookie: bob, headers: { origin: server.url } })).status).toBe(204);
      await db.query("rollback");
      stream = await opening;
    } finally {
      await db.end();
    }
    expect(stream.status).toBe(200);
    await until(() => stream.ended, 5000, "the stream of the signed-out session to end");
    // Nothing of bob's reaches it: a DM to him is stored as his notification, and the stream is gone.
    const a = await connect(server.url, {}, { extraHeaders: { cookie: alice } });
    const dm = (await call(a, "open-dm", { name: "bob" })).room.name;
    await call(a, "send-message-to-room", { room: dm, message: "for bob only" });
    expect(stream.events.filter((e) => e.data?.type !== "connected")).toEqual([]);
  });
});
