/**
 * Two administrators taking each other's rights at the same moment: an install must keep an active
 * administrator whatever the timing. Each request is checked against the rights its author has when
 * the change is made (in its transaction, the administrators locked), not when the request began.
 * On PostgreSQL (concurrent transactions) and PGlite (one connection).
 */
import { api, joinAs, setupAdmin } from "../helpers/http";
import { Client } from "pg";
import { freshPostgresUrl, startTestServer, until, type TestServer } from "../helpers/server";

const servers: TestServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function twoAdmins(databaseUrl?: string) {
  const server = await startTestServer({ databaseUrl, rateLimitMessages: 0 });
  servers.push(server);
  const ann = await setupAdmin(server, "ann");
  const ben = await joinAs(server, ann, "ben");
  expect((await api(server, "/api/admin/users/ben/promote", { method: "POST", cookie: ann })).status).toBe(200);
  return { server, ann, ben };
}

/** Whether some session waits for a lock `client`'s transaction holds (other suites' waits do not count). */
const blocksSomeone = async (client: Client) =>
  (await client.query("select 1 from pg_stat_activity where pg_backend_pid() = any(pg_blocking_pids(pid))")).rowCount! > 0;

/** The accounts that are administrators and may still sign in. */
const activeAdmins = async (server: TestServer) =>
  (await server.db.query<{ name: string }>("select name from users where is_admin and deactivated_at is null order by name")).map((r) => r.name);

/** Each database, and how many times each pair of requests is raced there (a PGlite server takes seconds to start). */
const databases: [string, () => Promise<string | undefined>, number][] = [
  ["PGlite", async () => undefined, 1],
  ["PostgreSQL", freshPostgresUrl, 5],
];

describe.each(databases)("administrators on %s", (_db, url, rounds) => {
  it.each([
    ["demote", "demote"],
    ["deactivate", "deactivate"],
    ["demote", "deactivate"],
  ])("keep one when each of two does '%s' / '%s' to the other at once", async (first, second) => {
    for (let round = 0; round < rounds; round++) {
      const { server, ann, ben } = await twoAdmins(await url());
      const [a, b] = await Promise.all([
        api(server, `/api/admin/users/ben/${first}`, { method: "POST", cookie: ann }),
        api(server, `/api/admin/users/ann/${second}`, { method: "POST", cookie: ben }),
      ]);
      const left = await activeAdmins(server);
      expect(left).toHaveLength(1);
      // Exactly one of the two requests changed something; the other was refused as its author's rights had
      // gone: 403 (not_admin when the change was under way, "admins only" when it had not begun), or 401
      // when its author's session had ended with a deactivation before the request was read.
      const [done, refused] = a.status === 200 ? [a, b] : [b, a];
      expect(done.status).toBe(200);
      expect([401, 403]).toContain(refused.status);
      expect(refused.body.error.code).toBe(refused.status === 401 ? "unauthorized" : "forbidden");
      await server.close();
      servers.splice(servers.indexOf(server), 1);
    }
  }, 120_000);
});

/**
 * An administrator demoted or deactivated while their password reset is under way (argon2 takes a
 * while) must not be handed the other account's password: with it they would sign in as an
 * administrator again. The demotion is held uncommitted by a connection of the test's until the reset
 * waits for it (or, without the check, has finished), so the timing is the same every run. PostgreSQL only.
 */
describe("a password reset by an administrator demoted meanwhile", () => {
  const base = process.env.DATABASE_URL;
  (base ? it.each : it.skip.each)([
    ["demoted", "update users set is_admin = false where name = 'ben'"],
    ["deactivated", "update users set deactivated_at = now() where name = 'ben'"],
  ])("is refused when the author was %s before it was made", async (_what, change) => {
    const url = await freshPostgresUrl();
    const { server, ben } = await twoAdmins(url);
    const hashOf = async (name: string) => (await server.db.query<{ h: string }>("select password_hash as h from users where name = $1", [name]))[0]!.h;
    const before = await hashOf("ann");
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      await client.query("begin");
      await client.query(change);
      let answered = false;
      const reset = api(server, "/api/admin/users/ann/reset-password", { method: "POST", cookie: ben }).finally(() => {
        answered = true;
      });
      // Either the reset waits for the demotion's lock (ours: other suites' waits do not count), or
      // (without the check) it has already answered.
      await until(async () => answered || (await blocksSomeone(client)), 20_000);
      await client.query("commit");
      const res = await reset;
      expect([res.status, res.body.error?.code, res.body.password]).toEqual([403, "forbidden", undefined]);
      expect(await hashOf("ann")).toBe(before);
    } finally {
      await client.end();
    }
  }, 60_000);
});

/**
 * The other changes an administrator makes — a new join link, a bot (with its token), the guest-access
 * switch, an announcement to everyone — are made only by one still an administrator when the change is made, as the password reset
 * above: a request that arrived before its author was demoted or deactivated, and waited, is refused and
 * changes nothing. The demotion is held uncommitted by the test's own connection. PostgreSQL only.
 */
