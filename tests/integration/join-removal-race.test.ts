/**
 * A join of a private room that read the membership just before a removal committed must not leave the
 * removed person's connection in the room. PostgreSQL holds the race open: a test transaction locks the
 * member's row, so the removal's delete waits on it, and the join (whose read of the membership came
 * first) then waits behind the delete; released, the removal commits and takes the user's connections
 * out of the room before the join's answer puts this one in.
 */
import { Client } from "pg";
import { joinAs, setupAdmin } from "../helpers/http";
import { call, collect, connect, freshPostgresUrl, request, startTestServer, until, type TestServer } from "../helpers/server";

const pg = process.env.DATABASE_URL ? describe : describe.skip;
if (!process.env.DATABASE_URL) process.stdout.write("skipping the join/removal race test: DATABASE_URL is not set\n");

pg("a join racing the member's removal", () => {
  let server: TestServer;
  let url: string;
  let alice: string;
  let mallory: string;
  beforeAll(async () => {
    url = (await freshPostgresUrl())!;
    server = await startTestServer({ databaseUrl: url });
    const admin = await setupAdmin(server);
    alice = await joinAs(server, admin, "alice");
    mallory = await joinAs(server, admin, "mallory");
  }, 90_000);
  afterAll(() => server.close());

  it("leaves the removed member out of the room: no new messages, no history, no posting through the join", async () => {
    const a = await connect(server.url, {}, { extraHeaders: { cookie: alice } });
    const m = await connect(server.url, {}, { extraHeaders: { cookie: mallory } });
    await call(a, "create-room", { name: "vault", private: true });
    await call(a, "add-member", { room: "vault", name: "mallory" });
    // A message mallory has not read: her join then moves her read marker, an update of her row.
    await call(a, "send-message-to-room", { room: "vault", message: "before" });

    const db = new Client({ connectionString: url });
    // Watches from outside the transaction: within one, pg_stat_activity is read once and kept (PostgreSQL's
    // stats_fetch_consistency), and a later look may show the earlier state.
    const watch = new Client({ connectionString: url });
    await db.connect();
    await watch.connect();
    try {
      // Which statement waits, not how many: other work of the server's may wait on the locked rows too.
      const waiting = async (statement: string) =>
        Number(
          (
            await watch.query(
              "select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database() and query like $1",
              [statement],
            )
          ).rows[0].n,
        );
      await db.query("begin");
      await db.query(
        `select 1 from memberships where room_id = (select id from rooms where name = 'vault')
            and user_id = (select id from users where name = 'mallory') for update`,
      );
      // The removal deletes her row: it waits on the lock, holding the room's row.
      const removed = request(a, "remove-member", { room: "vault", name: "mallory" });
      await until(async () => (await waiting("delete from memberships %")) === 1, 10_000, "the removal to wait on the lock");
      // The join reads the membership (not yet removed), then waits behind the removal to move her marker.
      const joined = request(m, "join-room", "vault");
      await until(async () => (await waiting("select enter_room(%")) === 1, 10_000, "the join to wait behind the removal");
      await db.query("rollback");
      expect(await removed).toMatchObject({ ok: true });
      expect(await joined).toEqual({ ok: false, error: { code: "forbidden", message: "you are not a member of this room" } });
    } finally {
      await Promise.all([db.end(), watch.end()]);
    }

    const got = collect(m, "receive-message");
    const after = (await call(a, "send-message-to-room", { room: "vault", message: "after the removal" })).message;
    // A later message to a room both are in shows that anything for mallory would have arrived by then.
    await call(a, "join-room", "general");
    await call(m, "join-room", "general");
    const marker = (await call(a, "send-message-to-room", { room: "general", message: "marker" })).message;
    await until(() => got.some((x) => x.id === marker.id), 5000, "the marker message");
    expect(got.map((x) => x.id)).not.toContain(after.id);
    expect(await request(m, "history", { room: "vault" })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await request(m, "send-message-to-room", { room: "vault", message: "still here?" })).toMatchObject({ ok: false, error: { code: "forbidden" } });
  });
});
