/**
 * The room list's mention counts and levels: of a room's unread messages, those that notified the person
 * as a mention, a thread reply or a DM (`mentions`), live as `room-mention` events; none for a room at
 * level `none`; cleared by reading the room. Both databases (PostgreSQL when DATABASE_URL is set).
 */
import { api, joinAs, setupAdmin } from "../helpers/http";
import { call, collect, connect, freshPostgresUrl, startTestServer, until, type TestServer } from "../helpers/server";

type Listed = { name: string; unread: number; mentions?: number; level?: string };

for (const database of ["PGlite", "PostgreSQL"] as const) {
  describe(`mention counts (${database})`, () => {
    let server: TestServer | undefined;
    afterEach(async () => {
      await server?.close();
      server = undefined;
    });

    it("counts mentions, replies and DMs among the unread, live and in list-rooms; a muted room counts none; reading clears them", async () => {
      const databaseUrl = database === "PostgreSQL" ? await freshPostgresUrl() : undefined;
      if (database === "PostgreSQL" && !databaseUrl) {
        process.stdout.write("skipping mention counts on PostgreSQL: DATABASE_URL is not set\n");
        return;
      }
      server = await startTestServer({ rateLimitMessages: 0, ...(databaseUrl ? { databaseUrl } : {}) });
      const s = server;
      const admin = await setupAdmin(s, "alice");
      const bobCookie = await joinAs(s, admin, "bob");
      const as = (cookie: string) => connect(s.url, {}, { extraHeaders: { cookie, origin: s.url } });
      const alice = await as(admin);
      const bob = await as(bobCookie);
      const mentions = collect<{ room: string; id: string }>(bob, "room-mention");
      // bob is a member of dev and of general, and is looking at general.
      await call(alice, "join-room", "dev");
      await call(bob, "join-room", "dev");
      await call(bob, "leave-room", "dev");
      await call(bob, "join-room", "general");
      const listed = async (name: string) => ((await call(bob, "list-rooms")).rooms as Listed[]).find((r) => r.name === name || r.name.startsWith(name))!;
      const say = (room: string, message: string, extra: object = {}) => call(alice, "send-message-to-room", { room, message, ...extra });

      // bob asks in dev (writing there reads it up to his message) …
      const root = (await call(bob, "send-message-to-room", { room: "dev", message: "a question" })).message;
      for (let i = 0; i < 3; i++) await say("dev", `chatter ${i}`);
      const mention = (await say("dev", "@bob please review")).message;
      await until(() => mentions.length === 1, 5000, "the mention's room-mention");
      expect(mentions[0]).toEqual({ room: "dev", id: mention.id });
      // … and his root gets a reply: that counts too (as the thread's root author he is notified).
      await say("dev", "an answer", { threadId: root.id });
      await until(() => mentions.length === 2, 5000, "the reply's room-mention");
      const dm = (await call(alice, "open-dm", { name: "bob" })).room.name as string;
      await say(dm, "a word in private");
      await until(() => mentions.length === 3, 5000, "the DM's room-mention");
      expect(mentions.map((m) => m.room)).toEqual(["dev", "dev", dm]);

      expect(await listed("dev")).toMatchObject({ unread: 5, mentions: 2, level: "mentions" });
      expect(await listed("dm:")).toMatchObject({ unread: 1, mentions: 1, level: "all" });
      expect(await listed("general")).toMatchObject({ unread: 0, mentions: 0, level: "mentions" });

      // Muted: a mention there notifies nothing and counts nothing; the level shows in the list.
      expect((await api(s, "/api/rooms/dev/notifications", { method: "PUT", cookie: bobCookie, body: { level: "none" } })).status).toBe(200);
      await say("dev", "@bob are you there?");
      await say(dm, "and one more"); // the positive control, sent last
      await until(() => mentions.length === 4, 5000, "the second DM's room-mention");
      expect(mentions.map((m) => m.room)).toEqual(["dev", "dev", dm, dm]);
      expect(await listed("dev")).toMatchObject({ unread: 6, mentions: 2, level: "none" });

      // Reading a room clears its mentions; the others keep theirs.
      await call(bob, "join-room", "dev");
      expect(await listed("dev")).toMatchObject({ unread: 0, mentions: 0 });
      expect(await listed("dm:")).toMatchObject({ unread: 2, mentions: 2 });
    }, 60_000);
  });
}
