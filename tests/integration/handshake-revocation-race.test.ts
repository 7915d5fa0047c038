/**
 * A Socket.IO handshake that read its identity just before the account was banned must not leave a
 * connection open. PostgreSQL holds the race open: a test transaction locks the bot tokens' table, so
 * the bot's handshake waits inside its identity lookup (its snapshot already taken) while the admin
 * deactivates the bot; released, the lookup still sees the bot active, after the ban was announced.
 * The same lookup reads the rooms the connection watches for unread counts (`room-activity`).
 */
import { Client } from "pg";
import { api, setupAdmin } from "../helpers/http";
import { call, collect, connect, freshPostgresUrl, startTestServer, until, type TestServer } from "../helpers/server";

const pg = process.env.DATABASE_URL ? describe : describe.skip;
if (!process.env.DATABASE_URL) process.stdout.write("skipping the handshake/ban race test: DATABASE_URL is not set\n");

pg("a handshake racing a ban", () => {
  let server: TestServer;
  let url: string;
  let admin: string;
  beforeAll(async () => {
    url = (await freshPostgresUrl())!;
    server = await startTestServer({ databaseUrl: url });
    admin = await setupAdmin(server);
  }, 90_000);
  afterAll(() => server.close());

  /** Runs `during` while a handshake with `token` waits inside its identity lookup; resolves with the connection. */
  async function handshakeAround(token: string, during: () => Promise<void>) {
    const db = new Client({ connectionString: url });
    await db.connect();
    try {
      await db.query("begin");
      await db.query("lock table api_tokens in access exclusive mode");
      const connecting = connect(server.url, { token });
      await until(
        async () => Number((await db.query("select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()")).rows[0].n) === 1,
        10_000,
        "the identity lookup to wait on the lock",
      );
      await during();
      await db.query("rollback");
      return await connecting;
    } finally {
      await db.end();
    }
  }

  it("stops the room-activity of a private room the bot was removed from while its handshake read its rooms", async () => {
    const { body } = await api(server, "/api/admin/bots", { body: { name: "helper" }, cookie: admin, headers: { origin: server.url } });
    const a = await connect(server.url, {}, { extraHeaders: { cookie: admin } });
    for (const room of ["kept", "left"]) {
      await call(a, "create-room", { name: room, private: true });
      await call(a, "add-member", { room, name: "helper" });
    }
    const bot = await handshakeAround(body.token, async () => {
      await call(a, "remove-member", { room: "left", name: "helper" });
    });
    const activity = collect<{ room: string }>(bot, "room-activity");
    await call(a, "send-message-to-room", { room: "left", message: "not for the bot" });
    await call(a, "send-message-to-room", { room: "kept", message: "for the bot" });
    await until(() => activity.some((e) => e.room === "kept"), 5000, "the kept room's activity");
    expect(activity.map((e) => e.room)).toEqual(["kept"]);
  });

  it("closes the connection of a bot banned while its handshake read its identity", async () => {
    const { body } = await api(server, "/api/admin/bots", { body: { name: "rogue" }, cookie: admin, headers: { origin: server.url } });
    const bot = await handshakeAround(body.token, async () => {
      const ban = await api(server, "/api/admin/users/rogue/deactivate", { body: {}, cookie: admin, headers: { origin: server.url } });
      expect(ban.body.user).toMatchObject({ name: "rogue", deactivated: true });
    });
    await until(() => !bot.connected, 5000, "the banned bot's connection to close");
    // The ban holds for a new handshake too.
    await expect(connect(server.url, { token: body.token })).rejects.toThrow("unauthorized");
  });
});
