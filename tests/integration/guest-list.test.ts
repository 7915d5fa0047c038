/**
 * The admin's list of guests (`GET /api/admin/guests`) and banning one from it: guests are not in
 * `GET /api/admin/users`, so until now a guest could be banned only by typing its name to the API (an
 * outside trial). The list is the admins' alone, as its siblings are.
 */
import { pruneIdleGuests } from "../../lib/chat/users";
import { api, joinAs, setupAdmin } from "../helpers/http";
import { connect, startTestServer, until, type TestServer } from "../helpers/server";

let server: TestServer;
let admin: string;
beforeAll(async () => {
  server = await startTestServer({ guestAccess: true });
  admin = await setupAdmin(server, "owner");
});
afterAll(() => server.close());

const guests = async () => (await api(server, "/api/admin/guests", { cookie: admin })).body.guests as { name: string; since: string; lastSeen: string; deactivated: boolean }[];

describe("GET /api/admin/guests", () => {
  it("lists the guests with when they came and were last seen, not accounts or guests whose name became an account's", async () => {
    const before = Date.now() - 60_000;
    await connect(server.url, { name: "visitor" });
    await connect(server.url, { name: "later" });
    await joinAs(server, admin, "later");
    await joinAs(server, admin, "alice");
    const list = await guests();
    expect(list.map((g) => g.name)).toEqual(["visitor"]);
    const [visitor] = list;
    expect(visitor.deactivated).toBe(false);
    for (const when of [visitor.since, visitor.lastSeen]) {
      expect(new Date(when).toISOString()).toBe(when);
      expect(Date.parse(when)).toBeGreaterThan(before);
    }
  });

  it("is for admins only: 401 without credentials, 403 for a member", async () => {
    expect((await api(server, "/api/admin/guests")).status).toBe(401);
    const alice = (await api(server, "/api/session", { body: { name: "alice", password: "password-alice" } })).cookie!;
    expect((await api(server, "/api/admin/guests", { cookie: alice })).status).toBe(403);
  });

  it("lets the admin ban a listed guest: its connection closes, the name is refused, the list says so; lifting the ban lets it back", async () => {
    const visitor = await connect(server.url, { name: "visitor" });
    const walker = await connect(server.url, { name: "walker" });
    const gone = new Promise<void>((resolve) => visitor.once("disconnect", () => resolve()));
    const ban = await api(server, "/api/admin/guests/visitor/deactivate", { method: "POST", cookie: admin });
    expect(ban.body.user).toMatchObject({ name: "visitor", kind: "guest", deactivated: true });
    await gone;
    await expect(connect(server.url, { name: "visitor" })).rejects.toThrow("this name is banned");
    expect((await guests()).find((g) => g.name === "visitor")?.deactivated).toBe(true);
    // Positive control: the other guest stays.
    expect(walker.connected).toBe(true);
    expect((await guests()).find((g) => g.name === "walker")?.deactivated).toBe(false);
    expect((await api(server, "/api/admin/guests/visitor/activate", { method: "POST", cookie: admin })).status).toBe(200);
    await until(async () => (await connect(server.url, { name: "visitor" }).then((s) => s.connected, () => false)), 5000, "visitor back");
  });
});

// From an outside trial: the list's Ban went by name to /users/:name/deactivate, so a row read before an
// account took the guest's name banned the account (and Lift ban reactivated one).
describe("banning from the guest list", () => {
  it("acts on a guest only: a listed name an account has taken since is refused (409 not_a_guest), and the account is untouched", async () => {
    const guest = await connect(server.url, { name: "Drifter" });
    guest.close();
    expect((await guests()).some((g) => g.name === "Drifter")).toBe(true);
    const drifter = await joinAs(server, admin, "drifter");
    for (const action of ["deactivate", "activate"]) {
      const res = await api(server, `/api/admin/guests/Drifter/${action}`, { method: "POST", cookie: admin });
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ code: "conflict", reason: "not_a_guest" });
    }
    // Still signed in and active.
    expect((await api(server, "/api/session", { cookie: drifter })).body.user).toMatchObject({ name: "drifter" });
    const users = (await api(server, "/api/admin/users", { cookie: admin })).body.users as { name: string; deactivated: boolean }[];
    expect(users.find((u) => u.name === "drifter")?.deactivated).toBe(false);
    expect((await api(server, "/api/admin/guests/nobody-here/deactivate", { method: "POST", cookie: admin })).status).toBe(404);
  });

  it("lists banned guests first, however long ago they were seen, and never prunes them as idle", async () => {
    const banned = await connect(server.url, { name: "troll" });
    banned.close();
    expect((await api(server, "/api/admin/guests/troll/deactivate", { method: "POST", cookie: admin })).status).toBe(200);
    // Seen long ago, others since.
    await server.db.query("update users set last_seen_at = now() - interval '40 days', created_at = now() - interval '40 days' where name = 'troll'");
    const idle = await connect(server.url, { name: "idler" });
    idle.close();
    await server.db.query("update users set last_seen_at = now() - interval '40 days', created_at = now() - interval '40 days' where name = 'idler'");
    const fresh = await connect(server.url, { name: "newcomer" });
    fresh.close();
    const list = await guests();
    const firstActive = list.findIndex((g) => !g.deactivated);
    expect(list.findIndex((g) => g.name === "troll")).toBeLessThan(firstActive);
    expect(list.slice(firstActive).every((g) => !g.deactivated)).toBe(true);
    await pruneIdleGuests(server.db);
    const after = (await guests()).map((g) => g.name);
    expect(after).toContain("troll");
    // Positive control: an idle guest that is not banned goes.
    expect(after).not.toContain("idler");
    await expect(connect(server.url, { name: "troll" })).rejects.toThrow("this name is banned");
  });
});
