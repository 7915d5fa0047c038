/**
 * An edited message's notifications say its new text: a stream resumed from before the edit replays the
 * new text, not what the author took back, and a push about it still waiting for a retry carries the new
 * text too. A mention edited away is withdrawn: badge, stream and queued push.
 */
import { joinAs, setupAdmin } from "../helpers/http";
import { refusingPushWorld, trackPushWorlds } from "../helpers/push";
import { call, connect, freshPostgresUrl, startTestServer, until, type TestServer } from "../helpers/server";
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

  it("take a mention back once it is edited away: out of the @ badge and the stream, its toast dismissed; edited back in, it counts again without notifying again", async () => {
    const a = await connect(server.url, {}, { extraHeaders: { cookie: admin, origin: server.url } });
    const b = await connect(server.url, {}, { extraHeaders: { cookie: bob, origin: server.url } });
    const live = await openStream(`${server.url}/api/notifications/stream`, { cookie: bob });
    try {
      await until(() => live.events.some((e) => e.data?.type === "connected"), 5000, "connected");
      const start = live.events[0].id!;
      await call(a, "join-room", "general");
      // bob is a member of #general, away from it.
      await call(b, "join-room", "general");
      await call(b, "leave-room", "general");
      const mentions = async () => (await call(b, "list-rooms")).rooms.find((r: { name: string }) => r.name === "general")?.mentions ?? 0;
      const base = await mentions();
      let relisted = 0;
      b.on("rooms-changed", () => void relisted++);
      const edit = (id: string, message: string) => call(a, "edit-message", { room: "general", id, message });
      const told = (id: string) => live.events.filter((e) => e.data?.messageId === id);

      const { message } = await call(a, "send-message-to-room", { room: "general", message: "note" });
      await edit(message.id, "note @bob");
      await until(() => told(message.id).length === 1, 5000, "the mention's notification");
      expect(await mentions()).toBe(base + 1);
      const notificationId = told(message.id)[0]!.id;
      await edit(message.id, "note (no mention)");
      // Told at once, as a deletion's withdrawal is: the page lists its rooms again, the toast goes.
      await until(() => relisted > 0, 5000, "rooms-changed");
      await until(() => live.events.some((e) => e.event === "dismissed" && e.data?.id === notificationId), 5000, "the toast dismissed");
      expect(await mentions()).toBe(base);

      // Edited back in: it counts in the badge again (the page is told to list its rooms again), and
      // nothing new is said (no second toast or push).
      const relistedBefore = relisted;
      await edit(message.id, "note @bob again");
      await until(() => relisted > relistedBefore, 5000, "rooms-changed after the mention came back");
      expect(await mentions()).toBe(base + 1);
      // A text that still calls the whole room keeps a mention edited away.
      const { message: roomWide } = await call(a, "send-message-to-room", { room: "general", message: "@bob ship it" });
      await until(() => told(roomWide.id).length === 1, 5000, "the second mention");
      await edit(roomWide.id, "@room ship it");
      // Positive control, sent last: a new mention is told.
      const { message: last } = await call(a, "send-message-to-room", { room: "general", message: "@bob one more" });
      await until(() => told(last.id).length === 1, 5000, "the last mention");
      expect(told(message.id)).toHaveLength(1);
      expect(await mentions()).toBe(base + 3);
      // A stream resumed from the start replays the mentions standing (the one edited back in, with its
      // text now, and the one whose new text calls the whole room).
      const resumed = await openStream(`${server.url}/api/notifications/stream`, { cookie: bob, "last-event-id": start });
      try {
        await until(() => resumed.events.some((e) => e.data?.messageId === last.id), 5000, "the replay");
        expect(resumed.events.filter((e) => e.data?.messageId).map((e) => [e.data.messageId, e.data.message])).toEqual([
          [message.id, "note @bob again"],
          [roomWide.id, "@room ship it"],
          [last.id, "@bob one more"],
        ]);
      } finally {
        resumed.close();
      }
    } finally {
      live.close();
      a.disconnect();
      b.disconnect();
    }
  });
});

