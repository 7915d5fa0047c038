import { randomUUID } from "node:crypto";
import type { Socket } from "socket.io-client";
import { joinAs, setupAdmin } from "../helpers/http";
import { call, collect, connect, freshPostgresUrl, request, startTestServer, until, type TestServer } from "../helpers/server";

/**
 * A person leaves a public room (remove-member of themselves; Slack's "Leave channel", Zulip's
 * "Unsubscribe"): their list marks it `left`, its messages stop coming (no `room-activity`, out of the
 * room on every connection), a mention there still calls them, and opening it again makes them a member.
 */
type Listed = { name: string; left?: boolean; unread: number; mentions?: number; readSeq?: number };
const listed = async (socket: Socket, name: string) => ((await call(socket, "list-rooms")).rooms as Listed[]).find((r) => r.name === name);
const refusal = async (socket: Socket, event: string, payload: unknown) => {
  const res = await request(socket, event, payload);
  return res.ok ? "accepted" : res.error.code;
};

function leaving(kind: "PGlite" | "PostgreSQL") {
  describe(`leaving a public room on ${kind}`, () => {
    let server: TestServer;
    let alice: string;
    let bob: string;
    let root: string;
    const as = (cookie: string) => connect(server.url, {}, { extraHeaders: { cookie, origin: server.url } });

    beforeAll(async () => {
      const databaseUrl = kind === "PostgreSQL" ? await freshPostgresUrl() : undefined;
      server = await startTestServer({ rateLimitMessages: 0, linkPreviews: false, ...(databaseUrl ? { databaseUrl } : {}) });
      const admin = await setupAdmin(server, "root");
      root = admin;
      alice = await joinAs(server, admin, "alice");
      bob = await joinAs(server, admin, "bob");
    }, 90_000);
    afterAll(() => server.close());

    it("lists the room as left, stops its unread counting and its messages, still calls on a mention, and ends with a join", async () => {
      const a = await as(alice);
      const b = await as(bob);
      await call(a, "join-room", "plans");
      await call(a, "join-room", "elsewhere");
      await call(b, "join-room", "plans");
      await call(b, "join-room", "elsewhere");
      // A second page of alice's, in no room: it watches her rooms for unread counts (connected after she joined them).
      const watching = await as(alice);
      const activity = collect<{ room: string; lastSeq: number }>(watching, "room-activity");
      await call(b, "send-message-to-room", { room: "plans", message: "before" });
      await until(() => activity.some((x) => x.room === "plans"), 5000, "plans' activity while a member");
      // A mention before she leaves, unread (told before she leaves): let go with the room, not counted in
      // its list afterwards.
      const early = collect<{ room: string }>(watching, "room-mention");
      await call(b, "send-message-to-room", { room: "plans", message: "@alice an early one" });
      await until(() => early.some((x) => x.room === "plans"), 5000, "the early mention to reach alice");

      const left = collect<string>(b, "user-left");
      const told = collect(a, "rooms-changed");
      expect(await call(a, "remove-member", { room: "plans", name: "alice" })).toEqual({});
      await until(() => told.length > 0, 5000, "alice's pages to be told");
      await until(() => left.includes("alice has left the room."), 5000, "the room to hear that alice left");
      const after = await listed(a, "plans");
      expect(after).toMatchObject({ left: true, unread: 0, mentions: 0 });
      expect(after?.readSeq).toBeUndefined();
      expect((await listed(a, "elsewhere"))?.left).toBeUndefined();
      // Someone else's list is unchanged.
      expect((await listed(b, "plans"))?.left).toBeUndefined();

      // Neither the page that had the room open nor the watching one hears its messages; a message in a
      // room she is still in, sent after, arrives on both (the positive control).
      const onA = collect<{ room: string; text: string }>(a, "receive-message");
      activity.length = 0;
      await call(b, "send-message-to-room", { room: "plans", message: "while she is away" });
      await call(b, "send-message-to-room", { room: "elsewhere", message: "control" });
      await until(() => onA.some((m) => m.text === "control"), 5000, "the control message on alice's open page");
      await until(() => activity.some((x) => x.room === "elsewhere"), 5000, "the control's activity on alice's other page");
      expect(onA.filter((m) => m.room === "plans")).toEqual([]);
      expect(activity.filter((x) => x.room === "plans")).toEqual([]);

      // A mention there still calls her, as any non-member of a public room, and counts in the list.
      const mentioned = collect<{ room: string }>(watching, "room-mention");
      await call(b, "send-message-to-room", { room: "plans", message: "@alice are you coming back?" });
      await until(() => mentioned.some((x) => x.room === "plans"), 5000, "the mention to reach alice");
      expect(await listed(a, "plans")).toMatchObject({ left: true, unread: 1, mentions: 1 });

      // Opening the room again makes her a member, read to its end: no longer left.
      await call(a, "join-room", "plans");
      const back = await listed(a, "plans");
      expect(back?.left).toBeUndefined();
      expect(back?.readSeq).toBeGreaterThan(0);
    });

    // From an outside trial: a level of `all` went on notifying every message of a room left, and a
    // mention an edit added after leaving notified but was not counted (the list counted by message seq).
    it("stops every-message notifications with the leave (a mute stays), and counts a mention an edit adds after it", async () => {
      const a = await as(alice);
      const b = await as(bob);
      for (const room of ["follow", "muted"]) {
        await call(a, "join-room", room);
        await call(b, "join-room", room);
        await call(a, "leave-room", room);
      }
      const { message: old } = await call(b, "send-message-to-room", { room: "follow", message: "an old message" });
      const level = (room: string) =>
        server.db.query<{ level: string }>(
          "select l.level from notification_levels l join rooms r on r.id = l.room_id join users u on u.id = l.user_id where r.name = $1 and u.name = 'alice'",
          [room],
        );
      // root follows every message of "follow" too, never opening it: told of a plain message in the same
      // store as anyone else who follows it, so root's notification says when alice's was decided.
      for (const [cookie, room, chosen] of [[alice, "follow", "all"], [alice, "muted", "none"], [root, "follow", "all"]]) {
        const res = await fetch(`${server.url}/api/rooms/${room}/notifications`, {
          method: "PUT",
          headers: { cookie, origin: server.url, "content-type": "application/json" },
          body: JSON.stringify({ level: chosen }),
        });
        expect(res.status).toBe(200);
      }
      const levelsTold = collect(a, "levels-changed");
      await call(a, "remove-member", { room: "follow", name: "alice" });
      await call(a, "remove-member", { room: "muted", name: "alice" });
      await until(() => levelsTold.length > 0, 5000, "alice's pages told of the level");
      // Leaving is unfollowing: `all` goes (back to mentions); a mute stays.
      expect(await level("follow")).toEqual([]);
      expect(await level("muted")).toEqual([{ level: "none" }]);
      const notified = async (name = "alice") =>
        (await server.db.query<{ type: string }>(
          `select n.type from notifications n join users u on u.id = n.user_id join messages m on m.id = n.message_id
            join rooms r on r.id = m.room_id where u.name = $1 and r.name = 'follow' order by n.id`,
          [name],
        )).map((r) => r.type);
      // A plain message notifies her no more (root, who follows the room, is told of it: it was decided);
      // a mention an edit adds to the older message does, and counts.
      await call(b, "send-message-to-room", { room: "follow", message: "plain, after she left" });
      await until(async () => (await notified("root")).includes("message"), 5000, "the plain message told to root");
      expect(await notified()).toEqual([]);
      await call(b, "edit-message", { room: "follow", id: old.id, message: "an old message, @alice" });
      await until(async () => (await notified()).includes("mention"), 5000, "the edited-in mention");
      expect(await notified()).toEqual(["mention"]);
      expect(await listed(a, "follow")).toMatchObject({ left: true, unread: 1, mentions: 1 });
    });

    it("leaves a public room never opened, and again one already left; refuses others, the lobby and a DM", async () => {
      const a = await as(alice);
      const b = await as(bob);
      await call(b, "join-room", "bobs-corner");
      expect((await listed(a, "bobs-corner"))?.left).toBeUndefined();
      expect(await call(a, "remove-member", { room: "bobs-corner", name: "alice" })).toEqual({});
      expect(await listed(a, "bobs-corner")).toMatchObject({ left: true });
      expect(await call(a, "remove-member", { room: "bobs-corner", name: "alice" })).toEqual({});
      expect(await listed(a, "bobs-corner")).toMatchObject({ left: true });

      // Someone else cannot be taken out of a public room: anyone may join it.
      expect(await refusal(a, "remove-member", { room: "bobs-corner", name: "bob" })).toBe("bad_request");
      expect((await listed(b, "bobs-corner"))?.left).toBeUndefined();
      // The lobby's messages go to everyone connected: it cannot be left.
      await call(a, "message", "hello lobby");
      expect(await refusal(a, "remove-member", { room: "lobby", name: "alice" })).toBe("bad_request");
      expect((await listed(a, "lobby"))?.left).toBeUndefined();
      const { room: dm } = await call(a, "open-dm", { name: "bob" });
      expect(await refusal(a, "remove-member", { room: dm.name, name: "alice" })).toBe("bad_request");
      expect(await refusal(a, "remove-member", { room: "no-such-room", name: "alice" })).toBe("not_found");
    });
  });
}

