/**
 * What indexing a message for search costs on the write path: N messages (default 20,000) stored through
 * `store_messages` in batches of 200 (the writer's statement), with the search insert trigger disabled and
 * enabled, alternating, on the same kind of mixed English/Japanese texts as bench/seed-search.ts (half
 * English, a third Japanese, the rest mixed). Also times the tokenizer alone (search_document() over the
 * same texts, one statement per batch), its share of the trigger. "trigger on, no pairs" is the trigger with
 * migration 20's search_document() (documents without the adjacent-word pairs of migration 23), put in
 * place for that step only: what the pairs add to the write path.
 *
 *   tsx bench/search-index-cost.ts [count] [rounds] [batch]   (DATABASE_URL for PostgreSQL, else PGlite in a
 *                                                     temp dir; defaults 20,000, 2 and 200; a batch of 2 to 6 is
 *                                                     what the group commit forms at 1,000-1,500 msg/s)
 *
 * `SEARCH_COST_TEXTS=marker`: the `ingest` scenario's texts instead (`~B<run>:<time µs>:<sender>:<seq>~` and
 * a lorem ipsum line: a number unique to each message, two common to many, 25 index entries each).
 * "trigger on, documents built in JavaScript, pending list not merged" raises the search index's
 * `gin_pending_list_limit` to 64 MB for that step (reset after it), so no insert of the step merges the
 * list into the index: what the merges cost the write path, against the same step with the list at the
 * database's limit (PGlite's 512 kB). The list is then merged untimed (`gin_clean_pending_list()`), all at once.
 *
 * Reports per mode: messages/s (wall) and CPU µs per message. PGlite runs in this process, so CPU is
 * process.cpuUsage() (all threads); on PostgreSQL it is the CPU time of this run's server backends
 * (found by application_name, read from /proc: the server must run on this machine, else it is null).
 * CPU time is what to compare on a shared machine: wall time there includes waiting for a core.
 * Prints one JSON line.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase, type Database } from "../lib/db";
import { MIGRATIONS } from "../lib/db/migrations";
import { checkSearchDocuments } from "../lib/search/document";

const EN = (
  "the a to and of is in it you that for on we this be are with have i not at can will do just so but " +
  "deploy deployed deploying build release merge review pull request branch test tests failing passing " +
  "meeting meetings lunch today tomorrow yesterday week update updated fix fixed bug bugs issue ticket " +
  "server database query index cache latency error errors log logs customer design spec docs notes"
).split(" ");
const JA = (
  "今日は 明日の 昨日 天気 会議室 打ち合わせ 資料 確認 お願いします 了解です ありがとうございます 予定 " +
  "リリース デプロイ 設定 レビュー 修正 対応 進捗 共有 よろしく 午後 午前 ランチ 東京 大阪 " +
  "問題 原因 調査 完了 開始 テスト 本番 環境 データ お疲れ様です 少し 遅れます 先に 進めて ください"
).split(" ");
let seed = 7;
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = <T>(xs: T[]) => xs[Math.floor(xs.length * rand() ** 2.2)];
const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
const english = () => Array.from({ length: int(3, 40) }, () => pick(EN)).join(" ");
const japanese = () => Array.from({ length: int(2, 14) }, () => pick(JA)).join(rand() < 0.3 ? "、" : "");
const text = () => {
  const r = rand();
  return r < 0.5 ? english() : r < 0.85 ? japanese() : `${english()} ${japanese()}`;
};

/** The definition of search_document() in migration `id`. */
function tokenizerOf(id: number): string {
  const m = /create (?:or replace )?function search_document\(p_body text\)[\s\S]*?\$fn\$;/.exec(MIGRATIONS.find((x) => x.id === id)?.sql ?? "");
  if (!m) throw new Error(`migration ${id} defines no search_document()`);
  return m[0].replace(/^create function/, "create or replace function");
}

type Sample = { mode: string; perSec: number; cpuUsPerMsg: number | null };

