/**
 * Seeds a search corpus straight into the database, through the project's own openDatabase (so the schema
 * is migrated exactly as the server would do it): N messages (default 1,000,000) spread over 100 public
 * rooms and 20 authors, half English, about a third Japanese and the rest mixed, 3–40 words or 2–14
 * Japanese phrases each, with a few rare words. Also creates a bot that is a member of every room and
 * prints its token, for the search scenario to query with. Run it BEFORE the server opens the same
 * DATA_DIR (PGlite allows one process per data directory).
 *
 *   tsx bench/seed-search.ts <count>      (DATA_DIR or DATABASE_URL from the environment)
 *
 * Besides seeding it measures, with 5,000-row insert statements:
 *  - ingestOff / ingestOn: rows/s stored with the search trigger disabled / enabled (the same texts);
 *  - indexRate: rows/s of indexing existing history (the backfill's statement, in big batches);
 *  - messagesBytes / searchBytes: pg_total_relation_size of messages and message_search.
 * Prints one JSON line with those, { count, rooms, token, ms, ... }.
 */
import { openDatabase, type Database } from "../lib/db";
import { hashToken, newToken } from "../lib/auth/secrets";
import { nameKey } from "../lib/chat/names";

const ROOMS = 100;
const AUTHORS = 20;
const CHUNK = 5000;

const EN = (
  "the a to and of is in it you that for on we this be are with have i not at can will do just so but " +
  "deploy deployed deploying build release merge review pull request branch test tests failing passing " +
  "meeting meetings lunch today tomorrow yesterday week update updated fix fixed bug bugs issue ticket " +
  "server database query index cache latency error errors log logs customer design spec docs notes " +
  "please thanks ok sure sounds good agreed let me check later morning afternoon call sync standup plan"
).split(" ");
const RARE_EN = ["xylophone", "zeppelin", "quokka", "marzipan"];
const JA = (
  "今日は 明日の 昨日 天気 会議室 打ち合わせ 資料 確認 お願いします 了解です ありがとうございます 予定 " +
  "リリース デプロイ 設定 レビュー 修正 対応 進捗 共有 よろしく 午後 午前 ランチ 東京 大阪 " +
  "問題 原因 調査 完了 開始 テスト 本番 環境 データ お疲れ様です 少し 遅れます 先に 進めて ください"
).split(" ");
const RARE_JA = ["紫陽花", "薔薇園", "鰻重"];

/** Deterministic PRNG (mulberry32) so every run seeds the same corpus. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = rng(42);
/** Skewed pick: low indexes far more often (roughly Zipf), like real word frequencies. */
const zipf = <T>(xs: T[]) => xs[Math.floor(xs.length * rand() ** 2.2)];
const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));

function english(): string {
  const words = Array.from({ length: int(3, 40) }, () => zipf(EN));
  if (rand() < 0.001) words.splice(int(0, words.length), 0, RARE_EN[int(0, RARE_EN.length - 1)]);
  return words.join(" ");
}
function japanese(): string {
  const parts = Array.from({ length: int(2, 14) }, () => zipf(JA));
  if (rand() < 0.001) parts.splice(int(0, parts.length), 0, RARE_JA[int(0, RARE_JA.length - 1)]);
  return parts.join(rand() < 0.3 ? "、" : "");
}
const text = () => {
  const r = rand();
  return r < 0.5 ? english() : r < 0.85 ? japanese() : `${english()} ${japanese()}`;
};

type Ctx = { roomIds: string[]; authorIds: string[]; authorNames: string[]; seqs: number[] };

/** Inserts `n` generated messages in CHUNK-row statements; returns rows/s. */
async function insert(db: Database, ctx: Ctx, n: number, at: { i: number }, total: number): Promise<number> {
  const t0 = performance.now();
  for (let done = 0; done < n; ) {
    const k = Math.min(CHUNK, n - done);
    const rooms: string[] = [];
    const seqs: number[] = [];
    const authors: string[] = [];
    const names: string[] = [];
    const bodies: string[] = [];
    const times: string[] = [];
    for (let j = 0; j < k; j++) {
      const r = int(0, ROOMS - 1);
      const a = int(0, AUTHORS - 1);
      rooms.push(ctx.roomIds[r]);
      seqs.push(++ctx.seqs[r]);
      authors.push(ctx.authorIds[a]);
      names.push(ctx.authorNames[a]);
      bodies.push(text());
      // One year of history, oldest first.
      times.push(new Date(Date.UTC(2025, 0, 1) + Math.floor(((at.i + j) / total) * 365 * 86400_000)).toISOString());
    }
    await db.query(
      `insert into messages (id, room_id, seq, author_id, author, body, created_at)
       select nextval('message_ids'), v.room_id, v.seq, v.author_id, v.author, v.body, v.created_at
         from unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::timestamptz[]) as v(room_id, seq, author_id, author, body, created_at)`,
      [rooms, seqs, authors, names, bodies, times],
    );
    done += k;
    at.i += k;
  }
  return n / ((performance.now() - t0) / 1000);
}

