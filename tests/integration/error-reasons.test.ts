/**
 * A refusal says which rule refused (`reason`), which request field it is about (`field`) and the rule's
 * number (`limit`), over HTTP and in Socket.IO acknowledgements alike (docs/protocol.md,
 * "Acknowledgements"): what the web client translates and points its forms at.
 */
import { api, joinAs, setupAdmin } from "../helpers/http";
import { connect, request, startTestServer, type TestServer } from "../helpers/server";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ messageMaxChars: 10 });
});
afterAll(() => server.close());

const error = async (path: string, opts: Parameters<typeof api>[2]) => {
  const res = await api(server, path, opts);
  return { status: res.status, ...res.body.error };
};

describe("refusals name their rule and field", () => {
  it("on the account pages' requests", async () => {
    // Four emoji are eight UTF-16 units but four code points: the server's count.
    expect(await error("/api/setup", { body: { name: "root", password: "😀😀😀😀" } })).toEqual({
      status: 400, code: "bad_request", message: "password must be at least 8 characters", reason: "password_too_short", field: "password", limit: 8,
    });
    expect(await error("/api/setup", { body: { name: "r".repeat(33), password: "long enough" } })).toMatchObject({
      status: 400, code: "bad_request", reason: "name_too_long", field: "name", limit: 32,
    });
    expect(await error("/api/setup", { body: { name: "\u200b", password: "long enough" } })).toMatchObject({ status: 400, reason: "name_invisible", field: "name" });
    const admin = await setupAdmin(server, "root", "root-password-1");
    expect(await error("/api/setup", { body: { name: "other", password: "long enough" } })).toMatchObject({ status: 409, code: "conflict", reason: "setup_done" });
    expect((await error("/api/setup", { body: { name: "other", password: "long enough" } })).field).toBeUndefined();

    expect(await error("/api/join/not-the-code", { body: { name: "dana", password: "long enough" } })).toMatchObject({ status: 404, reason: "join_link_invalid" });
    const { body } = await api(server, "/api/admin/join-code", { cookie: admin });
    expect(await error(`/api/join/${body.code}`, { body: { name: "ROOT", password: "long enough" } })).toMatchObject({
      status: 409, code: "conflict", reason: "name_taken", field: "name",
    });

    expect(await error("/api/session", { body: { name: "root", password: "not it at all" } })).toEqual({
      status: 401, code: "unauthorized", message: "wrong name or password", reason: "wrong_credentials", field: "password",
    });

    const dana = await joinAs(server, admin, "dana", "dana-password-1");
    expect(await error("/api/account/password", { method: "PUT", cookie: dana, body: { current: "not it", password: "another-password" } })).toMatchObject({
      status: 401, reason: "wrong_password", field: "current",
    });
    expect(await error("/api/account/password", { method: "PUT", cookie: dana, body: { current: "dana-password-1", password: "short" } })).toMatchObject({
      status: 400, reason: "password_too_short", field: "password", limit: 8,
    });
    expect(await error("/api/account/name", { method: "PUT", cookie: dana, body: { name: "Root" } })).toMatchObject({ status: 409, reason: "name_taken", field: "name" });
    expect(await error("/api/admin/users/root/deactivate", { method: "POST", cookie: admin })).toMatchObject({ status: 400, reason: "self_deactivation" });
  });

  it("in acknowledgements, and keep to code and message where no rule says more", async () => {
    const admin = await api(server, "/api/session", { body: { name: "root", password: "root-password-1" } });
    const socket = await connect(server.url, {}, { extraHeaders: { cookie: admin.cookie! } });
    expect(await request(socket, "send-message-to-room", { room: "general", message: "far too long for ten" })).toEqual({
      ok: false, error: { code: "too_large", message: "message must be at most 10 characters", reason: "text_too_long", limit: 10 },
    });
    expect(await request(socket, "send-message-to-room", { room: "general", message: 5 })).toEqual({
      ok: false, error: { code: "bad_request", message: "message must be a string" },
    });
    expect(await request(socket, "open-dm", { name: "nobody" })).toMatchObject({ ok: false, error: { code: "not_found", reason: "no_such_account" } });
    expect(await request(socket, "open-dm", { name: "root" })).toMatchObject({ ok: false, error: { code: "bad_request", reason: "self_dm" } });
    expect(await request(socket, "create-room", { name: ".." })).toMatchObject({ ok: false, error: { code: "bad_request", reason: "name_reserved" } });
    expect(await request(socket, "create-room", { name: "plans", private: true })).toMatchObject({ ok: true });
    expect(await request(socket, "create-room", { name: "PLANS", private: true })).toMatchObject({ ok: false, error: { code: "conflict", reason: "name_taken" } });
  });
});
