/**
 * An administrator resets the password of an account whose owner lost it: a new random password, shown
 * once; the old one stops working, every session of the account ends and its live connections close.
 */
import { api, joinAs, setupAdmin } from "../helpers/http";
import { connect, startTestServer, until, type TestServer } from "../helpers/server";

describe("POST /api/admin/users/:name/reset-password", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  }, 60_000);
  afterAll(() => server.close());

  it("gives the account a new password, ends its sessions and closes its connections; only for others' accounts, by an admin", async () => {
    const admin = await setupAdmin(server, "root", "root-password-1");
    const dana = await joinAs(server, admin, "dana", "dana-password-1");
    const other = await api(server, "/api/session", { body: { name: "dana", password: "dana-password-1" } });
    expect(other.status).toBe(200);
    const socket = await connect(server.url, {}, { extraHeaders: { cookie: dana, origin: server.url } });
    expect((await api(server, "/api/notifications/levels", { cookie: dana })).status).toBe(200);

    // Not for a member, not for yourself, not for a name no account has (a bot has no password).
    expect((await api(server, "/api/admin/users/root/reset-password", { method: "POST", cookie: dana })).status).toBe(403);
    expect(await api(server, "/api/admin/users/root/reset-password", { method: "POST", cookie: admin })).toMatchObject({ status: 400, body: { error: { reason: "self_reset" } } });
    expect((await api(server, "/api/admin/users/nobody/reset-password", { method: "POST", cookie: admin })).status).toBe(404);
    expect((await api(server, "/api/admin/bots", { cookie: admin, body: { name: "helper-bot" } })).status).toBe(201);
    expect((await api(server, "/api/admin/users/helper-bot/reset-password", { method: "POST", cookie: admin })).status).toBe(404);
    // Nothing changed for dana so far.
    expect(socket.connected).toBe(true);
    expect((await api(server, "/api/notifications/levels", { cookie: other.cookie! })).status).toBe(200);

    const reset = await api(server, "/api/admin/users/DANA/reset-password", { method: "POST", cookie: admin });
    expect(reset.status).toBe(200);
    expect(reset.body.user).toEqual({ name: "dana", kind: "user", admin: false, deactivated: false });
    expect(reset.body.password).toMatch(/^[A-Za-z2-9]{16}$/);

    await until(() => !socket.connected, 5000, "dana's socket to close");
    for (const cookie of [dana, other.cookie!]) expect((await api(server, "/api/notifications/levels", { cookie })).status).toBe(401);
    expect((await api(server, "/api/session", { body: { name: "dana", password: "dana-password-1" } })).status).toBe(401);
    const signedIn = await api(server, "/api/session", { body: { name: "dana", password: reset.body.password } });
    expect(signedIn.status).toBe(200);
    // The admin's own session is untouched.
    expect((await api(server, "/api/admin/users", { cookie: admin })).status).toBe(200);
  });
});
