import { api, joinAs, setupAdmin } from "../helpers/http";
import { browserKeys, pushWorld, trackPushWorlds } from "../helpers/push";
import { call, connect, startTestServer, until, type TestServer } from "../helpers/server";
import { openStream, type SseMessage } from "../helpers/sse";

/**
 * A notification says when its author is a guest or a bot (`fromKind`), as the message does
 * (`authorKind`): an outside trial connected as a guest named "IT helpdesk", said `@room password expiry:
 * re-enter yours at …`, and every member's notification read "IT helpdesk mentioned you". A guest's
 * `@room` and `@here` notify nobody.
 */
describe("Notification.fromKind", () => {
  let server: TestServer;
  let admin: string;
  let aliceCookie: string;
  let bobCookie: string;
  let token: string;
  afterAll(() => server?.close());

  beforeAll(async () => {
    server = await startTestServer({ guestAccess: true, rateLimitMessages: 0 });
    admin = await setupAdmin(server, "root", "root-password");
    aliceCookie = await joinAs(server, admin, "alice");
    bobCookie = await joinAs(server, admin, "bob");
    token = (await api(server, "/api/admin/bots", { cookie: admin, body: { name: "deploybot" } })).body.token;
  });

  const stream = (cookie: string, extra: Record<string, string> = {}) => openStream(`${server.url}/api/notifications/stream`, { cookie, ...extra });
  const account = (cookie: string) => connect(server.url, {}, { extraHeaders: { cookie, origin: server.url } });
  const notes = (events: SseMessage[]) => events.filter((e) => e.event === "message" && e.data?.type !== "connected").map((e) => e.data);

  it("is guest on a guest's mention, bot on a bot's and absent on an account's, live and in the missed list", async () => {
    const bob = await stream(bobCookie);
    try {
      await until(() => bob.events.length === 1, 3000, "bob's stream connected");
      const connectedId = bob.events[0].id!;
      const alice = await account(aliceCookie);
      const guest = await connect(server.url, { name: "IT helpdesk" });
      const bot = await connect(server.url, { token });
      for (const s of [alice, guest, bot]) await call(s, "join-room", "general");
      await call(guest, "send-message-to-room", { room: "general", message: "@bob password expiry: re-enter yours at http://evil.example/login" });
      await call(bot, "send-message-to-room", { room: "general", message: "@bob deployed" });
      await call(alice, "send-message-to-room", { room: "general", message: "@bob lunch?" });
      await until(() => notes(bob.events).length === 3, 5000, "three mentions on bob's stream");
      const [fromGuest, fromBot, fromAlice] = notes(bob.events);
      expect(fromGuest).toMatchObject({ type: "mention", from: "IT helpdesk", fromKind: "guest" });
      expect(fromBot).toMatchObject({ type: "mention", from: "deploybot", fromKind: "bot" });
      expect(fromAlice).toMatchObject({ type: "mention", from: "alice" });
      expect(fromAlice).not.toHaveProperty("fromKind");

      // What a page that was away is sent when its stream resumes (Last-Event-ID) says it too.
      const replay = await stream(bobCookie, { "last-event-id": connectedId });
      try {
        await until(() => notes(replay.events).length === 3, 5000, "the missed mentions replayed");
        expect(notes(replay.events).map((n) => [n.from, n.fromKind])).toEqual([["IT helpdesk", "guest"], ["deploybot", "bot"], ["alice", undefined]]);
      } finally {
        replay.close();
      }
      for (const s of [alice, guest, bot]) s.disconnect();
    } finally {
      bob.close();
    }
  });

  it("notifies nobody of a guest's @room or @here, and does not highlight it; an account's @room after it does", async () => {
    const aliceSocket = await account(aliceCookie);
    const bobSocket = await account(bobCookie);
    await call(aliceSocket, "create-room", { name: "guestroom" });
    await call(bobSocket, "join-room", "guestroom");
    const bob = await stream(bobCookie);
    try {
      await until(() => bob.events.length === 1, 3000, "bob's stream connected");
      const guest = await connect(server.url, { name: "IT helpdesk" });
      await call(guest, "join-room", "guestroom");
      const text = "@room password expiry: re-enter yours at http://evil.example/login";
      const byGuest = (await call(guest, "send-message-to-room", { room: "guestroom", message: text })).message;
      expect(byGuest.text).toBe(text);
      const here = (await call(guest, "send-message-to-room", { room: "guestroom", message: "@here anyone?" })).message;
      // The positive control: an account's @room in the same room, after the guest's, reaches bob.
      const byAlice = (await call(aliceSocket, "send-message-to-room", { room: "guestroom", message: "@room standup in 5" })).message;
      await until(() => notes(bob.events).length >= 1, 5000, "alice's @room on bob's stream");
      expect(notes(bob.events)).toEqual([expect.objectContaining({ type: "mention", from: "alice", messageId: byAlice.id })]);
      // The page highlights the room-wide word only where it notified the room.
      const lookup = await api(server, `/api/users/mentions?room=guestroom&messages=${[byGuest.id, here.id, byAlice.id].join(",")}`, { cookie: bobCookie });
      expect(lookup.status).toBe(200);
      expect(lookup.body.roomWide).toEqual([byAlice.id]);
      for (const s of [aliceSocket, bobSocket, guest]) s.disconnect();
    } finally {
      bob.close();
    }
  });

  it("still notifies of a guest's @name beside its @room, says it was a guest, and withdraws it when an edit leaves only @room", async () => {
    const bob = await stream(bobCookie);
    try {
      await until(() => bob.events.length === 1, 3000, "bob's stream connected");
      const guest = await connect(server.url, { name: "alícia" });
      await call(guest, "join-room", "general");
      const sent = (await call(guest, "send-message-to-room", { room: "general", message: "@room and @bob: see this" })).message;
      await until(() => notes(bob.events).length === 1, 5000, "the mention on bob's stream");
      const mention = notes(bob.events)[0];
      expect(mention).toMatchObject({ type: "mention", from: "alícia", fromKind: "guest" });
      // A guest's @room calls no one: the edit took bob's name away, and his mention with it.
      await call(guest, "edit-message", { room: "general", id: sent.id, message: "@room: see this" });
      await until(() => bob.events.some((e) => e.event === "dismissed"), 5000, "the mention withdrawn");
      expect(bob.events.find((e) => e.event === "dismissed")!.data).toEqual({ id: mention.id });
      guest.disconnect();
    } finally {
      bob.close();
    }
  });
});

