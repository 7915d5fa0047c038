/**
 * The search index's pending list merged in the background (lib/db/gin-pending-list.ts; the server runs
 * it on PostgreSQL), and the list's size per database (migration 53, PGLITE_SETTINGS): on real databases.
 * `gin_clean_pending_list()` merges what is pending and says how many 8 kB pages that was, so it both
 * measures the list and empties it.
 */
import type { Database } from "../../lib/db";
import { createMessageWriter } from "../../lib/chat/message-writer";
import { joinRoom } from "../../lib/chat/rooms";
import { ensureGuest } from "../../lib/chat/users";
import { createPendingListMerger } from "../../lib/db/gin-pending-list";
import { DATABASE_BACKENDS, until } from "../helpers/server";

describe.each(DATABASE_BACKENDS)("the search index's pending list on %s", (backend, open) => {
  let db: Database | undefined;
  beforeAll(async () => {
    db = await open();
    if (!db) process.stdout.write(`skipping the pending-list tests on ${backend}: DATABASE_URL is not set\n`);
  });
  afterAll(() => db?.close());

  const pendingPages = async (d: Database) => (await d.query<{ n: number }>("select gin_clean_pending_list('message_search_doc'::regclass)::int as n"))[0].n;
  let rooms = 0;
  /** Stores `count` messages through the server's writer (its search documents left to the database). */
  async function write(d: Database, count: number, onStored?: (count: number) => void) {
    const user = await ensureGuest(d, `pending-${backend.toLowerCase()}`);
    const room = await joinRoom(d, user, `pending-${++rooms}`);
    const writer = createMessageWriter(d, { onStored });
    await Promise.all(
      Array.from({ length: count }, (_, i) => writer.post({ user, room, text: `deploy number ${i} of the release 打ち合わせ ${i % 17} review ${i * 7}` })),
    );
  }

  it("leaves the size to the database: 512 kB on PGlite, PostgreSQL's own on PostgreSQL (migration 53)", async () => {
    if (!db) return;
    const [index] = await db.query<{ options: string[] | null }>("select reloptions as options from pg_class where oid = 'message_search_doc'::regclass");
    expect(index.options).toBeNull();
    const [limit] = await db.query<{ kb: number }>("select pg_size_bytes(current_setting('gin_pending_list_limit')) / 1024 as kb");
    expect(Number(limit.kb)).toBe(db.kind === "pglite" ? 512 : 4096);
  });

  it("on PGlite, 1,500 messages leave at most 512 kB unmerged; PostgreSQL's 4 MB would keep more", async () => {
    if (!db || db.kind !== "pglite") return;
    await pendingPages(db);
    await write(db, 1500);
    const limited = await pendingPages(db);
    expect(limited).toBeGreaterThan(0);
    expect(limited).toBeLessThanOrEqual(65);
    // The control: the same messages under a 4 MB limit leave more than 512 kB pending.
    await db.exec("set gin_pending_list_limit = '4MB'");
    try {
      await write(db, 1500);
      expect(await pendingPages(db)).toBeGreaterThan(64);
    } finally {
      await db.exec("reset gin_pending_list_limit");
    }
  });

  it("merges what writes left pending, soon after them", async () => {
    if (!db) return;
    const d = db;
    await pendingPages(d);
    // The control: without the merger, the writes' entries stay pending.
    await write(d, 300);
    expect(await pendingPages(d)).toBeGreaterThan(0);

    const merged: number[] = [];
    const errors: unknown[] = [];
    const merger = createPendingListMerger(d, { index: "message_search_doc", delayMs: 20, onMerged: (pages) => merged.push(pages), onError: (e) => errors.push(e) });
    try {
      await write(d, 300, (size) => merger.noteWrites(size));
      // Writes that came while a merge ran get one more after it; once they are done nothing is left.
      await merger.settled();
      expect(merged.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
      expect(await pendingPages(d)).toBe(0);
      expect(errors).toEqual([]);
      expect(merger.stopped).toBe(false);
    } finally {
      await merger.close();
    }
    expect(merger.stopped).toBe(true);
  });

  it("stops for good when the index is not there, and says why", async () => {
    if (!db) return;
    const errors: { code?: string }[] = [];
    const merger = createPendingListMerger(db, { index: "no_such_index", delayMs: 1, onError: (e) => errors.push(e as { code?: string }) });
    merger.noteWrites(1);
    await until(() => merger.stopped, 10_000, "the merger to stop");
    expect(errors.map((e) => e.code)).toEqual(["42P01"]);
    await merger.close();
  });
});
