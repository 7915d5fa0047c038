import type { Database } from "../../lib/db";
import { nameKey } from "../../lib/chat/names";
import type { User } from "../../lib/chat/users";
import { createLogger } from "../../lib/log";
import { startSearchBackfill } from "../../lib/search/backfill";
import { parseQuery } from "../../lib/search/query";
import { SEARCH_PLANS, searchMessages, type SearchPlan } from "../../lib/search/store";
import { DATABASE_BACKENDS, until } from "../helpers/server";

/**
 * The search's plan (lib/search/store.ts, SearchPlan): walking newest first, the GIN index for the rest,
 * and walking again when the index finds too many, must give exactly the matches a plain query gives —
 * same rows, same order, across pages — for every kind of query, caller and filter. A corpus of a few
 * thousand messages with a tiny plan takes every path; the default plan must agree with it.
 */

const COUNT = 3000;

/** Message i's text: word frequencies chosen so that each query class below takes its own path. */
function body(i: number): string {
  const w: string[] = [`n${i}`];
  if (i % 3 === 0) w.push("common deploys");
  if (i % 47 === 0) w.push("medium");
  if (i === 40 || i === 1700 || i === 2950) w.push("xylophone");
  // Frequent long ago, absent lately: the index finds too many, and the walk takes over again.
  if (i < COUNT / 2 && i % 2 === 0) w.push("bygone");
  // "alpha" and "beta" are frequent, the phrase "alpha beta" is not.
  if (i % 5 === 0) w.push("alpha");
  if (i % 7 === 0) w.push("beta");
  if (i % 5 === 0 && i % 7 === 0) w.push("gamma");
  if (i % 61 === 0) w.push("alpha beta");
  // Both words in every third message, the phrase "deploys common" in a few: many candidates, few matches.
  if (i % 401 === 0) w.push("deploys, common");
  // "let" and "check" apart in a third of the messages; the phrase "let me check" (a stop word inside) in
  // a few, "let you check" (another stop word in its place) in fewer, "let bob check" (a word) in some.
  if (i % 3 === 1) w.push("let it be, check");
  if (i % 67 === 0) w.push("let me check");
  if (i % 233 === 0) w.push("let you check");
  if (i % 71 === 0) w.push("let bob check");
  if (i % 4 === 1) w.push("今日は良い天気です");
  if (i % 89 === 0) w.push("紫陽花が咲いた");
  if (i % 113 === 0) w.push("see https://example.com/x");
  // The word "c" in many messages, C++ and C# in few: their candidates (every "c") are checked whole.
  if (i % 4 === 2) w.push("c");
  if (i % 53 === 0) w.push(i % 106 === 0 ? "C++ dev" : "Ｃ＋＋");
  if (i % 31 === 0) w.push("c#");
  return w.join(" ");
}

const QUERIES = [
  "common",
  "deploy",
  "medium",
  "xylophone",
  "bygone",
  '"alpha beta"',
  '"deploys common"',
  'medium "alpha beta"',
  '"deploys common" 天気',
  '"let me check"',
  '"let me check" medium',
  "alpha beta",
  "alpha gamma",
  "天気",
  "紫陽花",
  "天気 medium",
  "has:link",
  "common has:link",
  "from:alice common",
  "from:bob xylophone",
  "from:alice bygone",
  "in:pub-b common",
  "in:priv medium",
  "in:small common",
  "in:pub-a bygone from:bob",
  "common before:2026-01-01",
  "medium after:2026-01-01",
  "天気 雨",
  "nothing-like-this",
  "c++",
  "c#",
  '"c++ dev"',
  "c++ common",
  "from:bob c++",
  "in:pub-b c#",
  // Terms left out (`-term`), on every path: each one rules a message out.
  "common -medium",
  "alpha -beta",
  'alpha -"alpha beta"',
  "medium -alpha -beta",
  "天気 -紫陽花",
  "xylophone -bygone",
  "bygone -alpha",
  "from:alice common -bygone",
  "in:pub-b common -c++",
  "in:small common -天",
  "has:link -common",
  "from:bob -common",
  "c -c++ -c#",
  "alpha -deployed",
];

