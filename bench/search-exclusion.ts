/**
 * What leaving terms out (`-term`) costs a search: each query with and without its `-terms`, in process
 * through searchMessages() (no HTTP), 30 runs each, on a corpus seeded by bench/seed-search.ts, as the
 * search bench's bot (a member of every room). Prints p50 and the slowest run (ms) and the results' count.
 *
 *   DATABASE_URL=… tsx bench/search-exclusion.ts      (or DATA_DIR=… for PGlite; seed it first:
 *                                                      tsx bench/seed-search.ts 300000)
 */
import { openDatabase } from "../lib/db";
import { parseQuery } from "../lib/search/query";
import { searchMessages } from "../lib/search/store";

const QUERIES = [
  "deploy", "deploy -meeting", "deploy -review -test", "meeting -deploy -天気",
  "天気", "天気 -会議", '"pull request"', '"pull request" -merge',
  "from:author-03 deploy", "from:author-03 deploy -fix", "deploy -deploying",
];

async function main() {
  const db = await openDatabase({ databaseUrl: process.env.DATABASE_URL || undefined, dataDir: process.env.DATA_DIR ?? "./data" });
  try {
    const [bot] = await db.query<{ id: string; name: string }>("select id::text as id, name from users where kind = 'bot' order by id limit 1");
    if (!bot) throw new Error("no bot: seed the corpus with bench/seed-search.ts first");
    const user = { id: bot.id, name: bot.name, kind: "bot" as const, admin: false, deactivated: false };
    // One untimed pass: the first statements plan and read the pages into the cache.
    for (const q of QUERIES) await searchMessages(db, user, { query: parseQuery(q), limit: 20 });
    for (const q of QUERIES) {
      const times: number[] = [];
      let found = 0;
      for (let i = 0; i < 30; i++) {
        const t0 = performance.now();
        found = (await searchMessages(db, user, { query: parseQuery(q), limit: 20 })).results.length;
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      process.stdout.write(`${q.padEnd(30)} p50 ${times[15].toFixed(1)} ms, slowest ${times[29].toFixed(1)} ms, ${found} results\n`);
    }
  } finally {
    await db.close();
  }
}

main().catch((err) => {
  process.stderr.write(`search-exclusion failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
