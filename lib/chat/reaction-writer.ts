import type { Database, Queryable } from "../db";
import { AppError } from "../errors";
import type { MessageChange } from "./changes";
import { formatMessageId, rowsForToggle, toMessage, type MessageRow } from "./messages";
import { toggleReactionIn } from "./reactions";
import { lockRoom, notAMember, roomArchived, type Room } from "./rooms";
import { REACTION_USERS_SHOWN, type Message, type MessageExtra, type Reaction, type ReactionToggle, type StoredReaction } from "./types";
import type { User } from "./users";

/** One reaction toggle: `id` is a parsed message id (digits, no padding), `emoji` already validated. */
export type ReactionRequest = { user: User; room: Room; id: string; emoji: string };
/** A committed toggle: the `reacted` change as the domain event announces it, with what the toggle did. */
export type Toggled = { change: MessageChange & { kind: "reacted"; reaction: ReactionToggle }; message: Message };
type Pending = ReactionRequest & { resolve: (r: Toggled) => void; reject: (e: unknown) => void };

/** A message as read for toggling: every reactor is in `extra.reactions`; `change_seq` as text, null before any change. */
type Row = MessageRow & { room_id: string; change_seq: string | null };

/** Largest batch taken from a lane at once. */
const MAX_BATCH = 512;
/** Messages whose state after our last write is remembered (hot messages of a storm are few). */
const KNOWN_MAX = 256;
/** Optimistic attempts before a batch is written holding the room row from its read on. */
const OPTIMISTIC_TRIES = 3;

const APPLY_SQL = "select apply_reactions($1::bigint, $2::bigint[], $3::bigint[], $4::jsonb[], $5::int[], $6::int)::text as r";
/** For a private room or DM: with the batch's reactors, each checked to be a member once the room is held (migration 46). */
const APPLY_AS_MEMBERS_SQL = "select apply_reactions($1::bigint, $2::bigint[], $3::bigint[], $4::jsonb[], $5::int[], $6::int, $7::bigint[])::text as r";
type Applied = { gone?: true; stale?: true; archived?: true; forbidden?: string[]; first?: number; ids?: string[] };

class Stale extends Error {}
/**
 * Some reactors of the batch are no longer members of its private room or DM: nothing was written. An
 * AppError (with a code), so a transaction it rolls back keeps its database connection.
 */
class Barred extends AppError {
  constructor(readonly users: Set<string>) {
    super("forbidden", "not a member");
  }
}

/** A copy of reactions as clients see them at one moment (the working list keeps changing). */
const snapshot = (reactions: readonly Reaction[]): Reaction[] =>
  reactions.map((r) => ({ emoji: r.emoji, count: r.count, users: r.users.slice(0, REACTION_USERS_SHOWN) }));

/**
 * Group commit for reaction toggles, as createMessageWriter is for posts: toggles that arrive while a
 * write is in flight (or in the same turn of the event loop) are stored together, one room at a time,
 * by one call of `apply_reactions` (migration 19) — one round trip and one commit per batch instead of a
 * transaction per toggle that holds the room row across six round trips (begin, four statements, commit). Semantics are those of one
 * toggle at a time, in arrival order: each toggle gets its own change position (`changeSeq` +1 each,
 * gap-free; `changeId` increasing), sees the toggles before it, and is refused alone (`not_found` for
 * an unknown or deleted message, `too_large` past the distinct-emoji cap) without taking a position.
 * Every toggle resolves only after its batch committed, in arrival order, so acks keep meaning "stored"
 * and events go out in change order.
 *
 * The toggles are computed here from the messages as read (without locks), and `apply_reactions`
 * writes them only if no message changed since (any change sets a new `change_seq`); otherwise the
 * batch is read again (another instance, or an edit, got there first). After OPTIMISTIC_TRIES such
 * rounds the batch is written in a transaction that holds the room row from before its read. The state
 * this writer stored last is remembered per message, so a storm on one message reads nothing.
 *
 * One lane on PGlite (one statement at a time), four on PostgreSQL; a room always uses the same lane.
 * `onBatch(size)` is told the number of toggles of every batch taken from a lane.
 */
