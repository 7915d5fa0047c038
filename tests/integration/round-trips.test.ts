import type { Database, Queryable } from "../../lib/db";
import { api, joinAs, setupAdmin } from "../helpers/http";
import { call, collect, connect, freshPostgresUrl, startTestServer, until, type TestServer } from "../helpers/server";
import type { Socket } from "socket.io-client";

/**
 * Every statement the server sends to the database, in order (a transaction's BEGIN and COMMIT count as
 * statements too: each is a round trip). Installed through startServer's `wrapDatabase` hook.
 */
function countingDatabase(seen: string[]) {
  return (db: Database): Database => {
    const counted = (q: Queryable): Queryable => ({
      query: (sql, params) => (seen.push(sql.replace(/\s+/g, " ").trim()), q.query(sql, params)),
      exec: (sql) => (seen.push(sql.replace(/\s+/g, " ").trim()), q.exec(sql)),
    });
    return {
      ...counted(db),
      kind: db.kind,
      transaction: (fn) => (seen.push("begin"), db.transaction((tx) => fn(counted(tx))).finally(() => seen.push("commit"))),
      ping: () => db.ping(),
      close: () => db.close(),
    };
  };
}

/** Statements of timers that run whatever the test does: the push sender polls its queue every second. */
const BACKGROUND = /\bfrom push_queue\b/;

/**
 * How long the database must have been idle before counting: longer than the default presence window
 * (PRESENCE_ANNOUNCE_MS, 50 ms), since an announcement owed to a window's end may read a private room's
 * members after the connection that caused it has gone.
 */
const QUIET_MS = 150;

/** The statements `action` caused: counted once the database has been idle, so start-up work is not. */
async function countStatements(seen: string[], action: () => Promise<unknown>): Promise<string[]> {
  let count = -1;
  let since = 0;
  await until(() => {
    if (seen.length !== count) [count, since] = [seen.length, Date.now()];
    return Date.now() - since >= QUIET_MS;
  }, 10_000, "the database to go quiet");
  const from = seen.length;
  await action();
  return seen.slice(from).filter((sql) => !BACKGROUND.test(sql));
}

/** Resolves once the connection has caught up: `leave-room` of a room it is not in waits for that and reads nothing. */
const caughtUp = (socket: Socket) => call(socket, "leave-room", "nowhere");

/**
 * Issue #17: a connection costs one round trip to the database (who it is and which rooms it watches),
 * and joining an existing room one more (room, membership, history page, read marker, roster).
 */
