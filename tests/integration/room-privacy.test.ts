import { api, joinAs, setupAdmin } from "../helpers/http";
import { call, connect, request, startTestServer, type TestServer } from "../helpers/server";

/**
 * A non-member of a private room or DM gets `forbidden` (the wire contract) and learns nothing else: the
 * answer is the same for every private room and for every DM of others, whether that DM exists or not.
 */
describe("private rooms and DMs refuse non-members alike, revealing nothing", () => {
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
    // Another private room, of another size, with other members and more messages.
    await call(alice, "create-room", { name: "war-room", private: true });
    await call(alice, "add-member", { room: "war-room", name: "bob" });
    for (let i = 0; i < 3; i++) await call(alice, "send-message-to-room", { room: "war-room", message: `plan ${i}` });
    dmName = (await call(alice, "open-dm", { name: "bob" })).room.name;
    await call(alice, "send-message-to-room", { room: dmName, message: "just us" });
    alice.disconnect();
  }, 90_000); // boots a server and signs people in (argon2): slow on a busy machine
  afterAll(() => server.close());

  /** The answers `eve` gets for each verb on `room`, with the room's name blanked out. */
  async function answers(room: string) {
    const eve = await as(cookies.eve);
    const acks = [
      await request(eve, "join-room", room),
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

  it("answers every verb on a private room with forbidden (HTTP 403), the same for every private room", async () => {
    const vault = await answers("vault");
    expect(vault).toEqual(await answers("war-room"));
    expect(vault.post.status).toBe(403);
    for (const ack of vault.acks) expect(ack).toEqual({ ok: false, error: { code: "forbidden", message: "you are not a member of this room" } });
    expect(JSON.stringify(vault)).not.toMatch(/secret|alice|bob|vault/);
  });

  it("answers every verb on someone else's DM exactly as on a DM of others that does not exist", async () => {
    const [, lo, hi] = dmName.split(":");
    const hidden = await answers(dmName);
    for (const unused of [`dm:${lo}:${BigInt(hi) + 1000n}`, "dm:1:2", "dm:x", "DM:1:2"]) expect(await answers(unused)).toEqual(hidden);
    expect(hidden.post.status).toBe(403);
    for (const ack of hidden.acks) expect(ack).toMatchObject({ ok: false, error: { code: "forbidden" } });
  });

  it("creates no room for a DM name and still creates a public room for any other unknown name", async () => {
    const eve = await as(cookies.eve);
    expect((await call(eve, "join-room", "brand-new")).room).toMatchObject({ name: "brand-new", kind: "public" });
    const rooms = (await call(eve, "list-rooms")).rooms.map((r: { name: string }) => r.name);
    expect(rooms).toContain("brand-new");
    expect(rooms.filter((n: string) => n.toLowerCase().startsWith("dm:"))).toEqual([]);
    // A room that does not exist is not_found for the verbs that do not create.
    expect(await request(eve, "history", { room: "no-such-room" })).toEqual({ ok: false, error: { code: "not_found", message: 'no room named "no-such-room"' } });
    eve.disconnect();
  });

  it("lets members in", async () => {
    const alice = await as(cookies.alice);
    expect((await call(alice, "join-room", "vault")).messages.map((m: { text: string }) => m.text)).toEqual(["secret"]);
    const bob = await as(cookies.bob);
    expect((await call(bob, "join-room", dmName)).messages.map((m: { text: string }) => m.text)).toEqual(["just us"]);
    alice.disconnect();
    bob.disconnect();
  });
});

/**
 * Only members add members to a private room, so one left with nobody in it could never be entered again
 * and its name would stay taken: its last member cannot leave (a "Remove" next to your own name in the
 * members panel did exactly that with one click).
 */
describe("the last member of a private room cannot leave it", () => {
  let server: TestServer;
  let cookies: Record<string, string>;
  const as = (cookie: string) => connect(server.url, {}, { extraHeaders: { cookie, origin: server.url } });
  beforeAll(async () => {
    server = await startTestServer();
    const admin = await setupAdmin(server);
    cookies = { admin };
    for (const name of ["alice", "bob"]) cookies[name] = await joinAs(server, admin, name);
  }, 90_000);
  afterAll(() => server.close());

  it("refuses the only member's leaving with conflict (last_member) and keeps them in", async () => {
    const alice = await as(cookies.alice);
    await call(alice, "create-room", { name: "solo", private: true });
    expect(await request(alice, "remove-member", { room: "solo", name: "alice" })).toEqual({
      ok: false,
      error: expect.objectContaining({ code: "conflict", reason: "last_member" }),
    });
    await call(alice, "send-message-to-room", { room: "solo", message: "still here" });
    alice.disconnect();
  });

  it("lets a member leave while someone stays, and then refuses the one who is left", async () => {
    const alice = await as(cookies.alice);
    const bob = await as(cookies.bob);
    await call(alice, "create-room", { name: "pair", private: true });
    await call(alice, "add-member", { room: "pair", name: "bob" });
    await call(alice, "remove-member", { room: "pair", name: "alice" });
    expect(await request(alice, "join-room", "pair")).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await request(bob, "remove-member", { room: "pair", name: "bob" })).toMatchObject({ ok: false, error: { code: "conflict", reason: "last_member" } });
    await call(bob, "send-message-to-room", { room: "pair", message: "mine now" });
    alice.disconnect();
    bob.disconnect();
  });

  it("lets only one of two members who leave at the same moment go", async () => {
    const alice = await as(cookies.alice);
    const bob = await as(cookies.bob);
    await call(alice, "create-room", { name: "race", private: true });
    await call(alice, "add-member", { room: "race", name: "bob" });
    const acks = await Promise.all([
      request(alice, "remove-member", { room: "race", name: "alice" }),
      request(bob, "remove-member", { room: "race", name: "bob" }),
    ]);
    expect(acks.filter((a) => a.ok)).toHaveLength(1);
    expect(acks.filter((a) => !a.ok)).toEqual([expect.objectContaining({ error: expect.objectContaining({ reason: "last_member" }) })]);
    alice.disconnect();
    bob.disconnect();
  });
});
