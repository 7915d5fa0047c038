import type { Database } from "../db";
import { AppError } from "../errors";
import { enterRoomPage, enterRoomPages, type Entered } from "./messages";
import type { User } from "./users";

/** The most joins read by one statement. */
const JOIN_BATCH_MAX = 100;

type Pending = { user: User; name: string; resolve: (e: Entered | undefined) => void; reject: (err: unknown) => void };

/**
 * Group commit for joins, as createMessageWriter is for posts: a join that finds a statement free is read
 * at once, alone (enterRoomPage: `enter_room()`); joins that arrive while every statement is busy wait
 * and are read together as soon as one is free, up to JOIN_BATCH_MAX at a time, in arrival order, by one
 * call of `enter_rooms()` (migration 64). Each join gets exactly what enterRoomPage would have given it:
 * its page, undefined for a name no room has, or its own refusal. One statement is one transaction: if
 * it fails, each of its joins is read again on its own, so one join's error is that join's alone.
 *
 * Why: a join storm (every client of a restarted server coming back at once) cost a statement per join,
 * on PostgreSQL a round trip each, on PGlite a message to its one database thread each; the bench's
 * join of 1,000 clients spent about a quarter of the server's main thread on those round trips.
 *
 * `parallel`: statements in flight at once, 1 unless given, on PostgreSQL too: the bench's join of 1,000
 * clients on PostgreSQL cost 2.0–2.1 s of server CPU and 0.31 s of PostgreSQL's with 1 (about 450
 * statements), 2.4 s and 0.42 s with 2, 2.6 s and 0.6 s with a statement per join; on PGlite 2.1 s
 * (its thread 0.34 s) against 2.7 s (0.65 s). A join waits at most for the statement in flight, a few
 * ms. `limit`: the page size (messages) every join reads. `onBatch(size)` is told the number of joins
 * of every statement.
 */
export function createJoinReader(db: Database, opts: { limit: number; parallel?: number; onBatch?: (size: number) => void }) {
  const parallel = opts.parallel ?? 1;
  const waiting: Pending[] = [];
  let running = 0;

  async function readAlone(p: Pending) {
    try {
      p.resolve(await enterRoomPage(db, p.user, p.name, opts.limit));
    } catch (err) {
      p.reject(err);
    }
  }

  async function readTogether(batch: Pending[]) {
    let answers: Awaited<ReturnType<typeof enterRoomPages>>;
    try {
      answers = await enterRoomPages(db, batch, opts.limit);
    } catch {
      // Whichever join failed the statement, each is read on its own: its own answer or error.
      for (const p of batch) await readAlone(p);
      return;
    }
    batch.forEach((p, i) => {
      const answer = answers[i];
      if (answer instanceof AppError) p.reject(answer);
      else p.resolve(answer);
    });
  }

  function run(batch: Pending[]) {
    running++;
    opts.onBatch?.(batch.length);
    void (batch.length === 1 ? readAlone(batch[0]) : readTogether(batch)).finally(() => {
      running--;
      if (waiting.length > 0) run(waiting.splice(0, JOIN_BATCH_MAX));
    });
  }

  return {
    /**
     * Joins `name` (already normalised) for `user`: what enterRoomPage(db, user, name, limit) answers
     * (undefined for a name no room has), rejected with the same AppError for a refusal.
     */
    enter(user: User, name: string): Promise<Entered | undefined> {
      return new Promise((resolve, reject) => {
        const p = { user, name, resolve, reject };
        if (running < parallel) run([p]);
        else waiting.push(p);
      });
    },
  };
}
