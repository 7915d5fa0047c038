import type { Database } from "../../lib/db";
import { pruneIdleGuests } from "../../lib/chat/users";
import { call, connect, freshPostgresUrl, startTestServer, type TestServer } from "../helpers/server";

/**
 * Guests (GUEST_ACCESS) become users rows when their name first connects; those idle for 30 days that
 * wrote nothing and created no room are removed (migration 40, pruneIdleGuests), so connecting under
 * ever new names does not pile rows up for good.
 */
function guestPruning(kind: "PGlite" | "PostgreSQL") {
  const maybe = kind === "PostgreSQL" && !process.env.DATABASE_URL ? describe.skip : describe;
  maybe(`idle guests on ${kind}`, () => {
    let server: TestServer;
    let database: Database;
    beforeAll(async () => {
      const databaseUrl = kind === "PostgreSQL" ? await freshPostgresUrl() : undefined;
      server = await startTestServer(
        { guestAccess: true, rateLimits: {}, ...(databaseUrl ? { databaseUrl } : {}) },
        { wrapDatabase: (db) => (database = db) },
      );
    }, 60_000);
    afterAll(() => server.close());

    const guests = async () =>
      (await database.query<{ name: string }>("select name from users where kind = 'guest' order by name")).map((r) => r.name);
    /** Makes `names` look unseen for `days` days (created and last seen then). */
    const ageBy = (names: string[], days: number) =>
      database.query(
        "update users set created_at = now() - ($2::int * interval '1 day'), last_seen_at = now() - ($2::int * interval '1 day') where name = any($1::text[])",
        [names, days],
      );

    it("removes guests unseen for 30 days that wrote nothing and created no room; keeps writers, room creators and those who came back", async () => {
      // host makes the room the others join (a room keeps the guest who created it).
      await call(await connect(server.url, { name: "host" }), "join-room", "square");
      for (const name of ["idle", "writer", "founder", "back", "recent"]) {
        const socket = await connect(server.url, { name });
        await call(socket, "join-room", "square");
        if (name === "writer") await call(socket, "send-message-to-room", { room: "square", message: "hello" });
        if (name === "founder") await call(socket, "join-room", "founders-room");
        socket.disconnect();
      }
      await ageBy(["idle", "writer", "founder", "back"], 31);
      await ageBy(["recent"], 29);
      // "back" comes back: its last visit is now.
      await call(await connect(server.url, { name: "back" }), "join-room", "square");

      expect(await pruneIdleGuests(database)).toBe(1);
      expect(await guests()).toEqual(["back", "founder", "host", "recent", "writer"]);
      // The history keeps its author; the name may be used again, as a new guest.
      const again = await connect(server.url, { name: "idle" });
      const { messages } = await call(again, "join-room", "square");
      expect(messages.map((m: { author: string; text: string }) => [m.author, m.text])).toContainEqual(["writer", "hello"]);
      expect(await guests()).toContain("idle");
      expect(await pruneIdleGuests(database)).toBe(0);
    });
  });
}

guestPruning("PGlite");
guestPruning("PostgreSQL");