describe("an administrator's other changes, demoted or deactivated meanwhile", () => {
  const base = process.env.DATABASE_URL;
  const setting = async (server: TestServer, key: string) =>
    (await server.db.query<{ value: string }>("select value from settings where key = $1", [key]))[0]?.value ?? null;
  const changes: [string, (s: TestServer, cookie: string) => Promise<{ status: number; body: any }>, (s: TestServer) => Promise<unknown>][] = [
    ["a new join link", (s, cookie) => api(s, "/api/admin/join-code", { method: "POST", cookie }), (s) => setting(s, "join_code")],
    ["a bot", (s, cookie) => api(s, "/api/admin/bots", { cookie, body: { name: "night-bot" } }), async (s) => (await s.db.query("select name from users where kind = 'bot'")).length],
    ["guest access off", (s, cookie) => api(s, "/api/admin/settings", { method: "PUT", cookie, body: { guestAccess: false } }), (s) => setting(s, "guest_access")],
    [
      "an announcement",
      (s, cookie) => api(s, "/api/admin/announcements", { cookie, body: { message: "Office closed tomorrow" } }),
      async (s) => (await s.db.query("select 1 from notifications where type = 'system'")).length,
    ],
    [
      "an announcement with nobody else to tell",
      async (s, cookie) => {
        // ann, the only other account, is gone: the announcement reaches nobody (not its author), and is still judged.
        await s.db.query("update users set deactivated_at = now() where name = 'ann'");
        return api(s, "/api/admin/announcements", { cookie, body: { message: "Anyone there?" } });
      },
      async (s) => (await s.db.query("select 1 from notifications where type = 'system'")).length,
    ],
  ];
  const cases = changes.flatMap(([what, request, state]) => [
    [what, "demoted", "update users set is_admin = false where name = 'ben'", request, state] as const,
    [what, "deactivated", "update users set deactivated_at = now() where name = 'ben'", request, state] as const,
  ]);
  (base ? it.each : it.skip.each)(cases)("refuses %s by one %s before it was made", async (_what, _how, change, request, state) => {
    const url = await freshPostgresUrl();
    const { server, ben } = await twoAdmins(url);
    const before = await state(server);
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      await client.query("begin");
      await client.query(change);
      let answered = false;
      const made = request(server, ben).finally(() => {
        answered = true;
      });
      // Either the change waits for the demotion's lock (ours), or (without the check) it has already answered.
      await until(async () => answered || (await blocksSomeone(client)), 20_000);
      await client.query("commit");
      const res = await made;
      expect([res.status, res.body.error?.code, res.body.error?.reason]).toEqual([403, "forbidden", "not_admin"]);
      expect(res.body.token).toBeUndefined();
      expect((await server.db.query("select 1 from push_queue")).length).toBe(0);
      expect(res.body.code).toBeUndefined();
      expect(await state(server)).toEqual(before);
    } finally {
      await client.end();
    }
  }, 60_000);
});

/**
 * An announcement (by another administrator: its author is not told) and an ordinary notification to an
 * administrator at the same moment. The notification store takes the person's notification lock, then
 * inserts (whose foreign-key check shares the person's row). An announcement that held every administrator's row for update while it waited for the same
 * notification lock deadlocked with it: PostgreSQL aborted one, losing the announcement or the other
 * notification. The announcement now shares its author's row only. Here the test's transaction is the
 * other store: the person's notification lock, then (once the announcement waits for it) its insert.
 */
describe("an announcement beside another notification to an administrator", () => {
  const base = process.env.DATABASE_URL;
  const NOTIFY_LOCK_CLASS = 0x6e6f74;
  (base ? it : it.skip)("both are stored: neither waits for the other's lock in a cycle", async () => {
    const url = await freshPostgresUrl();
    const { server, ann, ben } = await twoAdmins(url);
    const [{ id: annId }] = await server.db.query<{ id: string }>("select id::text as id from users where name = 'ann'");
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      await client.query("begin");
      await client.query("select pg_advisory_xact_lock($1, ($2::bigint % 2147483647)::int)", [NOTIFY_LOCK_CLASS, annId]);
      let answered = false;
      const announced = api(server, "/api/admin/announcements", { cookie: ben, body: { message: "Fire drill at noon" } }).finally(() => {
        answered = true;
      });
      await until(async () => answered || (await blocksSomeone(client)), 20_000);
      // The other store's insert, naming ann (its foreign key shares her row): it must not wait for the announcement.
      await client.query("set local lock_timeout = '5s'");
      await client.query("insert into notifications (user_id, type, message) values ($1, 'dm', 'lunch?')", [annId]);
      await client.query("commit");
      const res = await announced;
      expect(res.status).toBe(202);
      const rows = await server.db.query<{ type: string }>("select type from notifications where user_id = $1 order by id", [annId]);
      expect(rows.map((r) => r.type)).toEqual(["dm", "system"]);
    } finally {
      await client.query("rollback").catch(() => undefined);
      await client.end();
    }
  }, 60_000);
});
