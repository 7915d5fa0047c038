/**
 * A deleted message is not unread: the room list's `unread` counts the live messages past the reader's
 * marker (`readSeq`, listed), as of the room's change `lastChange`; a deletion reaches the members' other
 * connections (`message-deleted` on the room's watch list) so their badges drop at once, and nobody
 * else's. Both databases (PostgreSQL when DATABASE_URL is set).
 */
import { joinAs, setupAdmin } from "../helpers/http";
import { call, collect, connect, freshPostgresUrl, startTestServer, until, type TestServer } from "../helpers/server";

type Listed = { name: string; unread: number; mentions?: number; readSeq?: number; lastSeq: number; lastChange?: number };
type Deleted = { room: string; id: string; seq: number; changeSeq: number };

for (const database of ["PGlite", "PostgreSQL"] as const) {
  describe(`unread counts leave deleted messages out (${database})`, () => {
    let server: TestServer | undefined;
    afterEach(async () => {
      await server?.close();
      server = undefined;
    });

    it("counts only live messages past the marker, live and in list-rooms, and tells only members", async () => {
      const databaseUrl = database === "PostgreSQL" ? await freshPostgresUrl() : undefined;
      if (database === "PostgreSQL" && !databaseUrl) {
        process.stdout.write("skipping deleted unread on PostgreSQL: DATABASE_URL is not set\n");
        return;
      }
      server = await startTestServer({ rateLimitMessages: 0, ...(databaseUrl ? { databaseUrl } : {}) });
      const s = server;
      const admin = await setupAdmin(s, "alice");
      const bobCookie = await joinAs(s, admin, "bob");
      const carolCookie = await joinAs(s, admin, "carol");
      const as = (cookie: string) => connect(s.url, {}, { extraHeaders: { cookie, origin: s.url } });
      const alice = await as(admin);
      const bob = await as(bobCookie);
      const carol = await as(carolCookie);
      const bobHeard = collect<Deleted>(bob, "message-deleted");
      const carolHeard = collect<Deleted>(carol, "message-deleted");
      const mentions = collect<{ room: string }>(bob, "room-mention");
      const listed = async (who: typeof bob, name: string) => ((await call(who, "list-rooms")).rooms as Listed[]).find((r) => r.name === name)!;
      const say = async (room: string, message: string) => (await call(alice, "send-message-to-room", { room, message })).message as { id: string; seq: number };
      const remove = (room: string, id: string) => call(alice, "delete-message", { room, id });

      // bob is a member of dev (he read it up to "read before") and is looking at general.
      await call(alice, "join-room", "dev");
      const readBefore = await say("dev", "read before");
      await call(bob, "join-room", "dev");
      await call(bob, "leave-room", "dev");
      await call(bob, "join-room", "general");
      const m = [];
      for (let i = 1; i <= 4; i++) m.push(await say("dev", i === 3 ? "@bob look" : `news ${i}`));
      await until(() => mentions.length === 1, 5000, "the mention's notification");
      const before = await listed(bob, "dev");
      expect(before).toMatchObject({ unread: 4, mentions: 1, readSeq: readBefore.seq, lastSeq: m[3]!.seq });

      // An unread message deleted: one less, and bob's connection (not in dev) hears it at once.
      await remove("dev", m[1]!.id);
      await until(() => bobHeard.length === 1, 5000, "bob's message-deleted");
      expect(bobHeard[0]).toMatchObject({ room: "dev", id: m[1]!.id, seq: m[1]!.seq });
      const after = await listed(bob, "dev");
      expect(after).toMatchObject({ unread: 3, mentions: 1, readSeq: readBefore.seq, lastSeq: m[3]!.seq });
      expect(after.lastChange).toBe(bobHeard[0]!.changeSeq);

      // The mention deleted: it is neither unread nor a mention any more.
      await remove("dev", m[2]!.id);
      await until(() => bobHeard.length === 2, 5000, "the second message-deleted");
      expect(await listed(bob, "dev")).toMatchObject({ unread: 2, mentions: 0 });

      // A message bob had read, deleted: nothing of his count changes (he hears it, as a member).
      await remove("dev", readBefore.id);
      await until(() => bobHeard.length === 3, 5000, "the third message-deleted");
      expect(await listed(bob, "dev")).toMatchObject({ unread: 2 });

      // A new message after the deletions: counted as one.
      const m5 = await say("dev", "news 5");
      expect(await listed(bob, "dev")).toMatchObject({ unread: 3, lastSeq: m5.seq });

      // Everything past the marker deleted: nothing unread, though lastSeq is past the marker.
      for (const x of [m[0]!, m[3]!, m5]) await remove("dev", x.id);
      await until(() => bobHeard.length === 6, 5000, "the last deletions");
      expect(await listed(bob, "dev")).toMatchObject({ unread: 0, readSeq: readBefore.seq, lastSeq: m5.seq });

      // A private room: its deletions reach its members only, not a connected non-member.
      await call(alice, "create-room", { name: "secret", private: true });
      await call(alice, "add-member", { room: "secret", name: "bob" });
      const hidden = await say("secret", "between us");
      await remove("secret", hidden.id);
      await until(() => bobHeard.some((d) => d.room === "secret"), 5000, "bob's message-deleted in secret");
      expect(await listed(bob, "secret")).toMatchObject({ unread: 0 });
      // carol, in no room, is on dev's watch list only if a member: she never joined it, and secret is not hers.
      expect(carolHeard).toEqual([]);

      // Reading dev: nothing unread, the marker at the end.
      await call(bob, "join-room", "dev");
      expect(await listed(bob, "dev")).toMatchObject({ unread: 0, readSeq: m5.seq });
    }, 60_000);
  });
}
