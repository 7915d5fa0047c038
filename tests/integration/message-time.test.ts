/**
 * A message's createdAt is when it was stored (migration 32), not when the transaction storing it began:
 * on PostgreSQL several writers run at once, and a batch that began earlier but stored later got a later
 * id with an earlier time, so search results (newest first by id) were out of time order (an outside
 * check: up to 44 ms). On both databases, through post_messages(), the writer's statement.
 */
import type { Database, Queryable } from "../../lib/db";
import { DATABASE_BACKENDS } from "../helpers/server";

jest.setTimeout(60_000);

describe.each(DATABASE_BACKENDS)("message times on %s", (name, open) => {
  let db: Database | undefined;
  let room = "";
  let user = "";
  beforeAll(async () => {
    db = await open();
    if (!db) return console.warn(`${name}: skipped, DATABASE_URL is not set`);
    [{ id: room }] = await db.query<{ id: string }>("insert into rooms (name, kind) values ('times', 'public') returning id::text as id");
    [{ id: user }] = await db.query<{ id: string }>("insert into users (name, name_key, kind) values ('timer', 'timer', 'user') returning id::text as id");
  });
  afterAll(() => db?.close());

  /** Stores `bodies` through post_messages() on `q`; their ids. */
  async function post(q: Queryable, ...bodies: string[]): Promise<string[]> {
    const [{ r }] = await q.query<{ r: string }>(
      "select post_messages($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::jsonb[])::text as r",
      [bodies.map(() => room), bodies.map(() => user), bodies.map(() => "timer"), bodies, bodies.map(() => null), bodies.map(() => null)],
    );
    return (JSON.parse(r) as { new: [string][] }).new.map(([id]) => id);
  }

  /** Whether created_at grows with id over `ids` (compared in the database, to the microsecond). */
  async function inTimeOrder(ids: string[]): Promise<boolean> {
    const [{ ok }] = await db!.query<{ ok: boolean }>(
      `select bool_and(created_at >= prev) is not false as ok
         from (select created_at, lag(created_at) over (order by id) as prev from messages where id = any($1::bigint[])) t`,
      [ids],
    );
    return ok;
  }

  it("is read when the row is inserted, not when its transaction began", async () => {
    if (!db) return;
    const { id, readBefore } = await db.transaction(async (tx) => {
      const [{ t }] = await tx.query<{ t: string }>("select clock_timestamp()::text as t");
      const [first] = await post(tx, "stored after a clock reading in the same transaction");
      return { id: first, readBefore: t };
    });
    const [{ later }] = await db.query<{ later: boolean }>("select created_at > $2::timestamptz as later from messages where id = $1", [id, readBefore]);
    expect(later).toBe(true);
  });

  it("grows with the ids within one batch and from batch to batch", async () => {
    if (!db) return;
    const batch = await post(db, "a", "b", "c");
    const ids = [...batch, ...(await post(db, "d")), ...(await post(db, "e", "f"))];
    expect(ids).toHaveLength(6);
    expect(await inTimeOrder(ids)).toBe(true);
    // On PostgreSQL each message of one batch has its own time (the transaction's start would give them all
    // one); PGlite's clock is millisecond-grained, so a batch stored within one millisecond shares it.
    const [{ n }] = await db.query<{ n: number }>("select count(distinct created_at)::int as n from messages where id = any($1::bigint[])", [batch]);
    if (name === "PostgreSQL") expect(n).toBe(3);
  });

  it("follows the ids when a batch that began first is stored after another writer's (PostgreSQL: writers run at once)", async () => {
    if (!db || name !== "PostgreSQL") return;
    let began!: () => void;
    const beginning = new Promise<void>((r) => (began = r));
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const late = db.transaction(async (tx) => {
      await tx.query("select 1");
      began();
      await released;
      return post(tx, "began first, stored second");
    });
    await beginning;
    const early = await post(db, "began second, stored first");
    release();
    const ids = [...early, ...(await late)];
    expect(BigInt(ids[1]) > BigInt(ids[0])).toBe(true);
    expect(await inTimeOrder(ids)).toBe(true);
  });
});
