/**
 * The room list's mention counts and levels: of a room's unread messages, those that notified the person
 * as a mention, a thread reply or a DM (`mentions`), live as `room-mention` events; none for a room at
 * level `none`; cleared by reading the room. Both databases (PostgreSQL when DATABASE_URL is set).
 */
import { api, joinAs, setupAdmin } from "../helpers/http";
import { call, collect, connect, freshPostgresUrl, startTestServer, until, type TestServer } from "../helpers/server";

type Listed = { name: string; unread: number; mentions?: number; level?: string; readSeq?: number };

for (const database of ["PGlite", "PostgreSQL"] as const) {
  describe(`mention counts (${database})`, () => {
    let server: TestServer | undefined;
    afterEach(async () => {
      await server?.close();
      server = undefined;
    });

    /** A server on this database with alice (admin) and bob connected, bob's `room-mention` events collected; undefined without PostgreSQL. */
    async function aliceAndBob() {
      const databaseUrl = database === "PostgreSQL" ? await freshPostgresUrl() : undefined;
      if (database === "PostgreSQL" && !databaseUrl) {
        process.stdout.write("skipping mention counts on PostgreSQL: DATABASE_URL is not set\n");
        return undefined;
      }
      server = await startTestServer({ rateLimitMessages: 0, ...(databaseUrl ? { databaseUrl } : {}) });
      const s = server;
      const admin = await setupAdmin(s, "alice");
      const bobCookie = await joinAs(s, admin, "bob");
      const as = (cookie: string) => connect(s.url, {}, { extraHeaders: { cookie, origin: s.url } });
      const [alice, bob] = [await as(admin), await as(bobCookie)];
      return { s, alice, bob, bobCookie, mentions: collect<{ room: string; id: string }>(bob, "room-mention") };
    }

    it("counts mentions, replies and DMs among the unread, live and in list-rooms; a muted room counts none; reading clears them", async () => {
      const people = await aliceAndBob();
      if (!people) return;
      const { s, alice, bob, bobCookie, mentions } = people;
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

    it("counts a mention in a public room the person never opened, as unread and mention, until they open it", async () => {
      const people = await aliceAndBob();
      if (!people) return;
      const { alice, bob, mentions } = people;
      await call(bob, "join-room", "general");
      const listed = async (name: string) => ((await call(bob, "list-rooms")).rooms as Listed[]).find((r) => r.name === name)!;
      const say = (room: string, message: string) => call(alice, "send-message-to-room", { room, message });
      // alice makes a public room bob has never opened: plain messages there are nothing of his.
      await call(alice, "create-room", { name: "releases" });
      await say("releases", "v1.3 is out");
      await say("releases", "v1.3.1 hotfix");
      expect(await listed("releases")).toMatchObject({ unread: 0, mentions: 0 });
      expect((await listed("releases")).readSeq).toBeUndefined();
      // A mention there (and another, in a thread's reply) is his: counted, live and in the list.
      const asked = (await say("releases", "@bob can you verify the hotfix?")).message;
      await until(() => mentions.length === 1, 5000, "the mention's room-mention");
      expect(mentions[0]).toEqual({ room: "releases", id: asked.id });
      expect(await listed("releases")).toMatchObject({ unread: 1, mentions: 1 });
      await say("releases", "and @BOB, the changelog too");
      await say("releases", "thanks all");
      await until(() => mentions.length === 2, 5000, "the second mention's room-mention");
      expect(await listed("releases")).toMatchObject({ unread: 2, mentions: 2 });
      // A mention edited away is his no longer.
      await call(alice, "edit-message", { room: "releases", id: asked.id, message: "can someone verify the hotfix?" });
      await until(async () => (await listed("releases")).mentions === 1, 5000, "the withdrawn mention to go from the count");
      expect(await listed("releases")).toMatchObject({ unread: 1, mentions: 1 });
      // Opening the room reads it to its end: nothing waits there any more, and later plain messages count as for any member.
      await call(bob, "join-room", "releases");
      await call(bob, "join-room", "general");
      expect(await listed("releases")).toMatchObject({ unread: 0, mentions: 0 });
      await say("releases", "one more note");
      expect(await listed("releases")).toMatchObject({ unread: 1, mentions: 0 });
    }, 60_000);
  });
}
