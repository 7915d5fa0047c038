/**
 * A new room's name may not start with "#" or "@" (or a look-alike): over the socket API a room
 * "#general" could be made beside general (an outside trial); the room list showed "##general" beside
 * "#general", and general's own address `/rooms/%23general` opened the copy. "@bob" read as bob's DM.
 */
import { setupAdmin } from "../helpers/http";
import { call, connect, request, startTestServer, type TestServer } from "../helpers/server";

let server: TestServer;
let admin: string;
beforeAll(async () => {
  server = await startTestServer({ rateLimitMessages: 0 });
  admin = await setupAdmin(server, "root", "root-password");
});
afterAll(() => server.close());

const refusal = { ok: false, error: { code: "bad_request", reason: "name_reserved" } };

describe("a room's name starting with a room's or a person's sign", () => {
  it.each(["#general", "＃general", "﹟general", "#plans", "@bob", "＠bob", "﹫bob", " #general"])("%j is refused, by create-room and by join-room of a new name", async (name) => {
    const socket = await connect(server.url, {}, { extraHeaders: { cookie: admin } });
    expect(await request(socket, "create-room", { name })).toMatchObject(refusal);
    expect(await request(socket, "create-room", { name, private: true })).toMatchObject(refusal);
    expect(await request(socket, "join-room", name)).toMatchObject(refusal);
    const rooms: { name: string }[] = (await call(socket, "list-rooms")).rooms;
    expect(rooms.map((r) => r.name).filter((n) => /^[#＃﹟@＠﹫]/.test(n))).toEqual([]);
    socket.disconnect();
  });

  it("leaves a sign inside a name, and a sign that is no look-alike (♯), alone", async () => {
    const socket = await connect(server.url, {}, { extraHeaders: { cookie: admin } });
    expect(await request(socket, "create-room", { name: "c#-team" })).toMatchObject({ ok: true });
    expect(await request(socket, "create-room", { name: "ops@night" })).toMatchObject({ ok: true });
    expect(await request(socket, "create-room", { name: "♯music" })).toMatchObject({ ok: true });
    socket.disconnect();
  });
});
