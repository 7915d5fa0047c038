import type { Database } from "../db";
import { AppError } from "../errors";
import { postMessage, toMessage } from "./messages";
import { notAMember, roomArchived, type Room } from "./rooms";
import type { Message, MessageExtra } from "./types";
import { uploadTaken } from "./uploads";
import type { User } from "./users";

type Post = { user: User; room: Room; text: string; clientId?: string; extra?: MessageExtra };
type Result = { message: Message; created: boolean };
type Pending = Post & { resolve: (r: Result) => void; reject: (e: unknown) => void };

/** Largest batch written in one statement. */
const MAX_BATCH = 512;

/**
 * One call of `store_messages` (migration 45: `post_messages` of migrations 4, 9 and 30 with the authors'
 * membership of private rooms and DMs checked once the rooms are held) stores the whole batch: one round
 * trip, one commit. `$7`: each post's search document built here (migration 30; null where the database
 * builds it), or null for none built here.
 */
// As text: a string crosses from PGlite's worker thread more cheaply than the objects parsed from it.
const BATCH_SQL = "select store_messages($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::text[])::text as r";

type Stored = {
  /** [id, roomId, seq, createdAt] */
  new: [string, string, number, string][];
  /** [position, id, roomId, seq, author, body, clientId, createdAt, extra] */
  old: [number, string, string, number, string, string, string | null, string, MessageExtra | null][];
  /** Positions of posts not stored because an attachment was taken (see migration 9). */
  refused?: number[];
  /** Positions of posts not stored because their author is not a member of the private room or DM (migration 45). */
  forbidden?: number[];
  /** 1-based positions of posts to a room archived by the time the batch held it (migration 56). */
  archived?: number[];
};

/**
 * Group commit for messages: posts that arrive while a write is in flight (or in the same turn of the
 * event loop) are stored together by the next statement. Every post still resolves only after its batch
 * committed, so acks keep meaning "stored". Ordering is the same as one at a time: within a room, seq
 * and id follow the order the posts arrived.
 *
 * On PostgreSQL several batches may be in flight at once, one per lane; a room always uses the same
 * lane, so its posts are still written in arrival order. PGlite runs one statement at a time: one lane.
 *
 * `onBatch(size)` is told the number of posts of every batch taken from a lane (metrics); `onStored(count)`
 * the number of new messages each batch stored, once its statement returned (what the search index's
 * background merges follow: lib/db/gin-pending-list.ts).
 * `searchDocument(text)`, when given, builds a post's search document (tsvector input text) on this
 * thread instead of the database's (lib/search/document.ts; `null`: the database builds it).
 */
