import type { Database, Queryable } from "../db";
import { AppError } from "../errors";
import { COLUMNS, postMessage, toMessage, type MessageRow } from "./messages";
import type { Room } from "./rooms";
import type { Message } from "./types";
import type { User } from "./users";

type Post = { user: User; room: Room; text: string; clientId?: string };
type Result = { message: Message; created: boolean };
type Pending = Post & { resolve: (r: Result) => void; reject: (e: unknown) => void };

/** Largest batch written in one transaction. */
const MAX_BATCH = 256;

class BatchConflict extends Error {}

/**
 * Group commit for messages: posts that arrive while a write is in flight are stored together in the
 * next transaction (a handful of statements for the whole batch instead of a transaction each). Every
 * post still resolves only after its batch committed, so acks keep meaning "stored". Ordering is the
 * same as one at a time: within a room, seq and id follow the order the posts arrived; the room rows
 * are locked in id order so concurrent writers (other instances) cannot deadlock.
 */
export function createMessageWriter(db: Database) {
  const queue: Pending[] = [];
  let running = false;

  async function drain() {
    running = true;
    while (queue.length > 0) {
      const batch = queue.splice(0, MAX_BATCH);
      try {
        const results = batch.length === 1 ? [await postMessage(db, batch[0])] : await writeBatch(batch);
        batch.forEach((p, i) => {
          const r = results[i];
          if (r instanceof Error) p.reject(r);
          else p.resolve(r);
        });
      } catch (err) {
        if (!(err instanceof BatchConflict)) {
          batch.forEach((p) => p.reject(err));
          continue;
        }
        // A clientId raced in from elsewhere: fall back to one transaction per post for this batch.
        for (const p of batch) await postMessage(db, p).then(p.resolve, p.reject);
      }
    }
    running = false;
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
    const results: (Result | Error)[] = new Array(batch.length);
    await db.transaction(async (tx) => {
      const stored = await existing(tx, fresh.map((i) => batch[i]));
      const toInsert = fresh.filter((i) => {
        const hit = stored.get(`${batch[i].user.id}\u0000${batch[i].clientId}`);
        if (!hit) return true;
        results[i] =
          hit.roomId !== batch[i].room.id
            ? new AppError("conflict", "clientId was already used for another room")
            : { message: toMessage(batch[i].room.name, hit.row), created: false };
        return false;
      });
      if (toInsert.length > 0) await insert(tx, toInsert.map((i) => batch[i]), toInsert, results);
    });
    return batch.map((_, i) => {
      if (sameAs[i] < 0) return results[i];
      const first = results[sameAs[i]];
      return first instanceof Error ? first : { message: first.message, created: false };
    });
  }

  async function existing(tx: Queryable, posts: Post[]) {
    const keyed = posts.filter((p) => p.clientId !== undefined);
    const found = new Map<string, { roomId: string; row: MessageRow }>();
    if (keyed.length === 0) return found;
    const rows = await tx.query<MessageRow & { room_id: string; author_id: string }>(
      `select ${COLUMNS}, room_id::text as room_id, author_id::text as author_id from messages
        where (author_id, client_id) in (select * from unnest($1::bigint[], $2::text[]))`,
      [keyed.map((p) => p.user.id), keyed.map((p) => p.clientId)],
    );
    for (const r of rows) found.set(`${r.author_id}\u0000${r.client_id}`, { roomId: r.room_id, row: r });
    return found;
  }

  async function insert(tx: Queryable, posts: Post[], slots: number[], results: (Result | Error)[]) {
    const perRoom = new Map<string, number>();
    for (const p of posts) perRoom.set(p.room.id, (perRoom.get(p.room.id) ?? 0) + 1);
    const roomIds = [...perRoom.keys()].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
    await tx.query("select id from rooms where id = any($1::bigint[]) order by id for update", [roomIds]);
    const bumped = await tx.query<{ id: string; last_seq: string }>(
      `update rooms r set last_seq = r.last_seq + v.n from unnest($1::bigint[], $2::int[]) as v(id, n)
        where r.id = v.id returning r.id::text as id, r.last_seq`,
      [roomIds, roomIds.map((id) => perRoom.get(id))],
    );
    const next = new Map(bumped.map((b) => [b.id, Number(b.last_seq) - perRoom.get(b.id)! + 1]));
    const seqs = posts.map((p) => {
      const s = next.get(p.room.id)!;
      next.set(p.room.id, s + 1);
      return s;
    });
    const rows = await tx.query<MessageRow & { room_id: string }>(
      `insert into messages (id, room_id, seq, author_id, author, body, client_id)
       select nextval('message_ids'), v.room_id, v.seq, v.author_id, v.author, v.body, v.client_id
         from unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::text[]) as v(room_id, seq, author_id, author, body, client_id)
       on conflict (author_id, client_id) where client_id is not null do nothing
       returning ${COLUMNS}, room_id::text as room_id`,
      [posts.map((p) => p.room.id), seqs, posts.map((p) => p.user.id), posts.map((p) => p.user.name), posts.map((p) => p.text), posts.map((p) => p.clientId ?? null)],
    );
    // Someone else stored one of these clientIds meanwhile: undo the whole batch (keeps seq gap-free).
    if (rows.length !== posts.length) throw new BatchConflict();
    const stored = new Map(rows.map((r) => [`${r.room_id}:${r.seq}`, r]));
    await tx.query(
      `update memberships m set last_read_seq = greatest(m.last_read_seq, v.seq)
         from (select room_id, user_id, max(seq) as seq from unnest($1::bigint[], $2::bigint[], $3::bigint[]) as u(room_id, user_id, seq) group by room_id, user_id) v
        where m.room_id = v.room_id and m.user_id = v.user_id`,
      [posts.map((p) => p.room.id), posts.map((p) => p.user.id), seqs],
    );
    posts.forEach((p, k) => {
      results[slots[k]] = { message: toMessage(p.room.name, stored.get(`${p.room.id}:${seqs[k]}`)!), created: true };
    });
  }

  return {
    /** Stores a message (batched with concurrent ones); resolves after commit. */
    post(input: Post): Promise<Result> {
      return new Promise((resolve, reject) => {
        queue.push({ ...input, resolve, reject });
        if (!running) void drain();
      });
    },
  };
}
