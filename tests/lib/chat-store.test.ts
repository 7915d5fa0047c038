import { openDatabase, type Database } from "../../lib/db";
import { migrate } from "../../lib/db/migrations";
import { listMessages, listMessagesAfter, postMessage, roomHistory } from "../../lib/chat/messages";
import { createMessageWriter } from "../../lib/chat/message-writer";
import { createRoom, findRoomForMember, joinRoom, listRoomsForUser } from "../../lib/chat/rooms";
import { ensureGuest } from "../../lib/chat/users";
import { deleteMessage } from "../../lib/chat/changes";
import { findThreadRoot, postReply, threadPage } from "../../lib/chat/threads";
import { freshPostgresUrl } from "../helpers/server";

let postgresUrl: string | undefined;
const backends: [string, () => Promise<Database | undefined>][] = [
  ["PGlite", () => openDatabase({ dataDir: "memory://" })],
  [
    "PostgreSQL",
    async () => {
      const url = (postgresUrl = await freshPostgresUrl());
      return url ? openDatabase({ dataDir: "unused", databaseUrl: url }) : undefined;
    },
  ],
];

describe.each(backends)("chat store on %s", (backend, open) => {
  let db: Database;
  let skip = false;
  beforeAll(async () => {
    const opened = await open();
    if (!opened) {
      skip = true;
      process.stdout.write(`skipping ${backend} store tests: DATABASE_URL is not set\n`);
      return;
    }
    db = opened;
  });
  afterAll(() => db?.close());
  const t = (name: string, fn: () => Promise<void>) => it(name, async () => (skip ? undefined : fn()));

  t("runs migrations once and is idempotent on reboot", async () => {
    expect(await migrate(db)).toEqual([]);
    const tables = await db.query<{ n: string }>("select count(*)::text as n from schema_migrations");
    expect(Number(tables[0].n)).toBeGreaterThanOrEqual(1);
  });

  t("returns a message's v2 fields (messages.extra) on every read path, and none when it has none", async () => {
    const carol = await ensureGuest(db, "carol-extra");
    const room = await joinRoom(db, carol, "extra-room");
    const plain = (await postMessage(db, { user: carol, room, text: "plain" })).message;
    const rich = (await postMessage(db, { user: carol, room, text: "with a card" })).message;
    const preview = { url: "https://example.test/a", title: "A page" };
    await db.query("update messages set extra = $1::jsonb where id = $2", [JSON.stringify({ preview }), rich.id]);
    const page = await listMessages(db, { room, limit: 10 });
    expect(page.messages.map((m) => m.preview)).toEqual([undefined, preview]);
    expect(page.messages[0]).not.toHaveProperty("preview");
    expect((await roomHistory(db, carol, { room: "extra-room", limit: 10 })).messages[1].preview).toEqual(preview);
    expect((await listMessagesAfter(db, { room, after: plain.id, limit: 10 }))[0]).toMatchObject({ id: rich.id, preview });
  });

  t("creates a public room on first join and makes the joiner a member", async () => {
    const alice = await ensureGuest(db, "alice");
    const room = await joinRoom(db, alice, "store-room");
    expect(room).toMatchObject({ name: "store-room", kind: "public", lastSeq: 0 });
    expect((await findRoomForMember(db, alice, "store-room")).member).toBe(true);
    await expect(createRoom(db, alice, { name: "store-room" })).rejects.toMatchObject({ code: "conflict" });
  });

  t("refuses a non-member on a private room without revealing anything", async () => {
    const owner = await ensureGuest(db, "owner");
    await db.query("update users set kind = 'user' where id = $1", [owner.id]);
    const account = { ...owner, kind: "user" as const };
    const room = await createRoom(db, account, { name: "secret", kind: "private" });
    await postMessage(db, { user: account, room, text: "classified" });
    const stranger = await ensureGuest(db, "stranger");
    const err = await findRoomForMember(db, stranger, "secret").catch((e) => e);
    const missing = await findRoomForMember(db, stranger, "nowhere").catch((e) => e);
    // forbidden (the wire contract), in words that say nothing of the room; a missing room is not_found.
    expect(err).toMatchObject({ code: "forbidden", message: "you are not a member of this room" });
    expect(missing).toMatchObject({ code: "not_found", message: 'no room named "nowhere"' });
    await expect(joinRoom(db, stranger, "secret")).rejects.toMatchObject({ code: "forbidden", message: "you are not a member of this room" });
    const listed = await listRoomsForUser(db, stranger);
    expect(listed.map((r) => r.name)).not.toContain("secret");
  });

  t("gives 50 concurrent posts gap-free seqs and ids that grow with them", async () => {
    const u = await ensureGuest(db, "burst");
    const room = await joinRoom(db, u, "burst-room");
    const posted = await Promise.all(Array.from({ length: 50 }, (_, i) => postMessage(db, { user: u, room, text: `b${i}` })));
    const bySeq = posted.map((p) => p.message).sort((a, b) => a.seq - b.seq);
    expect(bySeq.map((m) => m.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    for (let i = 1; i < bySeq.length; i++) expect(bySeq[i].id > bySeq[i - 1].id).toBe(true);
  });

  t("stores a clientId once under concurrency and keeps the sequence gap-free", async () => {
    const u = await ensureGuest(db, "retry");
    const room = await joinRoom(db, u, "retry-room");
    const results = await Promise.all(Array.from({ length: 10 }, () => postMessage(db, { user: u, room, text: "x", clientId: "same" })));
    expect(new Set(results.map((r) => r.message.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const next = await postMessage(db, { user: u, room, text: "y" });
    expect(next.message.seq).toBe(2);
  });

  t("runs the group commit's statements on generic plans, and only inside it (migration 52)", async () => {
    // A later `create or replace function store_messages` drops the setting unless it says it again.
    const [fn] = await db.query<{ config: string[] | null }>(
      "select proconfig as config from pg_proc where oid = 'store_messages(bigint[], bigint[], text[], text[], text[], jsonb[], text[])'::regprocedure",
    );
    expect(fn.config).toContain("plan_cache_mode=force_generic_plan");
    const u = await ensureGuest(db, "planner");
    const room = await joinRoom(db, u, "generic-plans");
    const writer = createMessageWriter(db);
    const stored = await Promise.all(["one", "two", "three"].map((text) => writer.post({ user: u, room, text })));
    expect(stored.map((r) => [r.message.text, r.message.seq])).toEqual([["one", 1], ["two", 2], ["three", 3]]);
    // The function's SET clause is undone on return: the connection's own queries plan as before.
    const [after] = await db.query<{ mode: string }>("select current_setting('plan_cache_mode') as mode");
    expect(after.mode).toBe("auto");
  });

  t("group-commits concurrent posts: per-room order, gap-free seqs, one row per clientId", async () => {
    const u = await ensureGuest(db, "batcher");
    const v = await ensureGuest(db, "batcher-2");
    const rooms = [await joinRoom(db, u, "batch-a"), await joinRoom(db, u, "batch-b"), await joinRoom(db, u, "batch-c")];
    await postMessage(db, { user: u, room: rooms[0], text: "before", clientId: "used-in-a" });
    const writer = createMessageWriter(db);
    const posts = Array.from({ length: 300 }, (_, i) => ({
      user: i % 2 ? u : v,
      room: rooms[i % 3],
      text: `g${i}`,
      // Repeats of two clientIds, each always by the same author in the same room.
      clientId: i % 30 === 0 || i % 30 === 3 ? `dup-${i % 30}` : undefined,
    }));
    const settled = await Promise.allSettled([
      ...posts.map((p) => writer.post(p)),
      writer.post({ user: u, room: rooms[1], text: "reused", clientId: "used-in-a" }),
      writer.post({ user: u, room: rooms[0], text: "retry", clientId: "used-in-a" }),
    ]);
    const done = settled.slice(0, 300).map((r) => (r.status === "fulfilled" ? r.value : null));
    expect(settled.slice(0, 300).filter((r) => r.status === "rejected")).toEqual([]);
    expect(settled[300]).toMatchObject({ status: "rejected", reason: { code: "conflict" } });
    expect(settled[301]).toMatchObject({ status: "fulfilled", value: { created: false, message: { text: "before" } } });
    // Posts with the same (author, clientId) resolve to one stored message.
    const byKey = new Map<string, string>();
    posts.forEach((p, i) => {
      if (!p.clientId) return;
      const key = `${p.user.id}:${p.clientId}`;
      const id = done[i]!.message.id;
      if (byKey.has(key)) expect(id).toBe(byKey.get(key));
      else byKey.set(key, id);
    });
    for (const room of rooms) {
      const page = await listMessages(db, { room, limit: 100 });
      const stored = page.messages.filter((m) => m.text.startsWith("g"));
      const seqs = page.messages.map((m) => m.seq);
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => seqs[0] + i));
      for (let i = 1; i < page.messages.length; i++) expect(page.messages[i].id > page.messages[i - 1].id).toBe(true);
      // Arrival order is kept within the room.
      const expected = posts.map((p, i) => ({ p, i })).filter(({ p }) => p.room.id === room.id && done[posts.indexOf(p)]!.created).map(({ i }) => `g${i}`);
      expect(stored.map((m) => m.text)).toEqual(expected);
    }
  });

  t("two instances posting the same clientIds into the same rooms at once store each message once", async () => {
    // On PostgreSQL the second writer has its own pool, like another instance; their batches race on the
    // same rooms and clientIds, so one of them hits the unique index and must retry post by post.
    const other = db.kind === "postgres" ? await openDatabase({ dataDir: "unused", databaseUrl: postgresUrl }) : db;
    try {
      const u = await ensureGuest(db, "racer");
      const rooms = [await joinRoom(db, u, "race-a"), await joinRoom(db, u, "race-b")];
      const a = createMessageWriter(db);
      const b = createMessageWriter(other);
      for (let round = 0; round < 5; round++) {
        const posts = Array.from({ length: 40 }, (_, i) => ({ user: u, room: rooms[i % 2], text: `r${round}-${i}`, clientId: `race-${round}-${i}` }));
        const [fromA, fromB] = await Promise.all([Promise.all(posts.map((p) => a.post(p))), Promise.all(posts.map((p) => b.post(p)))]);
        posts.forEach((_, i) => {
          expect(fromB[i].message.id).toBe(fromA[i].message.id);
          expect(fromA[i].created !== fromB[i].created).toBe(true);
        });
      }
      for (const room of rooms) {
        const page = await listMessages(db, { room, limit: 200 });
        expect(page.messages).toHaveLength(100);
        expect(page.messages.map((m) => m.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
        expect(new Set(page.messages.map((m) => m.clientId)).size).toBe(100);
      }
    } finally {
      if (other !== db) await other.close();
    }
  });

  t("pages history with a cursor, oldest first", async () => {
    const u = await ensureGuest(db, "pager");
    const room = await joinRoom(db, u, "page-room");
    for (let i = 0; i < 7; i++) await postMessage(db, { user: u, room, text: `p${i}` });
    const newest = await listMessages(db, { room, limit: 3 });
    expect(newest.messages.map((m) => m.text)).toEqual(["p4", "p5", "p6"]);
    expect(newest.hasMore).toBe(true);
    const older = await listMessages(db, { room, before: newest.messages[0].id, limit: 10 });
    expect(older.messages.map((m) => m.text)).toEqual(["p0", "p1", "p2", "p3"]);
    expect(older.hasMore).toBe(false);
    // What a reconnecting client missed: the oldest `limit` after a cursor, in the same message shape.
    const missed = await listMessagesAfter(db, { room, after: older.messages[1].id, limit: 3 });
    expect(missed.map((m) => m.text)).toEqual(["p2", "p3", "p4"]);
    expect(missed[0]).toEqual(older.messages[2]);
    expect(await listMessagesAfter(db, { room, after: newest.messages[2].id, limit: 3 })).toEqual([]);
  });

  t("pages a room looked up by name with the scoped lookup's refusals, in one call", async () => {
    const owner = await ensureGuest(db, "historian");
    await db.query("update users set kind = 'user' where id = $1", [owner.id]);
    const account = { ...owner, kind: "user" as const };
    const reader = await ensureGuest(db, "history-reader");
    const open = await joinRoom(db, account, "history-open");
    const empty = await joinRoom(db, account, "history-empty");
    const hidden = await createRoom(db, account, { name: "history-hidden", kind: "private" });
    await postMessage(db, { user: account, room: hidden, text: "not for readers" });
    for (let i = 0; i < 12; i++) await postMessage(db, { user: account, room: open, text: `h${i}`, clientId: i === 5 ? "c5" : undefined });

    // Ten pages walk the room back to front: more than the five custom plans PL/pgSQL makes before it
    // may switch the function's statements to generic ones, on both the cursor and the newest-page path.
    for (let round = 0; round < 10; round++) {
      const newest = await roomHistory(db, reader, { room: "history-open", limit: 5 });
      // The page listMessages gives, and the room it read (its kind: for a server-rendered first page).
      expect(newest).toEqual({ ...(await listMessages(db, { room: open, limit: 5 })), room: expect.objectContaining({ id: open.id, kind: "public" }) });
      expect(newest.messages.map((m) => m.text)).toEqual(["h7", "h8", "h9", "h10", "h11"]);
      expect(newest.hasMore).toBe(true);
      const middle = await roomHistory(db, reader, { room: "history-open", before: newest.messages[0].id, limit: 5 });
      expect(middle.messages.map((m) => m.text)).toEqual(["h2", "h3", "h4", "h5", "h6"]);
      expect(middle.messages[3]).toMatchObject({ room: "history-open", author: "historian", clientId: "c5", seq: 6 });
      expect(middle.messages[0].clientId).toBeUndefined();
      expect(middle.messages[0].createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(middle.hasMore).toBe(true);
      const oldest = await roomHistory(db, reader, { room: "history-open", before: middle.messages[0].id, limit: 2 });
      expect(oldest).toEqual({ messages: [expect.objectContaining({ text: "h0" }), expect.objectContaining({ text: "h1" })], hasMore: false, room: expect.objectContaining({ kind: "public" }) });
    }
    expect(await roomHistory(db, reader, { room: "history-empty", limit: 50 })).toEqual({ messages: [], hasMore: false, room: expect.objectContaining({ name: "history-empty", kind: "public" }) });
    expect(await listMessages(db, { room: empty, limit: 50 })).toEqual({ messages: [], hasMore: false });
    await expect(roomHistory(db, reader, { room: "history-hidden", limit: 50 })).rejects.toMatchObject({
      code: "forbidden",
      message: "you are not a member of this room",
    });
    expect(await roomHistory(db, account, { room: "history-hidden", limit: 50 })).toMatchObject({ messages: [{ text: "not for readers" }], room: { kind: "private" } });
    await expect(roomHistory(db, reader, { room: "history-nowhere", limit: 50 })).rejects.toMatchObject({ code: "not_found" });
    await expect(roomHistory(db, reader, { room: "", limit: 50 })).rejects.toMatchObject({ code: "bad_request" });
  });

  t("counts unread messages per member, excluding their own", async () => {
    const a = await ensureGuest(db, "reader-a");
    const b = await ensureGuest(db, "reader-b");
    const room = await joinRoom(db, a, "unread-room");
    await joinRoom(db, b, "unread-room");
    await postMessage(db, { user: a, room, text: "1" });
    await postMessage(db, { user: a, room, text: "2" });
    const forB = (await listRoomsForUser(db, b)).find((r) => r.name === "unread-room");
    const forA = (await listRoomsForUser(db, a)).find((r) => r.name === "unread-room");
    expect(forB?.unread).toBe(2);
    expect(forA?.unread).toBe(0);
  });

  t("fails only the bad post of a batch the database refuses, and stores its neighbours", async () => {
    const a = await ensureGuest(db, "batch-a");
    const b = await ensureGuest(db, "batch-b");
    const room = await joinRoom(db, a, "batch-room");
    const writer = createMessageWriter(db);
    // Posted in one turn of the event loop, so they share one batch. NUL gets past no normaliser; the
    // database refuses it, which fails the batch's statement.
    const settled = await Promise.allSettled([
      writer.post({ user: a, room, text: "before", clientId: "batch-1" }),
      writer.post({ user: b, room, text: "evil \u0000 nul" }),
      writer.post({ user: b, room, text: "after" }),
    ]);
    expect(settled.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    const page = await listMessages(db, { room, limit: 10 });
    expect(page.messages.map((m) => [m.author, m.text, m.seq])).toEqual([
      ["batch-a", "before", 1],
      ["batch-b", "after", 2],
    ]);
  });

  t("refuses a reply whose root was deleted after the root was looked up, storing nothing", async () => {
    const author = await ensureGuest(db, "thread-racer");
    const room = await joinRoom(db, author, "thread-race");
    const root = (await postMessage(db, { user: author, room, text: "root" })).message;
    const rootId = await findThreadRoot(db, room, root.id);
    // Positive control: a reply to the looked-up root is stored.
    const first = await postReply(db, { user: author, room, text: "first", rootId });
    expect(first.message).toMatchObject({ threadId: root.id, seq: 2 });
    // The root is deleted between the lookup and the reply (as by someone else at the same moment).
    await deleteMessage(db, { user: author, room, id: root.id });
    await expect(postReply(db, { user: author, room, text: "late", clientId: "late-reply", rootId })).rejects.toMatchObject({ code: "not_found" });
    await expect(findThreadRoot(db, room, first.message.id)).rejects.toMatchObject({ code: "not_found" });
    const thread = await threadPage(db, { room, threadId: root.id, limit: 10 });
    expect(thread.messages.map((m) => m.text)).toEqual(["first"]);
    expect(thread.root.replies?.count).toBe(1);
    // The room's seq stayed gap-free: the refused reply's seq was rolled back.
    expect((await postMessage(db, { user: author, room, text: "after" })).message.seq).toBe(3);
  });

  t("keeps look-alike and case-variant room names unique by their UTS #39 skeleton", async () => {
    const owner = await ensureGuest(db, "skeleton-owner");
    await db.query("update users set kind = 'user' where id = $1", [owner.id]);
    const account = { ...owner, kind: "user" as const };
    await createRoom(db, account, { name: "vault", kind: "private" });
    for (const name of ["v\u0430ult", "VAULT", "ｖａｕｌｔ"]) {
      await expect(createRoom(db, account, { name })).rejects.toMatchObject({ code: "conflict" });
      // joining by a look-alike neither creates a room nor loops
      await expect(joinRoom(db, account, name)).rejects.toMatchObject({ code: "conflict" });
    }
    await expect(createRoom(db, account, { name: "vault\u200b" })).rejects.toMatchObject({ code: "bad_request" });
    await expect(createRoom(db, account, { name: "\uff44m:1:2" })).rejects.toMatchObject({ code: "bad_request" }); // fullwidth d
    expect((await createRoom(db, account, { name: "Aの話題の部屋" })).name).toBe("Aの話題の部屋");
  });
});