function roundTrips(kind: "PGlite" | "PostgreSQL") {
  describe(`database round trips on ${kind}`, () => {
    const seen: string[] = [];
    let server: TestServer;
    let admin: string;
    let alice: string;
    let botToken: string;
    let database: Database;

    beforeAll(async () => {
      const databaseUrl = kind === "PostgreSQL" ? await freshPostgresUrl() : undefined;
      // Without the handshake's identity cache: what one lookup costs (the cache has its own tests below).
      const wrapDatabase = (db: Database) => ((database = db), countingDatabase(seen)(db));
      server = await startTestServer({ guestAccess: true, identityCacheMs: 0, ...(databaseUrl ? { databaseUrl } : {}) }, { wrapDatabase });
      admin = await setupAdmin(server);
      alice = await joinAs(server, admin, "alice");
      botToken = (await api(server, "/api/admin/bots", { body: { name: "countbot" }, cookie: admin })).body.token;
      const owner = await connect(server.url, { token: botToken });
      await call(owner, "create-room", { name: "den", private: true });
      await call(owner, "add-member", { room: "den", name: "alice" });
      await call(owner, "join-room", "square");
      owner.disconnect();
    }, 90_000); // argon2 sign-ins are slow on a busy machine
    afterAll(() => server.close());

    const statementsOf = (action: () => Promise<unknown>) => countStatements(seen, action);

    const asCookie = (cookie: string) => connect(server.url, {}, { extraHeaders: { cookie, origin: server.url } });

    it("connects with a bearer token in one round trip, and watches the rooms it is a member of", async () => {
      let socket!: Socket;
      const statements = await statementsOf(async () => {
        socket = await connect(server.url, { token: botToken });
        await caughtUp(socket);
      });
      expect(statements).toHaveLength(1);
      // The rooms came with it: a message in a room the bot is a member of reaches it as room-activity.
      const activity = collect<{ room: string }>(socket, "room-activity");
      await call(await asCookie(alice), "send-message-to-room", { room: "den", message: "ping" });
      await until(() => activity.some((a) => a.room === "den"), 5000, "room-activity for den");
    });

    it("connects with a session cookie in one round trip", async () => {
      const statements = await statementsOf(async () => caughtUp(await asCookie(alice)));
      expect(statements).toHaveLength(1);
    });

    it("connects a guest in one round trip, and still refuses a guest whose name belongs to an account", async () => {
      const statements = await statementsOf(async () => caughtUp(await connect(server.url, { name: "visitor" })));
      expect(statements).toHaveLength(1);
      await expect(connect(server.url, { name: "alice" })).rejects.toThrow(/taken/);
    });

    it("joins a public room in one round trip, the first time and again", async () => {
      const socket = await connect(server.url, { name: "walker" });
      await caughtUp(socket);
      const first = await statementsOf(() => call(socket, "join-room", "square"));
      expect(first).toHaveLength(1);
      const again = await connect(server.url, { name: "walker" });
      await caughtUp(again);
      const second = await statementsOf(() => call(again, "join-room", "square"));
      expect(second).toHaveLength(1);
    });

    it("joins a private room in one round trip, its members in the answer (bots marked)", async () => {
      const socket = await asCookie(alice);
      await caughtUp(socket);
      let joined: { members: { name: string; online: boolean; bot?: true }[] } | undefined;
      const statements = await statementsOf(async () => (joined = await call(socket, "join-room", "den")));
      expect(statements).toHaveLength(1);
      expect(joined!.members).toEqual([
        { name: "alice", online: true },
        { name: "countbot", online: false, bot: true },
      ]);
    });

    it("joins a DM in one round trip, titled with the other person's name", async () => {
      const socket = await asCookie(alice);
      const dm = (await call(socket, "open-dm", { name: "admin" })).room.name as string;
      await caughtUp(socket);
      let joined: { room: { title?: string }; members: { name: string; online: boolean }[] } | undefined;
      const statements = await statementsOf(async () => (joined = await call(socket, "join-room", dm)));
      expect(statements).toHaveLength(1);
      expect(joined!.room.title).toBe("admin");
      expect(joined!.members).toEqual([
        { name: "admin", online: false },
        { name: "alice", online: true },
      ]);
    });

    it("tells the user's other connections about a join or mark-read that moved the marker, and not about one that moved nothing", async () => {
      const tab = await connect(server.url, { name: "reader" });
      const other = await connect(server.url, { name: "reader" });
      const reads = collect<{ room: string; readSeq: number }>(other, "room-read");
      const joined = await call(tab, "join-room", "square");
      await call(await connect(server.url, { token: botToken }), "send-message-to-room", { room: "square", message: "news" });
      const again = await connect(server.url, { name: "reader" });
      const moved = await call(again, "join-room", "square");
      expect(moved.readSeq).toBe(joined.readSeq + 1);
      // Where the unread started: the marker the join found, before it moved it (the New line's place).
      expect(moved.readBefore).toBe(joined.readSeq);
      expect(joined.readBefore).toBe(joined.readSeq);
      await until(() => reads.some((r) => r.readSeq === moved.readSeq), 5000, "room-read after the join that read news");
      const before = reads.length;
      await call(again, "leave-room", "square");
      await call(again, "join-room", "square"); // nothing new: no room-read
      // A mark-read that moves nothing sends none either; one that moves the marker does (the positive control).
      expect(await call(again, "mark-read", { room: "square", seq: moved.readSeq })).toEqual({ readSeq: moved.readSeq });
      expect(await call(again, "mark-read", { room: "square", seq: 1 })).toEqual({ readSeq: moved.readSeq });
      const more = await call(await connect(server.url, { token: botToken }), "send-message-to-room", { room: "square", message: "more news" });
      expect(await call(again, "mark-read", { room: "square", seq: more.message.seq })).toEqual({ readSeq: more.message.seq });
      await until(() => reads.length > before, 5000, "the moving mark-read's room-read");
      expect(reads.slice(before)).toEqual([{ room: "square", readSeq: more.message.seq }]);
    });

    it("writes nothing for a join or mark-read that moves nothing (the membership row keeps its version), and moves the marker when there is news", async () => {
      // xmin: the transaction that wrote the row's current version; any update (even to the same value) changes it.
      const version = async () =>
        (
          await database.query<{ xmin: string; seq: string }>(
            `select m.xmin::text as xmin, m.last_read_seq::text as seq from memberships m
               join users u on u.id = m.user_id join rooms r on r.id = m.room_id where u.name = 'idler' and r.name = 'square'`,
          )
        )[0];
      await call(await connect(server.url, { name: "idler" }), "join-room", "square");
      const first = await version();
      for (let i = 0; i < 3; i++) await call(await connect(server.url, { name: "idler" }), "join-room", "square");
      expect(await version()).toEqual(first);
      await call(await connect(server.url, { token: botToken }), "send-message-to-room", { room: "square", message: "news for idler" });
      const joined = await call(await connect(server.url, { name: "idler" }), "join-room", "square");
      const moved = await version();
      expect(moved.xmin).not.toBe(first.xmin);
      expect(Number(moved.seq)).toBe(joined.readSeq);
      expect(joined.readSeq).toBeGreaterThan(Number(first.seq));
      // mark-read likewise: at or behind the marker, nothing written; ahead of it (up to the newest), written.
      const reader = await connect(server.url, { name: "idler" });
      expect(await call(reader, "mark-read", { room: "square", seq: joined.readSeq })).toEqual({ readSeq: joined.readSeq });
      expect(await call(reader, "mark-read", { room: "square", seq: 0 })).toEqual({ readSeq: joined.readSeq });
      expect(await call(reader, "mark-read", { room: "square", seq: joined.readSeq + 1000 })).toEqual({ readSeq: joined.readSeq });
      expect(await version()).toEqual(moved);
      const news = await call(await connect(server.url, { token: botToken }), "send-message-to-room", { room: "square", message: "more for idler" });
      expect(await call(reader, "mark-read", { room: "square", seq: news.message.seq + 5 })).toEqual({ readSeq: news.message.seq });
      const after = await version();
      expect(after.xmin).not.toBe(moved.xmin);
      expect(Number(after.seq)).toBe(news.message.seq);
    });
  });
}