describe.each(DATABASE_BACKENDS)("search plan on %s", (backend, open) => {
  let db: Database;
  let skip = false;
  const users: Record<string, User> = {};
  beforeAll(async () => {
    const opened = await open();
    if (!opened) {
      skip = true;
      process.stdout.write(`skipping ${backend} search plan tests: DATABASE_URL is not set\n`);
      return;
    }
    db = opened;
    for (const [name, kind] of [["alice", "user"], ["bob", "user"], ["carol", "user"], ["robot", "bot"]] as const) {
      const [u] = await db.query<{ id: string }>("insert into users (name, name_key, kind) values ($1, $1, $2) returning id::text as id", [name, kind]);
      users[name] = { id: u.id, name, kind, admin: false, deactivated: false };
    }
    const rooms: Record<string, string> = {};
    for (const [name, kind] of [["pub-a", "public"], ["pub-b", "public"], ["priv", "private"], ["small", "public"]]) {
      // name_key as the server sets it: in: finds rooms by it.
      const [r] = await db.query<{ id: string }>("insert into rooms (name, name_key, kind) values ($1, $2, $3) returning id::text as id", [name, nameKey(name), kind]);
      rooms[name] = r.id;
    }
    // The bot reads one room with a tenth of the messages: its search walks that room.
    await db.query("insert into memberships (room_id, user_id) values ($1, $2), ($1, $3), ($4, $5)", [rooms.priv, users.alice.id, users.bob.id, rooms.small, users.robot.id]);
    const names = ["alice", "bob", "carol"];
    const roomOf = (i: number) => (i % 10 < 5 ? "pub-a" : i % 10 < 8 ? "pub-b" : i % 10 === 8 ? "priv" : "small");
    const seqs: Record<string, number> = {};
    const rows = Array.from({ length: COUNT }, (_, i) => {
      const room = roomOf(i);
      seqs[room] = (seqs[room] ?? 0) + 1;
      const author = names[i % 3];
      // Half the history in 2025, half in 2026.
      const at = new Date(Date.UTC(2025, 6, 1) + i * 3_600_000 * 3).toISOString();
      return { room: rooms[room], seq: seqs[room], author: users[author].id, name: author, body: body(i), at };
    });
    for (const [name, n] of Object.entries(seqs)) await db.query("update rooms set last_seq = $2 where id = $1", [rooms[name], n]);
    await db.query(
      `insert into messages (id, room_id, seq, author_id, author, body, created_at)
       select nextval('message_ids'), v.room_id, v.seq, v.author_id, v.author, v.body, v.created_at
         from unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::timestamptz[]) with ordinality as v(room_id, seq, author_id, author, body, created_at, o)
        order by v.o`,
      [rows.map((r) => r.room), rows.map((r) => r.seq), rows.map((r) => r.author), rows.map((r) => r.name), rows.map((r) => r.body), rows.map((r) => r.at)],
    );
    await db.exec("analyze");
  }, 120_000);
  afterAll(() => db?.close());
  const t = (name: string, fn: () => Promise<void>) => it(name, async () => (skip ? undefined : fn()), 120_000);

  /** Every match newest first, the plain way: the GIN match, the caller's rooms and the filters, sorted. */
  async function oracle(user: User, raw: string): Promise<string[]> {
    const q = parseQuery(raw);
    const where = [
      "(r.kind = 'public' and not $2::boolean or exists (select 1 from memberships mm where mm.room_id = r.id and mm.user_id = $1::bigint))",
    ];
    const params: unknown[] = [user.id, user.kind === "bot"];
    const p = (v: unknown) => `$${params.push(v)}`;
    const markers = q.has.filter((h) => h !== "file");
    const words = [...q.words, ...q.symbols.map((s) => s.words)].join(" ");
    if (words || q.phrases.length + q.runs.length + markers.length > 0) {
      where.push(`s.doc @@ search_tsquery(${p(words)}, ${p(q.phrases)}::text[], ${p(q.runs)}::text[], ${p(markers)}::text[])`);
    }
    // What it leaves out: a message holding any one of those terms.
    const ex = q.excluded;
    for (const w of ex.words) where.push(`not s.doc @@ search_tsquery(${p(w)}, '{}', '{}', '{}')`);
    for (const ph of ex.phrases) where.push(`not s.doc @@ search_tsquery('', ${p([ph])}::text[], '{}', '{}')`);
    for (const run of ex.runs) where.push(`not s.doc @@ search_tsquery('', '{}', ${p([run])}::text[], '{}')`);
    for (const c of ex.chars) where.push(`strpos(m.body, ${p(c)}) = 0`);
    for (const sym of ex.symbols) where.push(`not to_tsvector('english', search_symbol_fold(m.body)) @@ search_symbol_tsquery(${p([sym.text])}::text[], '{}')`);
    // A phrase's stop words stand for stop words (migration 28): its words with the pairs between them.
    const pairs = `search_pair_tsquery(${p(q.phrases)}::text[])`;
    where.push(`(${pairs} is null or s.doc @@ ${pairs} or exists (select 1 from search_pairs_backfill))`);
    if (q.symbols.length + q.symbolPhrases.length > 0) {
      where.push(`to_tsvector('english', search_symbol_fold(m.body)) @@ search_symbol_tsquery(${p(q.symbols.map((s) => s.text))}::text[], ${p(q.symbolPhrases)}::text[])`);
    }
    for (const c of q.chars) where.push(`strpos(m.body, ${p(c)}) > 0`);
    if (q.from) where.push(`m.author_id = (select id from users where name_key = ${p(q.from)})`);
    if (q.room) where.push(`r.name = ${p(q.room)}`);
    if (q.before) where.push(`m.created_at < ${p(q.before.toISOString())}::timestamptz`);
    if (q.after) where.push(`m.created_at >= ${p(q.after.toISOString())}::timestamptz`);
    const rows = await db.query<{ id: string }>(
      `select m.id::text as id from message_search s join messages m on m.id = s.message_id join rooms r on r.id = m.room_id
        where ${where.join(" and ")} order by m.id desc`,
      params,
    );
    return rows.map((r) => r.id.padStart(16, "0"));
  }

  /** The first `most` pages of `raw` for `user` with `plan`, and the steps the plan took. */
  async function pages(user: User, raw: string, plan: SearchPlan, limit: number, most: number): Promise<{ ids: string[]; steps: string[] }> {
    const ids: string[] = [];
    const steps: string[] = [];
    let cursor: string | undefined;
    for (let n = 0; n < most; n++) {
      const page = await searchMessages(db, user, { query: parseQuery(raw), limit, cursor }, { ...plan, trace: (s) => steps.push(s) });
      ids.push(...page.results.map((r) => r.message.id));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    return { ids, steps };
  }

  const plan = () => SEARCH_PLANS[db.kind];
  const tiny = (): SearchPlan => ({ ...plan(), firstWindow: 16, maxWindow: 256, ginCap: 40, ginCost: 4, timeoutMs: 60_000 });

  t("finds exactly what a plain query finds, page by page, for every caller, with a tiny plan and the default one", async () => {
    const kinds = new Set<string>();
    for (const name of ["alice", "carol", "robot"]) {
      for (const raw of QUERIES) {
        const expected = await oracle(users[name], raw);
        const small = await pages(users[name], raw, tiny(), 7, 5);
        expect([name, raw, small.ids]).toEqual([name, raw, expected.slice(0, 35)]);
        for (const s of small.steps) kinds.add(s.split(" ").slice(0, s.startsWith("index") && !s.startsWith("index capped") ? 1 : 2).join(" "));
        const normal = await pages(users[name], raw, plan(), 50, 2);
        expect([name, raw, normal.ids]).toEqual([name, raw, expected.slice(0, 100)]);
      }
    }
    // Every path was taken somewhere.
    expect([...kinds].sort()).toEqual(["index", "index capped", "walk all", "walk author", "walk rooms"]);
  });

  t("leaves out what a -term names: the plain query's matches less those holding any one of the terms", async () => {
    for (const raw of QUERIES.filter((r) => / -/.test(r))) {
      const kept = raw.replace(/ -("[^"]*"|\S+)/g, "");
      const all = await oracle(users.alice, kept);
      const left = await oracle(users.alice, raw);
      // Something is left out, and something is left.
      expect([raw, left.length > 0 && left.length < all.length]).toEqual([raw, true]);
      expect(all).toEqual(expect.arrayContaining(left));
      const { ids } = await pages(users.alice, raw, tiny(), 50, 1);
      expect([raw, ids]).toEqual([raw, left.slice(0, 50)]);
    }
  });

  t("answers at once, with nothing, a query that leaves out a term every match holds", async () => {
    for (const raw of ["common -common", "common -commonly", "deploy -deploying", "deploys -DEPLOYED", '"alpha beta" -betas', "天気 -天気", "天気 -気", "medium 今日は -日は"]) {
      const steps: string[] = [];
      const page = await searchMessages(db, users.alice, { query: parseQuery(raw), limit: 7 }, { ...tiny(), trace: (s) => steps.push(s) });
      expect([raw, page.results, steps]).toEqual([raw, [], []]);
      expect(await oracle(users.alice, raw)).toEqual([]);
    }
    // Not when the term left out is only sometimes there: a word of another stem, a longer run.
    for (const raw of ["common -commune", "天気 -天気です"]) {
      const steps: string[] = [];
      await searchMessages(db, users.alice, { query: parseQuery(raw), limit: 7 }, { ...tiny(), trace: (s) => steps.push(s) });
      expect([raw, steps.length > 0]).toEqual([raw, true]);
    }
  });

  t("walks a common word only as far as one page needs, and takes a rare word from the index", async () => {
    const steps: string[] = [];
    const first = await searchMessages(db, users.alice, { query: parseQuery("common"), limit: 4 }, { ...tiny(), trace: (s) => steps.push(s) });
    expect(first.results).toHaveLength(4);
    // One window of 16 ids holds the page (and one more, for nextCursor) of a word in every third message.
    expect(steps).toEqual([expect.stringMatching(/^walk all \d+\.\.\d+ 5$/)]);
    const rare: string[] = [];
    await searchMessages(db, users.alice, { query: parseQuery("xylophone"), limit: 5 }, { ...tiny(), trace: (s) => rare.push(s) });
    // A bot that reads one small room: after the first window, only that room is walked.
    const bot: string[] = [];
    await searchMessages(db, users.robot, { query: parseQuery("common"), limit: 4 }, { ...tiny(), trace: (s) => bot.push(s) });
    expect(bot[0]).toMatch(/^walk all /);
    expect(bot.slice(1).length).toBeGreaterThan(0);
    expect(bot.slice(1).every((s) => s.startsWith("walk rooms "))).toBe(true);
    expect(rare[0]).toMatch(/^walk /);
    expect(rare[rare.length - 1]).toMatch(/^index /);
    // Frequent in old history only: the index hits its cap, and the walk finds them after all.
    const bygone: string[] = [];
    const page = await searchMessages(db, users.alice, { query: parseQuery("bygone"), limit: 5 }, { ...tiny(), trace: (s) => bygone.push(s) });
    expect(page.results).toHaveLength(5);
    expect(bygone).toContain("index capped");
    expect(bygone[bygone.length - 1]).toMatch(/^walk /);
  });

  t("checks a C++-like token whole on the candidates of its letter, walking and through the index", async () => {
    // "c" is in a quarter of the messages, C++ (also as full-width Ｃ＋＋) in every 53rd, C# in every 31st.
    expect(await oracle(users.alice, "c++")).toHaveLength(Math.floor((COUNT - 1) / 53) + 1);
    expect(await oracle(users.alice, "c#")).toHaveLength(Math.floor((COUNT - 1) / 31) + 1);
    for (const raw of ["c++", "c#"]) {
      // The tiny plan walks (the index would hold more candidates than its cap); with the index cheap and
      // its cap above every "c", the rest comes from the index's candidates.
      for (const [ginCost, ginCap, last] of [[4, 40, /^walk all /], [0.01, 4000, /^index \d/]] as const) {
        const steps: string[] = [];
        const page = await searchMessages(db, users.alice, { query: parseQuery(raw), limit: 7 }, { ...tiny(), ginCost, ginCap, trace: (s) => steps.push(s) });
        expect(page.results.map((r) => r.message.id.padStart(16, "0"))).toEqual((await oracle(users.alice, raw)).slice(0, 7));
        expect(page.results.every((r) => r.snippet.highlights.length > 0)).toBe(true);
        expect(steps[steps.length - 1]).toMatch(last);
      }
    }
  });

  /** Documents with the word pairs (migrations 23 and 28) taken out, as stored before them, with its mark. */
  async function stripPairs() {
    await db.query("update message_search set doc = ts_delete(doc, array(select l from unnest(tsvector_to_array(doc)) l where l ~ ' ~[0-9]? '))");
    await db.query("insert into search_pairs_backfill (next_before) select max(id) + 1 from messages");
  }
  /** How many documents the GIN index gives for the phrase's pairs (what the search asks it for). */
  async function pairCandidates(phrase: string): Promise<number> {
    const [r] = await db.query<{ n: number }>(
      "select count(*)::int as n from message_search where doc @@ search_pair_tsquery($1::text[])",
      [[phrase]],
    );
    return r.n;
  }

  t("asks the index for a phrase's adjacent-word pairs: candidates that hold them, the same matches", async () => {
    const expected = await oracle(users.alice, '"deploys common"');
    expect(expected.length).toBeGreaterThan(3);
    // Both words are in a third of the messages; with the pair, the candidates are the matches.
    expect(await pairCandidates("deploys common")).toBe(expected.length);
    const { ids, steps } = await pages(users.alice, '"deploys common"', tiny(), 7, 5);
    expect(ids).toEqual(expected.slice(0, 35));
    // The words alone would have filled the tiny plan's cap (40 candidates): the pairs are under it.
    expect(steps[steps.length - 1]).toMatch(/^index pairs \d+$/);
    expect(steps).not.toContain("index capped");
  });

  t("asks the index for the pair across a phrase's stop word, and finds the phrase with a stop word in that place only", async () => {
    const expected = await oracle(users.alice, '"let me check"');
    // Exactly the messages alice can read with "let me check" or "let you check" in them; not those with
    // only "let bob check", which PostgreSQL's phrase search alone takes.
    const exact = await db.query<{ id: string }>(
      `select m.id::text as id from messages m join rooms r on r.id = m.room_id
        where m.body ~ 'let (me|you) check' and (r.kind = 'public' or exists (select 1 from memberships mm where mm.room_id = r.id and mm.user_id = $1::bigint))
        order by m.id desc`,
      [users.alice.id],
    );
    expect(expected).toEqual(exact.map((r) => r.id.padStart(16, "0")));
    expect(expected.length).toBeGreaterThan(5);
    const [you] = await db.query<{ n: number }>("select count(*)::int as n from messages where body ~ 'let you check' and body !~ 'let me check'");
    expect(you.n).toBeGreaterThan(0);
    const [loose] = await db.query<{ n: number }>("select count(*)::int as n from message_search where doc @@ phraseto_tsquery('english', 'let me check')");
    expect(loose.n).toBeGreaterThan(expected.length);
    // The pair 'let ~2 check' gives the index exactly the matches as candidates; the words alone would
    // have filled the tiny plan's cap.
    expect(await pairCandidates("let me check")).toBe(expected.length);
    for (const [plan_, last] of [[tiny(), /^index pairs \d+$/], [{ ...tiny(), ginCost: 1e6 }, /^walk all /]] as const) {
      const { ids, steps } = await pages(users.alice, '"let me check"', plan_, 7, 5);
      expect(ids).toEqual(expected.slice(0, 35));
      expect(steps[steps.length - 1]).toMatch(last);
    }
  });

  t("finds phrases in documents stored before the pairs, and the background reindex adds them", async () => {
    await stripPairs();
    try {
      const expected = await oracle(users.alice, '"deploys common"');
      // Asked with the pairs, the index would now miss every match: the search must not ask that way.
      expect(await pairCandidates("deploys common")).toBe(0);
      const before = await pages(users.alice, '"deploys common"', tiny(), 7, 5);
      expect(before.ids).toEqual(expected.slice(0, 35));
      expect(before.steps.some((s) => s.startsWith("index pairs"))).toBe(false);
      for (const raw of ['"alpha beta"', '"deploys common"']) {
        expect([raw, (await pages(users.carol, raw, plan(), 50, 2)).ids]).toEqual([raw, (await oracle(users.carol, raw)).slice(0, 100)]);
      }
      const backfill = startSearchBackfill(db, createLogger({ level: "silent" }), { batch: 700 });
      await backfill.done;
      expect(await db.query("select * from search_pairs_backfill")).toEqual([]);
      const [stale] = await db.query<{ n: number }>(
        "select count(*)::int as n from message_search s join messages m on m.id = s.message_id cross join lateral search_document(m.body) d where s.doc <> d.doc",
      );
      expect(stale.n).toBe(0);
      const after = await pages(users.alice, '"deploys common"', tiny(), 7, 5);
      expect(after.ids).toEqual(expected.slice(0, 35));
      expect(after.steps[after.steps.length - 1]).toMatch(/^index pairs \d+$/);
    } finally {
      await db.query("delete from search_pairs_backfill");
      await db.query("update message_search s set doc = d.doc from messages m cross join lateral search_document(m.body) d where m.id = s.message_id");
    }
  });

  t("keeps an edit that commits while the reindex waits for its message: its new words only", async () => {
    // Only PostgreSQL has concurrent transactions (PGlite runs one at a time).
    if (db.kind !== "postgres") return;
    const [m] = await db.query<{ id: string }>(
      `insert into messages (id, room_id, seq, author_id, author, body)
       select nextval('message_ids'), r.id, r.last_seq + 1, $1, 'alice', 'orchid garden path' from rooms r where r.name = 'pub-a' returning id::text as id`,
      [users.alice.id],
    );
    await stripPairs();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let editing!: (pid: number) => void;
    const edited = new Promise<number>((r) => (editing = r));
    const edit = db.transaction(async (tx) => {
      await tx.query("update messages set body = 'tulip field' where id = $1", [m.id]);
      const [me] = await tx.query<{ pid: number }>("select pg_backend_pid() as pid");
      editing(me.pid);
      await held;
    });
    try {
      const editor = await edited;
      const backfill = startSearchBackfill(db, createLogger({ level: "silent" }), { batch: 1000 });
      // The reindex's first batch holds this message: it waits for the edit's transaction.
      await until(async () => {
        const [w] = await db.query<{ n: number }>(
          "select count(*)::int as n from pg_stat_activity where $1::int = any(pg_blocking_pids(pid)) and query like '%search_pairs_backfill%'",
          [editor],
        );
        return w.n > 0;
      }, 10_000, "the reindex waiting for the edited message");
      release();
      await edit;
      await backfill.done;
      const [doc] = await db.query<{ same: boolean; old: boolean }>(
        `select s.doc = d.doc as same, s.doc @@ to_tsquery('english', 'orchid') as old
           from message_search s cross join lateral search_document('tulip field') d where s.message_id = $1`,
        [m.id],
      );
      expect(doc).toEqual({ same: true, old: false });
    } finally {
      release();
      await edit.catch(() => undefined);
      await db.query("delete from search_pairs_backfill");
      await db.query("delete from messages where id = $1", [m.id]);
      await db.query("update message_search s set doc = d.doc from messages m cross join lateral search_document(m.body) d where m.id = s.message_id");
    }
  });

  t("stops a search that runs past its time with a clear error", async () => {
    // Two ids per statement, and the index gives up at once: hundreds of statements to reach the old matches.
    const slow: SearchPlan = { ...tiny(), firstWindow: 1, maxWindow: 2, ginCap: 1, timeoutMs: 5 };
    await expect(searchMessages(db, users.alice, { query: parseQuery("bygone"), limit: 20 }, slow)).rejects.toMatchObject({
      code: "bad_request",
      message: expect.stringContaining("took too long"),
      reason: "search_too_slow",
    });
  });
});