export function createMessageWriter(
  db: Database,
  opts: { onBatch?: (size: number) => void; onStored?: (count: number) => void; searchDocument?: (text: string) => string | null } = {},
) {
  const lanes = Array.from({ length: db.kind === "postgres" ? 4 : 1 }, () => ({
    queue: [] as Pending[],
    running: false,
  }));

  async function drain(lane: (typeof lanes)[number]) {
    while (lane.queue.length > 0) {
      const batch = lane.queue.splice(0, MAX_BATCH);
      opts.onBatch?.(batch.length);
      try {
        const results = await writeBatch(batch);
        batch.forEach((p, i) => {
          const r = results[i];
          if (r instanceof Error) p.reject(r);
          else p.resolve(r);
        });
      } catch {
        // The whole statement failed: a clientId stored by someone else between our check and our insert
        // (unique violation), two instances locking rooms against each other, or one post the database
        // refuses (text the normaliser should have stopped). Retry one post at a time so a bad post
        // fails alone and never takes its neighbours down with it.
        for (const p of batch) await postMessage(db, p).then(p.resolve, p.reject);
      }
    }
    lane.running = false;
  }

  async function writeBatch(batch: Post[]): Promise<(Result | Error)[]> {
    // The same (author, clientId, room) twice in one batch: the later ones take the first's result.
    const firstOf = new Map<string, number>();
    const fresh: number[] = [];
    const sameAs = batch.map((p, i) => {
      if (p.clientId === undefined) return (fresh.push(i), -1);
      const key = `${p.user.id}\u0000${p.clientId}\u0000${p.room.id}`;
      const first = firstOf.get(key);
      if (first !== undefined) return first;
      firstOf.set(key, i);
      fresh.push(i);
      return -1;
    });
    const posts = fresh.map((i) => batch[i]);
    const params: unknown[] = [
      posts.map((p) => p.room.id),
      posts.map((p) => p.user.id),
      posts.map((p) => p.user.name),
      posts.map((p) => p.text),
      posts.map((p) => p.clientId ?? null),
      posts.map((p) => (p.extra ? JSON.stringify(p.extra) : null)),
    ];
    const build = opts.searchDocument;
    params.push(build ? posts.map((p) => build(p.text)) : null);
    const [{ r }] = await db.query<{ r: string }>(BATCH_SQL, params);
    const stored: Stored = JSON.parse(r);
    if (stored.new.length > 0) opts.onStored?.(stored.new.length);
    const results: (Result | Error)[] = new Array(batch.length);
    const found = new Set<number>();
    for (const ord of stored.refused ?? []) {
      found.add(ord - 1);
      results[fresh[ord - 1]] = uploadTaken();
    }
    for (const ord of stored.forbidden ?? []) {
      found.add(ord - 1);
      results[fresh[ord - 1]] = notAMember();
    }
    for (const ord of stored.archived ?? []) {
      found.add(ord - 1);
      results[fresh[ord - 1]] = roomArchived();
    }
    for (const [ord, id, roomId, seq, author, body, clientId, createdAt, extra] of stored.old) {
      const p = posts[ord - 1];
      found.add(ord - 1);
      results[fresh[ord - 1]] =
        roomId !== p.room.id
          ? new AppError("conflict", "clientId was already used for another room")
          : { message: toMessage(p.room.name, { id, seq, author, body, client_id: clientId, created_at: createdAt, extra }), created: false };
    }
    // A room's new rows, in seq order, belong to its posts that were not found, in arrival order.
    const byRoom = new Map<string, Stored["new"]>();
    for (const row of stored.new) {
      const list = byRoom.get(row[1]);
      if (list) list.push(row);
      else byRoom.set(row[1], [row]);
    }
    for (const list of byRoom.values()) list.sort((a, b) => a[2] - b[2]);
    const taken = new Map<string, number>();
    posts.forEach((p, k) => {
      if (found.has(k)) return;
      const n = taken.get(p.room.id) ?? 0;
      taken.set(p.room.id, n + 1);
      const row = byRoom.get(p.room.id)?.[n];
      if (!row) return;
      const message = toMessage(p.room.name, { id: row[0], seq: row[2], author: p.user.name, body: p.text, client_id: p.clientId ?? null, created_at: row[3], extra: p.extra });
      results[fresh[k]] = { message, created: true };
    });
    // A post neither stored nor found: its room no longer exists.
    fresh.forEach((i) => (results[i] ??= new AppError("not_found", "room no longer exists")));
    return batch.map((_, i) => {
      if (sameAs[i] < 0) return results[i];
      const first = results[sameAs[i]];
      return first instanceof Error ? first : { message: first.message, created: false };
    });
  }

  return {
    /** Stores a message (batched with concurrent ones); resolves after commit. */
    post(input: Post): Promise<Result> {
      return new Promise((resolve, reject) => {
        // Room ids are digit strings; any deterministic choice keeps a room on one lane.
        const lane = lanes.length === 1 ? lanes[0] : lanes[Number.parseInt(input.room.id.slice(-6), 10) % lanes.length];
        lane.queue.push({ ...input, resolve, reject });
        if (lane.running) return;
        lane.running = true;
        // Wait for the rest of this turn of the event loop: sends read from the same socket chunk batch up.
        setImmediate(() => void drain(lane));
      });
    },
  };
}