describe("the handshake's identity cache (one instance)", () => {
  const seen: string[] = [];
  let server: TestServer;
  let admin: string;
  beforeAll(async () => {
    server = await startTestServer({ identityCacheMs: 60_000 }, { wrapDatabase: countingDatabase(seen) });
    admin = await setupAdmin(server);
  }, 90_000);
  afterAll(() => server.close());

  const statementsOf = (action: () => Promise<unknown>) => countStatements(seen, action);
  const asCookie = (cookie: string) => connect(server.url, {}, { extraHeaders: { cookie, origin: server.url } });
  const newBot = async (name: string) => (await api(server, "/api/admin/bots", { body: { name }, cookie: admin })).body.token as string;
  const signIn = async (name: string) => {
    await joinAs(server, admin, name);
    return (await api(server, "/api/session", { body: { name, password: `password-${name}` } })).cookie!;
  };

  it("connects again with the same bot token or session in no round trip", async () => {
    const token = await newBot("cachebot");
    expect(await statementsOf(async () => caughtUp(await connect(server.url, { token })))).toHaveLength(1);
    expect(await statementsOf(async () => caughtUp(await connect(server.url, { token })))).toEqual([]);
    const cookie = await signIn("carla");
    expect(await statementsOf(async () => caughtUp(await asCookie(cookie)))).toHaveLength(1);
    expect(await statementsOf(async () => caughtUp(await asCookie(cookie)))).toEqual([]);
  });

  it("refuses a signed-out session at once though it was cached", async () => {
    const cookie = await signIn("sofia");
    await asCookie(cookie);
    expect(await statementsOf(() => asCookie(cookie))).toEqual([]); // cached
    expect((await api(server, "/api/session", { method: "DELETE", cookie })).status).toBe(204);
    await expect(asCookie(cookie)).rejects.toThrow("unauthorized");
  });

  it("refuses a deactivated account's session and a deactivated bot's token at once though they were cached", async () => {
    const cookie = await signIn("mallory");
    const token = await newBot("roguebot");
    for (const open of [() => asCookie(cookie), () => connect(server.url, { token })]) {
      await open();
      expect(await statementsOf(open)).toEqual([]); // cached
    }
    expect((await api(server, "/api/admin/users/mallory/deactivate", { method: "POST", cookie: admin })).status).toBe(200);
    expect((await api(server, "/api/admin/users/roguebot/deactivate", { method: "POST", cookie: admin })).status).toBe(200);
    await expect(asCookie(cookie)).rejects.toThrow("unauthorized");
    await expect(connect(server.url, { token })).rejects.toThrow("unauthorized");
  });

  it("reconnects without a round trip into the watch lists of rooms joined, added to and removed from since it was cached", async () => {
    const cookie = await signIn("petra");
    const owner = await connect(server.url, { token: await newBot("roombot") });
    await call(owner, "create-room", { name: "vault", private: true });
    await call(owner, "join-room", "plaza");
    const first = await asCookie(cookie);
    await caughtUp(first); // petra's identity is cached now, with no rooms
    await call(first, "join-room", "plaza");
    await call(owner, "add-member", { room: "vault", name: "petra" });
    first.disconnect();
    let again!: Socket;
    expect(await statementsOf(async () => caughtUp((again = await asCookie(cookie))))).toEqual([]);
    const activity = collect<{ room: string }>(again, "room-activity");
    await call(owner, "send-message-to-room", { room: "vault", message: "added" });
    await call(owner, "send-message-to-room", { room: "plaza", message: "joined" });
    await until(() => ["vault", "plaza"].every((r) => activity.some((a) => a.room === r)), 5000, "room-activity for vault and plaza");

    await call(owner, "remove-member", { room: "vault", name: "petra" });
    again.disconnect();
    let third!: Socket;
    expect(await statementsOf(async () => caughtUp((third = await asCookie(cookie))))).toEqual([]);
    const later = collect<{ room: string }>(third, "room-activity");
    await call(owner, "send-message-to-room", { room: "vault", message: "secret" });
    await call(owner, "send-message-to-room", { room: "plaza", message: "control" }); // still watched: the positive control
    await until(() => later.some((a) => a.room === "plaza"), 5000, "room-activity for plaza");
    expect(later.filter((a) => a.room === "vault")).toEqual([]);
  });
});

roundTrips("PGlite");
if (process.env.DATABASE_URL) roundTrips("PostgreSQL");
else process.stdout.write("skipping database round trips on PostgreSQL: DATABASE_URL is not set\n");
