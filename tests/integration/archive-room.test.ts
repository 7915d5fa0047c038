import type { Database } from "../../lib/db";
import { api, joinAs, setupAdmin } from "../helpers/http";
import { call, collect, connect, freshPostgresUrl, request, startTestServer, until, type TestServer } from "../helpers/server";
import { io as ioClient, type Socket } from "socket.io-client";
import pg from "pg";

/**
 * An admin archives a room nobody uses (or one a guest made to clutter everyone's room list; an outside
 * trial found no way to be rid of either): it stays readable and searchable, is marked `archived` in every
 * list, and nothing in it can change (posts, replies, edits, deletions, reactions, typing, uploads)
 * until it is unarchived. The store refuses a post that was waiting for it when the archive committed.
 */
function archiving(kind: "PGlite" | "PostgreSQL") {
  describe(`archived rooms on ${kind}`, () => {
    let server: TestServer;
    let admin: string;
    let alice: string;
    let bot: string;
    let a: Socket;
    let root: Socket;
    /** While set, the group commit's call waits for it (the store_messages() statement). */
    let holdStore: Promise<void> | undefined;
    let storeHeld = 0;
    let databaseUrl: string | undefined;

    const wrap = (db: Database): Database => ({
      kind: db.kind,
      async query(sql, params) {
        if (holdStore && sql.includes("store_messages(")) {
          storeHeld++;
          await holdStore;
        }
        return db.query(sql, params);
      },
      exec: (sql) => db.exec(sql),
      transaction: (fn) => db.transaction(fn),
      ping: () => db.ping(),
      close: () => db.close(),
    });

    const as = (cookie: string) => connect(server.url, {}, { extraHeaders: { cookie, origin: server.url } });
    const refusal = async (socket: Socket, event: string, payload: unknown) => {
      const res = await request(socket, event, payload);
      return res.ok ? "accepted" : `${res.error.code} ${res.error.reason ?? ""}`.trim();
    };
    const listed = async (socket: Socket, name: string) => ((await call(socket, "list-rooms")).rooms as { name: string; archived?: boolean }[]).find((r) => r.name === name);

    beforeAll(async () => {
      databaseUrl = kind === "PostgreSQL" ? await freshPostgresUrl() : undefined;
      server = await startTestServer({ rateLimitMessages: 0, linkPreviews: false, ...(databaseUrl ? { databaseUrl } : {}) }, { wrapDatabase: wrap });
      admin = await setupAdmin(server, "root");
      alice = await joinAs(server, admin, "alice");
      bot = (await api(server, "/api/admin/bots", { body: { name: "poster" }, cookie: admin })).body.token;
    }, 90_000);
    afterAll(() => server.close());
    // Connections of each test (the helpers disconnect every client after a test).
    beforeEach(async () => {
      root = await as(admin);
      a = await as(alice);
    });

    it("only an admin archives; the room is marked archived for everyone and nothing in it can change", async () => {
      await call(root, "join-room", "old-news");
      await call(a, "join-room", "old-news");
      const { message } = await call(a, "send-message-to-room", { room: "old-news", message: "the quarterly zeppelin report" });
      expect(await refusal(a, "archive-room", { room: "old-news" })).toBe("forbidden not_admin");

      const told = collect(a, "rooms-changed");
      const { room } = await call(root, "archive-room", { room: "old-news" });
      expect(room).toMatchObject({ name: "old-news", archived: true });
      await until(() => told.length > 0, 5000, "alice's list to be told");
      expect(await listed(a, "old-news")).toMatchObject({ archived: true });

      // Through the room alice joined before the archive, and through a lookup, every change is refused.
      const archived = "forbidden room_archived";
      expect(await refusal(a, "send-message-to-room", { room: "old-news", message: "still here?" })).toBe(archived);
      expect(await refusal(a, "send-message-to-room", { room: "old-news", message: "a reply", threadId: message.id })).toBe(archived);
      expect(await refusal(a, "edit-message", { room: "old-news", id: message.id, message: "edited" })).toBe(archived);
      expect(await refusal(a, "delete-message", { room: "old-news", id: message.id })).toBe(archived);
      expect(await refusal(root, "delete-message", { room: "old-news", id: message.id })).toBe(archived);
      expect(await refusal(a, "react", { room: "old-news", id: message.id, emoji: "👍" })).toBe(archived);
      expect(await refusal(a, "typing", { room: "old-news" })).toBe(archived);
      const late = await as(alice);
      expect(await refusal(late, "send-message-to-room", { room: "old-news", message: "not joined" })).toBe(archived);
      const posted = await api(server, "/api/rooms/old-news/messages", { body: { text: "from a bot" }, headers: { authorization: `Bearer ${bot}` } });
      expect([posted.status, posted.body.error?.reason]).toEqual([403, "room_archived"]);
      const form = new FormData();
      form.append("file", new Blob(["hello"], { type: "text/plain" }), "notes.txt");
      const upload = await fetch(`${server.url}/api/rooms/old-news/uploads`, { method: "POST", body: form, headers: { cookie: alice, origin: server.url } });
      expect([upload.status, ((await upload.json()) as { error?: { reason?: string } }).error?.reason]).toEqual([403, "room_archived"]);

      // What was said stays: joined (the room says it is archived), read, and found.
      const joined = await call(late, "join-room", "old-news");
      expect(joined.room).toMatchObject({ name: "old-news", archived: true });
      expect(joined.messages.map((m: { text: string }) => m.text)).toEqual(["the quarterly zeppelin report"]);
      expect((await call(late, "history", { room: "old-news" })).messages).toHaveLength(1);
      const found = await api(server, `/api/search?q=zeppelin`, { cookie: alice });
      expect(found.body.results.map((r: { message: { text: string } }) => r.message.text)).toEqual(["the quarterly zeppelin report"]);
      late.disconnect();

      // Unarchived, it is a room like any other again.
      const { room: back } = await call(root, "unarchive-room", { room: "old-news" });
      expect(back.archived).toBeUndefined();
      expect((await listed(a, "old-news"))?.archived).toBeUndefined();
      expect((await call(a, "send-message-to-room", { room: "old-news", message: "we are back" })).message.text).toBe("we are back");
      expect((await call(a, "react", { room: "old-news", id: message.id, emoji: "👍" })).toggle).toBeDefined();
    });

    it("refuses a post that was waiting for the store when the archive committed", async () => {
      await call(a, "join-room", "racing");
      let release!: () => void;
      holdStore = new Promise((r) => (release = r));
      const before = storeHeld;
      const sent = request(a, "send-message-to-room", { room: "racing", message: "just in time?" });
      await until(() => storeHeld > before, 5000, "the post to reach the store");
      await call(root, "archive-room", { room: "racing" });
      holdStore = undefined;
      release();
      const res = await sent;
      expect(res.ok ? "stored" : `${res.error.code} ${res.error.reason}`).toBe("forbidden room_archived");
      expect((await call(a, "history", { room: "racing" })).messages).toEqual([]);
    });

    // An outside trial: a connection restored after the archive had its joined rooms read again without
    // the mark, and reacted through them; the reaction store now checks the room itself.
    it("refuses a reaction and a post through a connection restored after the archive", async () => {
      await call(root, "join-room", "blip");
      const { message } = await call(root, "send-message-to-room", { room: "blip", message: "react to me" });
      const b = ioClient(server.url, { extraHeaders: { cookie: alice, origin: server.url }, transports: ["websocket"], reconnectionDelay: 100, reconnectionDelayMax: 100, randomizationFactor: 0 });
      try {
        await new Promise<void>((r) => b.once("connect", () => r()));
        await call(b, "join-room", "blip");
        await call(root, "send-message-to-room", { room: "blip", message: "so the client holds an offset" });
        await call(root, "archive-room", { room: "blip" });
        const back = new Promise<void>((r) => b.once("connect", () => r()));
        b.io.engine.close();
        await back;
        expect(b.recovered).toBe(true);
        expect(await refusal(b, "react", { room: "blip", id: message.id, emoji: "🎉" })).toBe("forbidden room_archived");
        expect(await refusal(b, "send-message-to-room", { room: "blip", message: "after the blip" })).toBe("forbidden room_archived");
        expect((await call(root, "history", { room: "blip" })).messages.find((m: { id: string }) => m.id === message.id).reactions).toBeUndefined();
      } finally {
        b.disconnect();
      }
    });

    if (kind === "PostgreSQL") {
      // An outside trial: a reaction, an edit or a deletion queued behind the archive on the room's row was
      // stored after it; every change of a room now reads the room once it holds its row.
      it("refuses a reaction, an edit and a deletion that were waiting for the room when the archive committed", async () => {
        await call(a, "join-room", "queued");
        const mine = await Promise.all(["one", "two", "three"].map(async (text) => (await call(a, "send-message-to-room", { room: "queued", message: text })).message));
        const blocker = new pg.Client({ connectionString: databaseUrl });
        const observer = new pg.Client({ connectionString: databaseUrl });
        await blocker.connect();
        await observer.connect();
        try {
          await blocker.query("begin");
          await blocker.query("select 1 from rooms where name = $1 for update", ["queued"]);
          const archived = call(root, "archive-room", { room: "queued" });
          // Sessions of this test's own database waiting for a lock (other suites use other databases), seen
          // from a connection of its own: within the blocker's transaction the statistics would not move.
          const waiting = async () =>
            Number((await observer.query("select count(*) as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'")).rows[0].n);
          await until(async () => (await waiting()) >= 1, 5000, "the archive to wait for the room");
          const before = await waiting();
          const changes = [
            refusal(a, "react", { room: "queued", id: mine[0].id, emoji: "👍" }),
            refusal(a, "edit-message", { room: "queued", id: mine[1].id, message: "changed" }),
            refusal(a, "delete-message", { room: "queued", id: mine[2].id }),
          ];
          await until(async () => (await waiting()) >= before + 3, 5000, "the three changes to wait behind it");
          await blocker.query("commit");
          expect((await archived).room).toMatchObject({ archived: true });
          expect(await Promise.all(changes)).toEqual(["forbidden room_archived", "forbidden room_archived", "forbidden room_archived"]);
          const { messages } = await call(a, "history", { room: "queued" });
          expect(messages.map((m: { text: string; reactions?: unknown; deleted?: boolean }) => [m.text, m.reactions, m.deleted])).toEqual([
            ["one", undefined, undefined],
            ["two", undefined, undefined],
            ["three", undefined, undefined],
          ]);
        } finally {
          await blocker.query("rollback").catch(() => undefined);
          await blocker.end();
          await observer.end();
        }
      });
    }

    it("archives a private room only for its members, and never a DM or the lobby", async () => {
      await call(root, "create-room", { name: "den", private: true });
      await call(root, "add-member", { room: "den", name: "alice" });
      const told = collect(a, "rooms-changed");
      expect((await call(root, "archive-room", { room: "den" })).room).toMatchObject({ name: "den", archived: true });
      await until(() => told.length > 0, 5000, "the member's list to be told");
      expect(await listed(a, "den")).toMatchObject({ archived: true });
      // Archiving again changes nothing and answers the same.
      expect((await call(root, "archive-room", { room: "den" })).room).toMatchObject({ archived: true });

      await call(a, "create-room", { name: "alices-den", private: true });
      expect(await refusal(root, "archive-room", { room: "alices-den" })).toBe("forbidden");
      const { room: dm } = await call(root, "open-dm", { name: "alice" });
      expect(await refusal(root, "archive-room", { room: dm.name })).toBe("bad_request");
      expect(await refusal(root, "archive-room", { room: "lobby" })).toBe("bad_request");
      await call(root, "message", "hello lobby");
      expect(await refusal(root, "archive-room", { room: "lobby" })).toBe("bad_request");
      expect(await refusal(root, "archive-room", { room: "no-such-room" })).toBe("not_found");
    });
  });
}

archiving("PGlite");
if (process.env.DATABASE_URL) archiving("PostgreSQL");