describe("a Web Push of a guest's or a bot's notification", () => {
  const track = trackPushWorlds();

  it("carries fromKind and the word in the browser's language", async () => {
    const { server, endpoint, bob, bobBrowser } = await pushWorld(track, { overrides: { guestAccess: true } });
    const jaBrowser = browserKeys();
    const sub = await api(server, "/api/push/subscriptions", { cookie: bob, body: { endpoint: endpoint.url("/push/bob-ja"), keys: jaBrowser.keys, lang: "ja" } });
    expect(sub.status).toBe(201);
    const guest = await connect(server.url, { name: "IT helpdesk" });
    await call(guest, "join-room", "general");
    await call(guest, "send-message-to-room", { room: "general", message: "@bob re-enter your password" });
    await until(() => endpoint.received.length === 2, 10_000, "the mention's pushes");
    const byPath = new Map(endpoint.received.map((r) => [r.path, r]));
    expect(bobBrowser.decrypt(byPath.get("/push/bob")!.body)).toMatchObject({ type: "mention", from: "IT helpdesk", fromKind: "guest", fromKindText: "guest" });
    expect(jaBrowser.decrypt(byPath.get("/push/bob-ja")!.body)).toMatchObject({ type: "mention", from: "IT helpdesk", fromKind: "guest", fromKindText: "ゲスト" });
    guest.disconnect();
  });
});