async function main() {
  const count = Number(process.argv[2] ?? 1_000_000);
  if (!Number.isInteger(count) || count < 10_000 || count > 10_000_000) throw new Error("count must be 10,000..10,000,000");
  const t0 = Date.now();
  const db = await openDatabase({ databaseUrl: process.env.DATABASE_URL || undefined, dataDir: process.env.DATA_DIR ?? "./data" });
  try {
    // name_key as the server computes it (nameKey folds look-alikes: "author-03" -> "author-o3"), or `from:` finds no one.
    const names = Array.from({ length: AUTHORS }, (_, g) => `author-${String(g).padStart(2, "0")}`);
    const authorRows = await db.query<{ id: string; name: string }>(
      `insert into users (name, name_key, kind) select n, k, 'user' from unnest($1::text[], $2::text[]) with ordinality as u(n, k, o)
        order by o returning id::text as id, name`,
      [names, names.map(nameKey)],
    );
    const roomRows = await db.query<{ id: string }>(
      `insert into rooms (name, kind) select 'search-' || lpad(g::text, 3, '0'), 'public' from generate_series(0, ${ROOMS - 1}) g returning id::text as id`,
    );
    const token = newToken();
    const [bot] = await db.query<{ id: string }>("insert into users (name, name_key, kind) values ('search-reader', 'search-reader', 'bot') returning id::text as id");
    await db.query("insert into api_tokens (token_hash, user_id) values ($1, $2)", [hashToken(token), bot.id]);
    await db.query("insert into memberships (room_id, user_id) select id, $1 from rooms", [bot.id]);
    const ctx: Ctx = { roomIds: roomRows.map((r) => r.id), authorIds: authorRows.map((r) => r.id), authorNames: authorRows.map((r) => r.name), seqs: new Array(ROOMS).fill(0) };

    // Ingest with indexing off and on: the same number of rows each, alternating twice, best of each.
    const sample = Math.max(CHUNK, Math.min(50_000, Math.floor(count / 20)));
    const at = { i: 0 };
    const off: number[] = [];
    const on: number[] = [];
    for (let round = 0; round < 2; round++) {
      await db.exec("alter table messages disable trigger message_search_insert");
      off.push(await insert(db, ctx, sample, at, count));
      await db.exec("alter table messages enable trigger message_search_insert");
      on.push(await insert(db, ctx, sample, at, count));
    }
    // The rest: stored without the trigger, then indexed in big batches (the backfill's statement).
    await db.exec("alter table messages disable trigger message_search_insert");
    await insert(db, ctx, count - at.i, at, count);
    await db.exec("alter table messages enable trigger message_search_insert");
    const t1 = performance.now();
    const [{ missing }] = await db.query<{ missing: number }>(
      "select count(*)::int as missing from messages m where not exists (select 1 from message_search s where s.message_id = m.id)",
    );
    for (let before: string | null = "9223372036854775807"; before !== null; ) {
      const [row]: { next: string | null }[] = await db.query<{ next: string | null }>(
        `with b as (select id, room_id, author_id, body from messages where id < $1 order by id desc limit 50000),
              ins as (insert into message_search (message_id, room_id, author_id, doc)
                      select b.id, b.room_id, b.author_id, d.doc from b cross join lateral search_document(b.body) d on conflict (message_id) do nothing)
         select min(id)::text as next from b`,
        [before],
      );
      before = row.next;
    }
    const indexRate = missing / ((performance.now() - t1) / 1000);
    await db.query("update rooms r set last_seq = (select count(*) from messages m where m.room_id = r.id) where r.name like 'search-%'");
    await db.exec("vacuum analyze messages");
    await db.exec("vacuum analyze message_search");
    const [sizes] = await db.query<{ messages: string; search: string }>(
      "select pg_total_relation_size('messages')::text as messages, pg_total_relation_size('message_search')::text as search",
    );
    process.stdout.write(
      JSON.stringify({
        count,
        rooms: ROOMS,
        token,
        ingestOff: Math.max(...off),
        ingestOn: Math.max(...on),
        indexRate,
        messagesBytes: Number(sizes.messages),
        searchBytes: Number(sizes.search),
        ms: Date.now() - t0,
      }) + "\n",
    );
  } finally {
    await db.close();
  }
}

main().catch((err) => {
  process.stderr.write(`seed failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