leaving("PGlite");
if (process.env.DATABASE_URL) leaving("PostgreSQL");

const REDIS_URL = process.env.REDIS_URL;
const clustered = Boolean(REDIS_URL && process.env.DATABASE_URL);
if (!clustered) process.stdout.write("skipping the two-instance leave test: REDIS_URL and DATABASE_URL must both be set\n");

(clustered ? describe : describe.skip)("leaving a public room across two instances", () => {
  it("stops the room's messages and unread counts to the leaver's connections on the other instance", async () => {
    const databaseUrl = await freshPostgresUrl();
    const common = { databaseUrl, redisUrl: REDIS_URL, redisPrefix: `t${randomUUID().slice(0, 8)}`, rateLimitMessages: 0, linkPreviews: false };
    const a = await startTestServer(common);
    const b = await startTestServer(common);
    try {
      const admin = await setupAdmin(a);
      const alice = await joinAs(a, admin, "alice");
      const bob = await joinAs(a, admin, "bob");
      const on = (server: TestServer, cookie: string) => connect(server.url, {}, { extraHeaders: { cookie, origin: server.url } });
      const aliceOnA = await on(a, alice);
      const bobOnB = await on(b, bob);
      await call(aliceOnA, "join-room", "plans");
      await call(aliceOnA, "join-room", "elsewhere");
      await call(bobOnB, "join-room", "plans");
      await call(bobOnB, "join-room", "elsewhere");
      // Alice on B: one page with the room open, one watching her rooms.
      const openOnB = await on(b, alice);
      await call(openOnB, "join-room", "plans");
      await call(openOnB, "join-room", "elsewhere");
      const watchingOnB = await on(b, alice);
      const messages = collect<{ room: string; text: string }>(openOnB, "receive-message");
      const activity = collect<{ room: string }>(watchingOnB, "room-activity");
      const left = collect<string>(bobOnB, "user-left");

      await call(aliceOnA, "remove-member", { room: "plans", name: "alice" });
      await until(async () => (await listed(openOnB, "plans"))?.left === true, 5000, "the departure listed on B");
      await until(() => left.includes("alice has left the room."), 5000, "the room on B to hear that alice left");
      await call(bobOnB, "send-message-to-room", { room: "plans", message: "while she is away" });
      await call(bobOnB, "send-message-to-room", { room: "elsewhere", message: "control" });
      await until(() => messages.some((m) => m.text === "control"), 5000, "the control message on B");
      await until(() => activity.some((x) => x.room === "elsewhere"), 5000, "the control's activity on B");
      expect(messages.filter((m) => m.room === "plans")).toEqual([]);
      expect(activity.filter((x) => x.room === "plans")).toEqual([]);
    } finally {
      await a.close();
      await b.close();
    }
  }, 60_000);
});