export function createReactionWriter(db: Database, opts: { onBatch?: (size: number) => void } = {}) {
  const lanes = Array.from({ length: db.kind === "postgres" ? 4 : 1 }, () => ({ queue: [] as Pending[], running: false }));
  const known = new Map<string, Row>();

  function remember(row: Row) {
    known.delete(row.id);
    known.set(row.id, row);
    if (known.size > KNOWN_MAX) known.delete(known.keys().next().value as string);
  }

  async function rows(q: Queryable, room: Room, ids: string[], fresh: boolean): Promise<Map<string, Row>> {
    const out = new Map<string, Row>();
    const missing: string[] = [];
    for (const id of ids) {
      const row = fresh ? undefined : known.get(id);
      if (row && row.room_id === room.id) out.set(id, row);
      else missing.push(id);
    }
    if (missing.length > 0) for (const row of await rowsForToggle(q, room.id, missing)) out.set(row.id, row);
    return out;
  }

  /** Applies `batch` (one room) to the messages as read and stores it; Stale when a message changed meanwhile. */
  async function attempt(q: Queryable, room: Room, batch: ReactionRequest[], fresh: boolean): Promise<(Toggled | Error)[]> {
    const state = await rows(q, room, [...new Set(batch.map((t) => t.id))], fresh);
    type Work = { row: Row; extra: MessageExtra; reactions: StoredReaction[]; last: number };
    const work = new Map<string, Work>();
    const done: ({ work: Work; k: number; toggle: ReactionToggle; shown: Reaction[] } | Error)[] = [];
    let k = 0;
    for (const t of batch) {
      try {
        let w = work.get(t.id);
        if (!w) {
          const row = state.get(t.id);
          if (!row) throw new AppError("not_found", "no such message in this room");
          const { changeId: _id, changeSeq: _seq, ...extra } = row.extra ?? {};
          w = { row, extra, reactions: (extra.reactions ?? []).map((r) => ({ ...r, users: [...r.users], ...(r.ids ? { ids: [...r.ids] } : {}) })), last: 0 };
          work.set(t.id, w);
        }
        if (w.extra.deleted) throw new AppError("not_found", "that message was deleted");
        const toggle = toggleReactionIn(w.reactions, t.emoji, t.user);
        w.last = ++k;
        done.push({ work: w, k, toggle, shown: snapshot(w.reactions) });
      } catch (err) {
        done.push(err as Error);
      }
    }
    if (k === 0) return done as Error[];
    const written = [...work.entries()].filter(([, w]) => w.last > 0);
    const extras = written.map(([, w]) => {
      const { reactions: _r, ...rest } = w.extra;
      return w.reactions.length > 0 ? { ...rest, reactions: w.reactions } : rest;
    });
    const params: unknown[] = [
      room.id,
      written.map(([id]) => id),
      written.map(([, w]) => w.row.change_seq),
      extras.map((e) => JSON.stringify(e)),
      written.map(([, w]) => w.last),
      k,
    ];
    const closed = room.kind !== "public";
    if (closed) params.push([...new Set(batch.filter((_, i) => !(done[i] instanceof Error)).map((t) => t.user.id))]);
    const [{ r }] = await q.query<{ r: string }>(closed ? APPLY_AS_MEMBERS_SQL : APPLY_SQL, params);
    const applied: Applied = JSON.parse(r);
    if (applied.gone) return done.map((d) => (d instanceof Error ? d : new AppError("not_found", "room no longer exists")));
    // Archived by the time the batch held the room (migration 56): nothing was written.
    if (applied.archived) return done.map((d) => (d instanceof Error ? d : roomArchived()));
    if (applied.forbidden) throw new Barred(new Set(applied.forbidden));
    if (applied.stale) {
      for (const [id] of written) known.delete(id);
      throw new Stale();
    }
    const first = Number(applied.first);
    const changeIds = applied.ids!;
    written.forEach(([, w], i) => {
      const changeSeq = first + w.last - 1;
      remember({ ...w.row, extra: { ...extras[i], changeId: formatMessageId(changeIds[w.last - 1]), changeSeq }, change_seq: String(changeSeq) });
    });
    return done.map((d) => {
      if (d instanceof Error) return d;
      const { reactions: _r, ...rest } = d.work.extra;
      const extra: MessageExtra = { ...rest, changeId: formatMessageId(changeIds[d.k - 1]), changeSeq: first + d.k - 1 };
      if (d.shown.length > 0) extra.reactions = d.shown;
      const message = toMessage(room.name, { ...d.work.row, extra });
      return { change: { kind: "reacted", message, reaction: d.toggle }, message };
    });
  }

  /**
   * Stores the toggles of one room, in arrival order; one result per toggle. The toggles of reactors who
   * are no longer members of a private room or DM are refused (`forbidden`) and the rest stored as if
   * those had never come.
   */
  async function writeRoom(room: Room, batch: ReactionRequest[]): Promise<(Toggled | Error)[]> {
    const results: (Toggled | Error)[] = new Array(batch.length);
    let left = batch.map((_, i) => i);
    for (;;) {
      try {
        const out = await writeMembers(room, left.map((i) => batch[i]));
        out.forEach((r, j) => (results[left[j]] = r));
        return results;
      } catch (err) {
        if (!(err instanceof Barred)) throw err;
        // (Every id it names is a reactor of the batch; were none, all would be refused rather than looping.)
        const named = left.some((i) => err.users.has(batch[i].user.id));
        left = left.filter((i) => {
          if (named && !err.users.has(batch[i].user.id)) return true;
          results[i] = notAMember();
          return false;
        });
        if (left.length === 0) return results;
      }
    }
  }

  /** writeRoom for toggles whose reactors may all react (Barred otherwise, with nothing written). */
  async function writeMembers(room: Room, batch: ReactionRequest[]): Promise<(Toggled | Error)[]> {
    for (let i = 0; i < OPTIMISTIC_TRIES; i++) {
      try {
        return await attempt(db, room, batch, i > 0);
      } catch (err) {
        if (!(err instanceof Stale)) throw err;
      }
    }
    // Every change of a message takes the room row first, so holding it from before the read, nothing can change.
    return db.transaction(async (tx) => {
      await lockRoom(tx, room.id);
      return attempt(tx, room, batch, true);
    });
  }

  async function drain(lane: (typeof lanes)[number]) {
    while (lane.queue.length > 0) {
      const batch = lane.queue.splice(0, MAX_BATCH);
      opts.onBatch?.(batch.length);
      const byRoom = new Map<string, Pending[]>();
      for (const p of batch) {
        const list = byRoom.get(p.room.id);
        if (list) list.push(p);
        else byRoom.set(p.room.id, [p]);
      }
      for (const group of byRoom.values()) {
        try {
          const results = await writeRoom(group[0].room, group);
          group.forEach((p, i) => {
            const r = results[i];
            if (r instanceof Error) p.reject(r);
            else p.resolve(r);
          });
        } catch {
          // The batch failed as a whole (a lost connection, a lock timeout, something the database
          // refused): one at a time, so a toggle that cannot be stored fails alone.
          for (const p of group) {
            try {
              const [r] = await writeRoom(p.room, [p]);
              if (r instanceof Error) p.reject(r);
              else p.resolve(r);
            } catch (err) {
              p.reject(err);
            }
          }
        }
      }
    }
    lane.running = false;
  }

  return {
    /** Toggles `user`'s reaction `emoji` on message `id` of `room` (batched with concurrent ones); resolves after commit. */
    toggle(input: ReactionRequest): Promise<Toggled> {
      return new Promise((resolve, reject) => {
        const lane = lanes.length === 1 ? lanes[0] : lanes[Number.parseInt(input.room.id.slice(-6), 10) % lanes.length];
        lane.queue.push({ ...input, resolve, reject });
        if (lane.running) return;
        lane.running = true;
        setImmediate(() => void drain(lane));
      });
    },
  };
}
