import { api, joinAs, setupAdmin } from "../helpers/http";
import { call, connect, request, startTestServer, type TestServer } from "../helpers/server";

/** What a non-member learns must not depend on whether the private room or DM exists. */
describe("private rooms and DMs are indistinguishable from missing rooms", () => {
  let server: TestServer;
  let cookies: Record<string, string>;
  let dmName: string;
  const as = (cookie: string) => connect(server.url, {}, { extraHeaders: { cookie, origin: server.url } });
  beforeAll(async () => {
    server = await startTestServer();
    const admin = await setupAdmin(server);
    cookies = { admin };
    for (const name of ["alice", "bob", "eve"]) cookies[name] = await joinAs(server, admin, name);
    const alice = await as(cookies.alice);
    await call(alice, "create-room", { name: "vault", private: true });
    await call(alice, "send-message-to-room", { room: "vault", message: "secret" });
    dmName = (await call(alice, "open-dm", { name: "bob" })).room.name;
    await call(alice, "send-message-to-room", { room: dmName, message: "just us" });
    alice.disconnect();
  }, 90_000); // boots a server and signs people in (argon2): slow on a busy machine
  afterAll(() => server.close());

  /** The error `eve` gets for each verb on `room`, with the room's name blanked out. */
  async function answers(room: string) {
    const eve = await as(cookies.eve);
    const acks = [
      await request(eve, "send-message-to-room", { room, message: "hi" }),
      await request(eve, "history", { room }),
      await request(eve, "typing", { room }),
      await request(eve, "add-member", { room, name: "eve" }),
      await request(eve, "remove-member", { room, name: "alice" }),
    ].map((a) => (a.ok ? a : { ...a, error: { ...a.error, message: a.error.message.replace(room, "<room>") } }));
    const post = await api(server, `/api/rooms/${encodeURIComponent(room)}/messages`, { body: { text: "hi" }, cookie: cookies.eve, headers: { origin: server.url } });
    eve.disconnect();
    return { acks, post: { status: post.status, body: { error: { ...post.body.error, message: post.body.error.message.replace(room, "<room>") } } } };
  }

  it("answers every verb on a private room exactly as on a missing one (not_found, HTTP 404)", async () => {
    const hidden = await answers("vault");
    const missing = await answers("no-such-room");
    expect(hidden).toEqual(missing);
    expect(hidden.post.status).toBe(404);
    for (const ack of hidden.acks) expect(ack).toMatchObject({ ok: false, error: { code: "not_found" } });
  });

  it("answers every verb on someone else's DM exactly as on a DM name that does not exist", async () => {
    const [, lo, hi] = dmName.split(":");
    const unused = `dm:${lo}:${BigInt(hi) + 1000n}`;
    const hidden = await answers(dmName);
    expect(hidden).toEqual(await answers(unused));
    expect(hidden.post.status).toBe(404);
  });

  it("answers join-room on someone else's DM exactly as on an unused DM name, and creates neither", async () => {
    const [, lo, hi] = dmName.split(":");
    const eve = await as(cookies.eve);
    const blank = (a: Awaited<ReturnType<typeof request>>, room: string) => (a.ok ? a : { ...a, error: { ...a.error, message: a.error.message.replace(room, "<room>") } });
    for (const unused of [`dm:${lo}:${BigInt(hi) + 1000n}`, "dm:1:2", "dm:x"]) {
      expect(blank(await request(eve, "join-room", dmName), dmName)).toEqual(blank(await request(eve, "join-room", unused), unused));
    }
    expect(await request(eve, "join-room", dmName)).toMatchObject({ ok: false, error: { code: "not_found" } });
    // Positive control: an ordinary unknown name still creates a public room (the tutorial behaviour).
    expect((await call(eve, "join-room", "brand-new")).room).toMatchObject({ name: "brand-new", kind: "public" });
    expect((await call(eve, "list-rooms")).rooms.map((r: { name: string }) => r.name)).not.toContain("dm:1:2");
  });

  it("answers join-room on a private room with not_found, and members still get in", async () => {
    const eve = await as(cookies.eve);
    expect(await request(eve, "join-room", "vault")).toEqual({ ok: false, error: { code: "not_found", message: 'no room named "vault"' } });
    const alice = await as(cookies.alice);
    expect((await call(alice, "join-room", "vault")).messages.map((m: { text: string }) => m.text)).toEqual(["secret"]);
    const bob = await as(cookies.bob);
    expect((await call(bob, "join-room", dmName)).messages.map((m: { text: string }) => m.text)).toEqual(["just us"]);
  });
});
