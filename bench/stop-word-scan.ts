/**
 * What a search of English stop words only costs (`can't`, `"to be or not to be"`: the index holds no stop
 * word, so such a query scans the newest 100,000 messages' text, SINGLE_CHAR_WINDOW in lib/search/store.ts),
 * beside ordinary queries: N messages (default 100,000) of English words, one "to be or not to be" in the
 * middle, stored through `store_messages` with the writer's documents; then each query five times through
 * `searchMessages`, as the API runs it. Prints the median and the largest time per query (ms, wall).
 *
 *   tsx bench/stop-word-scan.ts [count]      (DATABASE_URL for PostgreSQL, migrated here; else PGlite in a temp dir)
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../lib/db";
import { migrate } from "../lib/db/migrations";
import { checkSearchDocuments } from "../lib/search/document";
import { parseQuery } from "../lib/search/query";
import { searchMessages } from "../lib/search/store";

const EN = "the a to and of is in it you that for on we this be are with have i not at can will do just so but deploy deployed build release merge review pull request branch test meeting lunch today tomorrow update fix bug issue server database query index cache latency error log customer design spec docs notes".split(" ");
let seed = 7;
const rand = () => { seed = (seed + 0x6d2b79f5) | 0; let t = Math.imul(seed ^ (seed >>> 15), 1 | seed); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
const pick = <T>(xs: T[]) => xs[Math.floor(xs.length * rand())];
const text = () => Array.from({ length: 3 + Math.floor(rand() * 30) }, () => pick(EN)).join(" ");

async function main() {
  const n = Number(process.argv[2] ?? 100000);
  const url = process.env.DATABASE_URL;
  const dir = url ? null : mkdtempSync(join(tmpdir(), "stopscan-"));
  const db = await openDatabase({ databaseUrl: url, dataDir: dir ?? "" });
  if (url) await migrate(db);
  const [room] = await db.query<{ id: string }>("insert into rooms (name, kind) values ('scan-' || md5(random()::text), 'public') returning id::text as id");
  const [user] = await db.query<{ id: string; name: string }>("insert into users (name, name_key, kind) select x, x, 'user' from (select 'scan-' || substr(md5(random()::text), 1, 8) as x) s returning id::text as id, name");
  const build = (await checkSearchDocuments(db)).build!;
  const t0 = Date.now();
  for (let i = 0; i < n; i += 1000) {
    const b = Array.from({ length: 1000 }, (_, k) => (i + k === Math.floor(n / 2) ? "to be or not to be" : text()));
    await db.query("select store_messages($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::text[])::text as r", [b.map(() => room.id), b.map(() => user.id), b.map(() => "p"), b, b.map(() => null), b.map(() => null), b.map(build)]);
  }
  console.log(`seeded ${n} in ${Date.now() - t0} ms`);
  const me = { id: user.id, name: user.name, kind: "user" as const, admin: false, deactivated: false };
  for (const q of ["the", "can't", '"to be or not to be"', '"not to be or"', "deploy", "zebra"]) {
    const times: number[] = [];
    let found = 0;
    for (let r = 0; r < 5; r++) {
      const s = performance.now();
      const page = await searchMessages(db, me, { query: parseQuery(q), limit: 20 });
      times.push(performance.now() - s);
      found = page.results.length;
    }
    times.sort((a, b) => a - b);
    console.log(`${q.padEnd(24)} results ${found}  median ${times[2].toFixed(1)} ms  max ${times[4].toFixed(1)} ms`);
  }
  await db.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
}
main().catch((e) => { console.error(e); process.exit(1); });
