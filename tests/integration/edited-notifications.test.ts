/**
 * An edited message's notifications say its new text: a stream resumed from before the edit replays the
 * new text, not what the author took back, and a push about it still waiting for a retry carries the new
 * text too.
 */
import { joinAs, setupAdmin } from "../helpers/http";
import { refusingPushWorld, trackPushWorlds } from "../helpers/push";
import { call, connect, startTestServer, until, type TestServer } from "../helpers/server";
import { openStream } from "../helpers/sse";
import { pendingPushes } from "../../lib/push/queue";

describe("notifications of an edited message", () => {
  let server: TestServer;
  let admin: string;
  let bob: string;
  beforeAll(async () => {
    server = await startTestServer({ linkPreviews: false, rateLimitMessages: 0 });
    admin = await setupAdmin(server, "admin");
    bob = await joinAs(server, admin, "bob");
  }, 120_000);
  afterAll(() => server.close());

  it.each([
    ["a mention", "general", "@bob the code is 4711", "@bob the code is in the vault"],
    ["a direct message", "dm", "the code is 4711", "the code is in the vault"],
  ])("say the new text of %s once it is edited", async (_, where, first, second) => {
    const a = await connect(server.url, {}, { extraHeaders: { cookie: admin, origin: server.url } });
    const room = where === "dm" ? (await call(a, "open-dm", { name: "bob" })).room.name : where;
    await call(a, "join-room", room);
    const live = await openStream(`${server.url}/api/notifications/stream`, { cookie: bob });
    try {
      await until(() => live.events.some((e) => e.data?.type === "connected"), 5000, "connected");
      const before = live.events[0].id!;
      const { message } = await call(a, "send-message-to-room", { room, message: first });
      await until(() => live.events.some((e) => e.data?.messageId === message.id), 5000, "the notification");
      await call(a, "edit-message", { room, id: message.id, message: second });
      // The notifier revises after the edit's commit: wait for it before reading the stream.
      await until(async () => (await server.db.query<{ message: string }>("select message from notifications where message_id = $1::bigint", [message.id])).every((r) => r.message === second), 5000, "the revision");
      const { message: later } = await call(a, "send-message-to-room", { room, message: where === "dm" ? "and one more" : "@bob and one more" });
      const resumed = await openStream(`${server.url}/api/notifications/stream`, { cookie: bob, "last-event-id": before });
      try {
        await until(() => resumed.events.some((e) => e.data?.messageId === later.id), 5000, "the replay");
        const replayed = resumed.events.find((e) => e.data?.messageId === message.id);
        expect(replayed?.data.message).toBe(second);
        expect(JSON.stringify(resumed.events)).not.toContain("4711");
      } finally {
        resumed.close();
      }
    } finally {
      live.close();
    }
  });
});

describe("pushes of an edited message", () => {
  const track = trackPushWorlds();

  it("still waiting for a retry carry the new text", async () => {
    // The push service refuses every request (429, retry in 2 s) until it is told to accept.
    const w = await refusingPushWorld(track);
    const texts = w.texts;
    const { message } = await w.say(w.dm, "the code is 4711");
    await until(() => texts().includes("the code is 4711"), 10_000, "the first attempt");
    await until(async () => (await pendingPushes(w.server.db)) === 1, 5000, "the push to wait for its retry");
    await call(w.aliceSocket, "edit-message", { room: w.dm, id: message.id, message: "the code is in the vault" });
    // The notifier revises after the edit's commit: wait for it, and for the next message's push to queue.
    await until(async () => (await w.server.db.query<{ payload: string }>("select payload from push_queue where message_id = $1::bigint", [message.id])).some((r) => r.payload.includes("in the vault")), 5000, "the revision");
    await w.say(w.dm, "see you");
    await until(async () => (await pendingPushes(w.server.db)) === 2, 5000, "the next push queued");
    const attemptsBefore = w.endpoint.received.length;
    w.accept();
    await until(() => texts().includes("see you"), 10_000, "the later push");
    await until(() => texts().slice(attemptsBefore).includes("the code is in the vault"), 10_000, "the retried push");
    expect(texts().slice(attemptsBefore).filter((t) => t.includes("4711"))).toEqual([]);
  });
});
