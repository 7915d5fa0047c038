/**
 * Removed from a private room, a person keeps nothing of what it told them: their notifications about its
 * messages are withdrawn (an open page takes the toasts away, a stream resumed from before replays none
 * of its text) and pushes about them still waiting in the queue are not sent. Other rooms' notifications
 * and the invitation itself stay.
 */
import { joinAs, setupAdmin } from "../helpers/http";
import { refusingPushWorld, trackPushWorlds } from "../helpers/push";
import { call, connect, startTestServer, until, type TestServer } from "../helpers/server";
import { openStream } from "../helpers/sse";
import { pendingPushes } from "../../lib/push/queue";
import { storeNotifications } from "../../lib/notifications/store";

describe("notifications of a room someone was removed from", () => {
  let server: TestServer;
  let admin: string;
  let bob: string;
  beforeAll(async () => {
    server = await startTestServer({ linkPreviews: false, rateLimitMessages: 0 });
    admin = await setupAdmin(server, "admin");
    bob = await joinAs(server, admin, "bob");
  }, 120_000);
  afterAll(() => server.close());

  const stream = (lastEventId?: string) =>
    openStream(`${server.url}/api/notifications/stream`, { cookie: bob, ...(lastEventId ? { "last-event-id": lastEventId } : {}) });

  it("are withdrawn: the toasts go, a resumed stream replays none of the room's text, other rooms' stay", async () => {
    const a = await connect(server.url, {}, { extraHeaders: { cookie: admin, origin: server.url } });
    await call(a, "create-room", { name: "vault", private: true });
    await call(a, "join-room", "vault");
    await call(a, "join-room", "general");
    const live = await stream();
    try {
      await until(() => live.events.some((e) => e.data?.type === "connected"), 5000, "connected");
      const before = live.events[0].id!;
      await call(a, "add-member", { room: "vault", name: "bob" });
      await call(a, "send-message-to-room", { room: "vault", message: "@bob the vault code is 4711" });
      await call(a, "send-message-to-room", { room: "vault", message: "@bob and the backup code is 0815" });
      await call(a, "send-message-to-room", { room: "general", message: "@bob lunch at noon" });
      await until(() => live.events.filter((e) => e.data?.type === "mention").length === 3, 5000, "three mentions");
      const inVault = live.events.filter((e) => e.data?.type === "mention" && e.data.room === "vault").map((e) => e.id);
      expect(inVault).toHaveLength(2);

      await call(a, "remove-member", { room: "vault", name: "bob" });
      // The open page is told to take both toasts away.
      await until(() => live.events.filter((e) => e.event === "dismissed").length === 2, 5000, "the withdrawals");
      expect(live.events.filter((e) => e.event === "dismissed").map((e) => e.data.id).sort()).toEqual([...inVault].sort());

      // Resumed from before it all: the invitation and the other room's mention, nothing of the vault's text.
      const resumed = await stream(before);
      try {
        await until(() => resumed.events.some((e) => e.data?.message === "@bob lunch at noon"), 5000, "the replay");
        expect(resumed.events.filter((e) => e.data?.type === "mention").map((e) => e.data.room)).toEqual(["general"]);
        expect(resumed.events.some((e) => e.data?.type === "invite" && e.data.room === "vault")).toBe(true);
        expect(JSON.stringify(resumed.events)).not.toMatch(/4711|0815/);
      } finally {
        resumed.close();
      }
    } finally {
      live.close();
    }
  });

  it("are not stored by a notifier that chose them before the removal: a late store finds them no member", async () => {
    const a = await connect(server.url, {}, { extraHeaders: { cookie: admin, origin: server.url } });
    await call(a, "create-room", { name: "annex", private: true });
    await call(a, "add-member", { room: "annex", name: "bob" });
    const { message } = await call(a, "send-message-to-room", { room: "annex", message: "the annex key is 9931" });
    await call(a, "remove-member", { room: "annex", name: "bob" });
    const ids = new Map(
      (await server.db.query<{ id: string; name: string }>("select id::text as id, name from users where name in ('admin', 'bob')")).map((u) => [u.name, u.id]),
    );
    // What the notifier stores when it picked its readers (findReaders) before the removal committed.
    const late = { type: "mention" as const, message: "the annex key is 9931", room: "annex", from: "admin", messageId: message.id };
    const stored = await server.db.transaction((tx) => storeNotifications(tx, [ids.get("bob")!, ids.get("admin")!], late));
    // Positive control: the member is stored; the removed one is not.
    expect(stored.map((s) => s.userId)).toEqual([ids.get("admin")]);
    const replay = await stream("0");
    try {
      await until(() => replay.events.some((e) => e.data?.type === "connected"), 5000, "connected");
      await until(() => replay.events.some((e) => e.data?.type === "invite" && e.data.room === "annex"), 5000, "the invitation");
      expect(JSON.stringify(replay.events)).not.toMatch(/9931/);
    } finally {
      replay.close();
    }
  });
});

describe("pushes of a room someone was removed from", () => {
  const track = trackPushWorlds();

  it("are not sent when they were still waiting for a retry; other pushes still are", async () => {
    // The push service refuses every request (429, retry in 2 s) until it is told to accept.
    const w = await refusingPushWorld(track);
    const texts = w.texts;
    await call(w.aliceSocket, "create-room", { name: "vault", private: true });
    await call(w.aliceSocket, "add-member", { room: "vault", name: "bob" });
    await call(w.aliceSocket, "join-room", "vault");
    await w.say("vault", "@bob the vault code is 4711");
    await until(() => texts().some((t) => t.includes("4711")), 10_000, "the first attempt");
    const waiting = await pendingPushes(w.server.db);
    expect(waiting).toBeGreaterThanOrEqual(1);

    await call(w.aliceSocket, "remove-member", { room: "vault", name: "bob" });
    await until(async () => (await pendingPushes(w.server.db)) === waiting - 1, 10_000, "the vault's waiting push to go");
    const attemptsBefore = w.endpoint.received.length;
    w.accept();
    await call(w.aliceSocket, "join-room", "general");
    await w.say("general", "@bob lunch at noon");
    await until(() => texts().includes("@bob lunch at noon"), 10_000, "the later push");
    // Nothing sent after the removal carries the vault's text.
    expect(texts().slice(attemptsBefore).filter((t) => t.includes("4711"))).toEqual([]);
  });
});
