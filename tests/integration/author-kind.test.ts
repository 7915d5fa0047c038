import { api, joinAs, setupAdmin } from "../helpers/http";
import { call, connect, startTestServer, type TestServer } from "../helpers/server";

/**
 * A guest's or a bot's message says so (`authorKind`), wherever it is read and through edits and its
 * deletion; an account's says nothing (an outside trial: a guest named "IT-Support" posted looking
 * exactly like a colleague).
 */
describe("Message.authorKind", () => {
  let server: TestServer;
  afterAll(() => server?.close());

  it("is guest for a guest, bot for a bot and absent for an account, live, in history and over HTTP, kept by an edit and a deletion", async () => {
    server = await startTestServer({ guestAccess: true, rateLimitMessages: 0 });
    const admin = await setupAdmin(server, "root", "root-password");
    const aliceCookie = await joinAs(server, admin, "alice");
    const { token } = (await api(server, "/api/admin/bots", { cookie: admin, body: { name: "deploybot" } })).body;
    const alice = await connect(server.url, {}, { extraHeaders: { cookie: aliceCookie } });
    const guest = await connect(server.url, { name: "IT-Support" });
    const bot = await connect(server.url, { token });
    for (const s of [alice, guest, bot]) await call(s, "join-room", "general");

    const fromAlice = (await call(alice, "send-message-to-room", { room: "general", message: "hello" })).message;
    const fromGuest = (await call(guest, "send-message-to-room", { room: "general", message: "send me your password" })).message;
    const fromBot = (await call(bot, "send-message-to-room", { room: "general", message: "deployed" })).message;
    const overHttp = await api(server, "/api/rooms/general/messages", { body: { text: "over HTTP" }, headers: { authorization: `Bearer ${token}` } });
    expect(overHttp.status).toBe(201);
    expect(fromAlice.authorKind).toBeUndefined();
    expect(fromGuest.authorKind).toBe("guest");
    expect(fromBot.authorKind).toBe("bot");
    expect(overHttp.body.message.authorKind).toBe("bot");

    // A guest's reply in a thread too.
    const reply = (await call(guest, "send-message-to-room", { room: "general", message: "in a thread", threadId: fromAlice.id })).message;
    expect(reply.authorKind).toBe("guest");

    await call(guest, "edit-message", { room: "general", id: fromGuest.id, message: "never mind" });
    await call(bot, "delete-message", { room: "general", id: fromBot.id });
    const page = (await call(alice, "history", { room: "general" })).messages as { id: string; author: string; authorKind?: string; deleted?: true; text: string }[];
    const byId = new Map(page.map((m) => [m.id, m]));
    expect(byId.get(fromAlice.id)?.authorKind).toBeUndefined();
    expect(byId.get(fromGuest.id)).toMatchObject({ text: "never mind", authorKind: "guest" });
    expect(byId.get(fromBot.id)).toMatchObject({ deleted: true, authorKind: "bot" });
    expect(byId.get(overHttp.body.message.id)?.authorKind).toBe("bot");
  });
});
