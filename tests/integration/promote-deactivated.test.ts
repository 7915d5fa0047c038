/**
 * A deactivated account is not made an administrator (an outside trial promoted one): reactivated later,
 * it would come back with a role nobody chose for it. The refusal is `409` `conflict` with reason
 * `promote_deactivated`, also when the deactivation commits while the promotion waits for the row; taking
 * the role from a deactivated administrator is still allowed.
 */
import { Client } from "pg";
import { api, joinAs, setupAdmin } from "../helpers/http";
import { freshPostgresUrl, startTestServer, until, type TestServer } from "../helpers/server";

const isAdmin = async (server: TestServer, name: string) =>
  (await server.db.query<{ is_admin: boolean }>("select is_admin from users where name = $1", [name]))[0].is_admin;

describe("promoting a deactivated account", () => {
  let server: TestServer;
  let admin: string;
  beforeAll(async () => {
    server = await startTestServer();
    admin = await setupAdmin(server);
    await joinAs(server, admin, "gone");
    await joinAs(server, admin, "ex");
  });
  afterAll(() => server.close());
  const post = (path: string) => api(server, path, { method: "POST", cookie: admin });

  it("is refused with 409 promote_deactivated and leaves the account a member", async () => {
    expect((await post("/api/admin/users/gone/deactivate")).body.user).toMatchObject({ deactivated: true });
    const res = await post("/api/admin/users/gone/promote");
    expect([res.status, res.body.error?.code, res.body.error?.reason]).toEqual([409, "conflict", "promote_deactivated"]);
    expect(await isAdmin(server, "gone")).toBe(false);
    // Reactivated, it may be promoted as any member.
    await post("/api/admin/users/gone/activate");
    expect((await post("/api/admin/users/gone/promote")).body.user).toMatchObject({ name: "gone", admin: true, deactivated: false });
  });

  it("still lets an administrator take the role from a deactivated administrator", async () => {
    await post("/api/admin/users/ex/promote");
    await post("/api/admin/users/ex/deactivate");
    const res = await post("/api/admin/users/ex/demote");
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ name: "ex", admin: false, deactivated: true });
  });
});

describe("a promotion while the account is being deactivated (PostgreSQL)", () => {
  (process.env.DATABASE_URL ? it : it.skip)("is refused once the deactivation it waited for commits", async () => {
    const url = await freshPostgresUrl();
    const server = await startTestServer({ databaseUrl: url });
    const client = new Client({ connectionString: url });
    try {
      const admin = await setupAdmin(server);
      await joinAs(server, admin, "late");
      await client.connect();
      await client.query("begin");
      await client.query("update users set deactivated_at = now() where name = 'late'");
      let answered = false;
      const made = api(server, "/api/admin/users/late/promote", { method: "POST", cookie: admin }).finally(() => {
        answered = true;
      });
      // The promotion waits for the row the deactivation holds (or, without the check, has answered already).
      await until(
        async () => answered || (await client.query("select 1 from pg_stat_activity where pg_backend_pid() = any(pg_blocking_pids(pid))")).rowCount! > 0,
        20_000,
      );
      await client.query("commit");
      const res = await made;
      expect([res.status, res.body.error?.reason]).toEqual([409, "promote_deactivated"]);
      expect(await isAdmin(server, "late")).toBe(false);
    } finally {
      await client.end().catch(() => {});
      await server.close();
    }
  }, 60_000);
});