async function main() {
  const count = Number(process.argv[2] ?? 20_000);
  const rounds = Number(process.argv[3] ?? 2);
  const BATCH = Number(process.argv[4] ?? 200);
  const pg = Boolean(process.env.DATABASE_URL);
  const dir = pg ? null : mkdtempSync(join(tmpdir(), "search-cost-"));
  const appName = `search-index-cost-${process.pid}`;
  const url = process.env.DATABASE_URL ? `${process.env.DATABASE_URL}${process.env.DATABASE_URL.includes("?") ? "&" : "?"}application_name=${appName}` : undefined;
  const db: Database = await openDatabase({ databaseUrl: url, dataDir: dir ?? "" });
  try {
    const [room] = await db.query<{ id: string }>("insert into rooms (name, kind) values ('cost-' || md5(random()::text), 'public') returning id::text as id");
    const [user] = await db.query<{ id: string }>(
      "insert into users (name, name_key, kind) select x, x, 'user' from (select 'cost-' || substr(md5(random()::text), 1, 8) as x) s returning id::text as id",
    );
    // CPU seconds of this run's PostgreSQL backends (utime + stime from /proc), or null when unreadable.
    const serverCpu = async (): Promise<number | null> => {
      const rows = await db.query<{ pid: number }>("select pid from pg_stat_activity where application_name = $1", [appName]);
      try {
        return rows.reduce((sum, r) => {
          const f = readFileSync(`/proc/${r.pid}/stat`, "utf8").split(") ")[1].split(" ");
          return sum + (Number(f[11]) + Number(f[12])) / 100;
        }, 0);
      } catch {
        return null;
      }
    };
    const cpuStart = async () => ({ proc: process.cpuUsage(), srv: pg ? await serverCpu() : null });
    const cpuUsPerMsg = async (start: Awaited<ReturnType<typeof cpuStart>>) => {
      if (!pg) {
        const cpu = process.cpuUsage(start.proc);
        return Math.round(((cpu.user + cpu.system) / count) * 10) / 10;
      }
      const end = await serverCpu();
      return start.srv === null || end === null ? null : Math.round(((end - start.srv) * 1e6 / count) * 10) / 10;
    };
    const base = Date.now() * 1000;
    const bodies =
      process.env.SEARCH_COST_TEXTS === "marker"
        ? Array.from({ length: count }, (_, i) => `~B12:${base + i * 137}:${i % 200}:${Math.floor(i / 200)}~ lorem ipsum dolor sit amet, consectetur adipiscing elit`)
        : Array.from({ length: count }, text);

    const checked = await checkSearchDocuments(db);
    if (!checked.build) throw new Error(`search documents cannot be built here: ${checked.mismatch}`);
    const build = checked.build;
    let built = 0;
    for (const b of bodies) if (build(b) !== null) built++;

    // `js`: the writer's path (migration 30), each document built here (its CPU counted on PGlite).
    const store = async (mode: string, trigger: boolean, js = false): Promise<Sample> => {
      await db.exec(`alter table messages ${trigger ? "enable" : "disable"} trigger message_search_insert`);
      const cpu0 = await cpuStart();
      const t0 = performance.now();
      for (let i = 0; i < count; i += BATCH) {
        const b = bodies.slice(i, i + BATCH);
        const params: unknown[] = [b.map(() => room.id), b.map(() => user.id), b.map(() => "cost"), b, b.map(() => null), b.map(() => null), js ? b.map(build) : null];
        // The server's message writer's statement (migration 45); without documents the trigger builds them.
        await db.query("select store_messages($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::text[])::text as r", params);
      }
      const s = (performance.now() - t0) / 1000;
      return { mode, perSec: Math.round(count / s), cpuUsPerMsg: await cpuUsPerMsg(cpu0) };
    };
    const tokenize = async (): Promise<Sample> => {
      const cpu0 = await cpuStart();
      const t0 = performance.now();
      for (let i = 0; i < count; i += BATCH) {
        await db.query("select sum(length(d.doc))::int as n from unnest($1::text[]) b cross join lateral search_document(b) d", [bodies.slice(i, i + BATCH)]);
      }
      const s = (performance.now() - t0) / 1000;
      return { mode: "tokenizer only", perSec: Math.round(count / s), cpuUsPerMsg: await cpuUsPerMsg(cpu0) };
    };

    const results: Sample[] = [];
    for (let round = 0; round < rounds; round++) {
      results.push(await store("trigger off", false));
      results.push(await store("trigger on", true));
      results.push(await store("trigger on, documents built in JavaScript", true, true));
      await db.exec("alter index message_search_doc set (gin_pending_list_limit = 65536)");
      results.push(await store("trigger on, documents built in JavaScript, pending list not merged", true, true));
      await db.exec("alter index message_search_doc reset (gin_pending_list_limit)");
      // Merged here, untimed: not by the first insert of the next step.
      await db.query("select gin_clean_pending_list('message_search_doc'::regclass)");
      await db.exec(tokenizerOf(20));
      results.push(await store("trigger on, no pairs", true));
      await db.exec(tokenizerOf(25));
      results.push(await tokenize());
    }
    await db.exec("alter table messages enable trigger message_search_insert");
    // Best of the rounds: the highest rate, and the lowest CPU per message (each may come from another round).
    const best = (mode: string) => {
      const rs = results.filter((r) => r.mode === mode);
      const cpus = rs.map((r) => r.cpuUsPerMsg).filter((c): c is number => c !== null);
      return { mode, perSec: Math.max(...rs.map((r) => r.perSec)), cpuUsPerMsg: cpus.length ? Math.min(...cpus) : null };
    };
    const off = best("trigger off");
    const on = best("trigger on");
    const noPairs = best("trigger on, no pairs");
    const js = best("trigger on, documents built in JavaScript");
    const unmerged = best("trigger on, documents built in JavaScript, pending list not merged");
    const round2 = (x: number) => Math.round(x * 100) / 100;
    process.stdout.write(
      JSON.stringify({
        db: pg ? "postgresql" : "pglite",
        count,
        batch: BATCH,
        rounds,
        off,
        on,
        onNoPairs: noPairs,
        onJs: js,
        onJsUnmerged: unmerged,
        builtInJs: Math.round((built / count) * 1000) / 1000,
        tokenizer: best("tokenizer only"),
        ratio: round2(on.perSec / off.perSec),
        ratioNoPairs: round2(noPairs.perSec / off.perSec),
        ratioJs: round2(js.perSec / off.perSec),
        cpuRatioJs: off.cpuUsPerMsg && js.cpuUsPerMsg ? round2(off.cpuUsPerMsg / js.cpuUsPerMsg) : null,
        ratioJsUnmerged: round2(unmerged.perSec / off.perSec),
        cpuRatioJsUnmerged: off.cpuUsPerMsg && unmerged.cpuUsPerMsg ? round2(off.cpuUsPerMsg / unmerged.cpuUsPerMsg) : null,
        cpuRatio: off.cpuUsPerMsg && on.cpuUsPerMsg ? round2(off.cpuUsPerMsg / on.cpuUsPerMsg) : null,
      }) + "\n",
    );
  } finally {
    await db.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`search-index-cost failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