describe.each(["PGlite", "PostgreSQL"])("a mention edited away at once (%s)", (kind) => {
  let server: TestServer;
  let admin: string;
  let bob: string;
  beforeAll(async () => {
    const databaseUrl = kind === "PostgreSQL" ? await freshPostgresUrl() : undefined;
    server = await startTestServer({ linkPreviews: false, rateLimitMessages: 0, ...(databaseUrl ? { databaseUrl } : {}) });
    admin = await setupAdmin(server, "admin");
    bob = await joinAs(server, admin, "bob");
    for (const name of ["carol", "dave"]) await joinAs(server, admin, name);
  }, 120_000);
  afterAll(() => server.close());

  // From an outside trial: `@bob` edited away the moment the send was acknowledged was still counted in
  // bob's @ badge and replayed on his stream (with the new text), when the mention's store ran after the
  // edit's commit and its withdrawal (which then found nothing to withdraw).
  it("store no mention that an edit took away before the mention was stored, however soon the edit came", async () => {
    const a = await connect(server.url, {}, { extraHeaders: { cookie: admin, origin: server.url } });
    try {
      await call(a, "join-room", "general");
      const rows = (id: string) =>
        server.db.query<{ name: string; withdrawn: boolean }>(
          "select u.name, n.withdrawn from notifications n join users u on u.id = n.user_id where n.message_id = $1::bigint",
          [id],
        );
      const ids: string[] = [];
      for (let i = 0; i < 30; i++) {
        // dave is mentioned before and after: his notification is stored with bob's (one store), so it
        // says when bob's was decided; carol, mentioned by the edit only, says the edit's own step is done.
        const { message } = await call(a, "send-message-to-room", { room: "general", message: `@bob @dave quick ${i}` });
        await call(a, "edit-message", { room: "general", id: message.id, message: `nobody ${i} @dave @carol` });
        ids.push(message.id);
      }
      for (const id of ids) {
        await until(async () => {
          const held = (await rows(id)).map((r) => r.name);
          return held.includes("dave") && held.includes("carol");
        }, 10_000, "the post's and the edit's notifications");
        expect((await rows(id)).filter((r) => r.name === "bob" && !r.withdrawn)).toEqual([]);
      }
    } finally {
      a.disconnect();
    }
  });

  // From an outside trial: in a thread, the root's author mentioned in a reply, the mention then edited
  // away (at once or later), was left with no notification at all, not even the reply they had without it.
  it("keeps a thread reply's mention of the root's author, edited away at once or later, as a reply", async () => {
    const a = await connect(server.url, {}, { extraHeaders: { cookie: admin, origin: server.url } });
    const b = await connect(server.url, {}, { extraHeaders: { cookie: bob, origin: server.url } });
    try {
      await call(a, "join-room", "threads");
      await call(b, "join-room", "threads");
      await call(b, "leave-room", "threads");
      const { message: root } = await call(b, "send-message-to-room", { room: "threads", message: "the plan" });
      const held = async (id: string) =>
        server.db.query<{ type: string; withdrawn: boolean }>(
          "select n.type, n.withdrawn from notifications n join users u on u.id = n.user_id where u.name = 'bob' and n.message_id = $1::bigint",
          [id],
        );
      const ids: string[] = [];
      for (let i = 0; i < 10; i++) {
        const { message } = await call(a, "send-message-to-room", { room: "threads", threadId: root.id, message: `@bob in thread ${i}` });
        if (i === 0) await until(async () => (await held(message.id)).length === 1, 5000, "the first mention stored before its edit");
        await call(a, "edit-message", { room: "threads", id: message.id, message: `x in thread ${i}` });
        ids.push(message.id);
      }
      for (const id of ids) {
        await until(async () => (await held(id)).some((n) => n.type === "reply" && !n.withdrawn), 10_000, `bob's reply notification of ${id}`);
        expect(await held(id)).toEqual([{ type: "reply", withdrawn: false }]);
      }
    } finally {
      a.disconnect();
      b.disconnect();
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

  it("still waiting for a retry are dropped for a mention edited away", async () => {
    const w = await refusingPushWorld(track);
    const texts = w.texts;
    const b = await connect(w.server.url, {}, { extraHeaders: { cookie: w.bob, origin: w.server.url } });
    try {
      await call(w.aliceSocket, "join-room", "general");
      await call(b, "join-room", "general");
      await call(b, "leave-room", "general");
      // A member with no page open: the mention goes to his browser's push subscription.
      b.disconnect();
      const { message } = await w.say("general", "@bob deploy at 5");
      await until(() => texts().includes("@bob deploy at 5"), 10_000, "the first attempt");
      await until(async () => (await pendingPushes(w.server.db)) === 1, 5000, "the push to wait for its retry");
      await call(w.aliceSocket, "edit-message", { room: "general", id: message.id, message: "deploy at 5" });
      await until(async () => (await pendingPushes(w.server.db)) === 0, 5000, "the push dropped");
      const attemptsBefore = w.endpoint.received.length;
      w.accept();
      // Positive control: the next mention is pushed; the one taken back never again.
      await w.say("general", "@bob one more");
      await until(() => texts().slice(attemptsBefore).includes("@bob one more"), 10_000, "the later push");
      expect(texts().slice(attemptsBefore)).toEqual(["@bob one more"]);
    } finally {
      b.disconnect();
    }
  });
});
